"""Rate cards as analysts edit them: a bad edit fails the build, a price change re-prices
exactly the affected invoice lines. Each test works on a copy of the dbt project and seeds,
and of the built fixture warehouse, and rebuilds what depends on the rate cards."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from .conftest import (
    FIXTURE_LANDING,
    copy_postgres_fixture,
    copy_project,
    dbt,
    drop_pg_schemas,
    duck_query,
    edit_seed,
    failing_tests,
    pg_query,
    pg_schema,
    warehouse_env,
)


def edit_rate_cards(project: Path, edit) -> None:
    edit_seed(project, "rate_cards", edit)


def test_an_unapproved_or_overlapping_version_fails_the_build(project):
    def edit(rows):
        draft = dict(rows[-1], rate_version="FY2028-DRAFT", approved_by="", approved_at="",
                     effective_from="2027-09-01")  # fmt: skip
        overlap = dict(rows[0], rate_version="FY2025-BIS", effective_from="2025-01-01",
                       effective_to="2025-03-31")  # fmt: skip
        return [*rows, draft, overlap]

    edit_rate_cards(project, edit)
    result = dbt(project, "build", "--select", "rate_cards+")
    assert result.returncode != 0
    out = result.stdout
    assert failing_tests(out) == {
        "assert_rate_card_versions_are_approved", "assert_rate_card_versions_do_not_overlap"
    }  # fmt: skip
    # nothing downstream of the bad rate card was built
    assert "OK created sql table model main.fct_invoices" not in out


def corrected_storage_rate(rows):  # STO-T1-GBM FY2026.1: 0.076 -> 0.080 per GB-month
    for row in rows:
        if (row["rate_version"], row["sku_id"]) == ("FY2026.1", "STO-T1-GBM"):
            row["unit_price"] = "0.080000"
    return rows


def test_changing_one_rate_changes_exactly_the_affected_invoice_lines(project):
    db = os.environ["CHARGEBACK_DUCKDB_PATH"]  # the built fixture
    lines_sql = "select invoice_line_id, line_amount from fct_invoice_lines"
    before = dict(duck_query(db, lines_sql))
    totals_before = dict(duck_query(db, "select invoice_id, total_amount from fct_invoices"))

    edit_rate_cards(project, corrected_storage_rate)
    # a plain build, no --full-refresh: the incremental rating sees that its rules changed
    # (macros/incremental_rules.sql) and re-rates every landed record
    result = dbt(project, "build", "--select", "rate_cards+")
    assert result.returncode == 0, result.stdout[-3000:]
    after = dict(duck_query(db, lines_sql))
    changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
    # the 200.25 GB-month of 20 Feb 2026: 15.219 -> 16.02 (200.25 x 0.080 = 16.020)
    assert list(changed.values()) == [(Decimal("15.22"), Decimal("16.02"))]
    assert set(after) == set(before)
    totals_after = dict(duck_query(db, "select invoice_id, total_amount from fct_invoices"))
    assert {k: v for k, v in totals_after.items() if totals_before[k] != v} == {
        "C01-202602": Decimal("910.21") + Decimal("0.80")
    }
    # the snapshot keeps the old price, closed, beside the new one
    history = duck_query(
        db,
        "select unit_price, dbt_valid_to is null from rate_cards_snapshot "
        "where rate_version = 'FY2026.1' and sku_id = 'STO-T1-GBM' order by dbt_valid_from",
    )
    assert history == [(Decimal("0.076"), False), (Decimal("0.080"), True)]


@pytest.mark.postgres
def test_a_price_change_reaches_the_open_invoice_on_postgres(
    fixture_postgres_dump, tmp_path, monkeypatch
):
    """The same price change on PostgreSQL, on a copy of the built fixture, with a plain
    `dbt build`: the open February invoice of C01 moves by 200.25 GB-month x 0.004 = 0.80."""
    schema = pg_schema()
    project = copy_project(tmp_path / "repo")
    skip_tests = ["--exclude", "resource_type:test", "resource_type:unit_test"]
    for key, value in warehouse_env(tmp_path, "postgres", FIXTURE_LANDING, schema).items():
        monkeypatch.setenv(key, value)
    total_sql = (
        f"select total_amount from \"{schema}\".fct_invoices where invoice_id = 'C01-202602'"
    )
    try:
        copy_postgres_fixture(fixture_postgres_dump, schema)
        assert pg_query(total_sql) == [(Decimal("910.21"),)]
        edit_rate_cards(project, corrected_storage_rate)
        result = dbt(project, "build", *skip_tests)  # plain: no flag
        assert result.returncode == 0, result.stdout[-3000:]
        assert pg_query(total_sql) == [(Decimal("911.01"),)]
    finally:
        drop_pg_schemas(schema)
