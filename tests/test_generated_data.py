"""A generated dataset through the whole Dagster job: every injected defect is caught."""

from __future__ import annotations

import pytest

from dagster_defs.demo_data.generator import generate

from .conftest import duck_query, run_pipeline, warehouse_env


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("generated")
    landing = tmp / "landing"
    summary = generate(
        landing, seed=7, customers=20, months=18, end_month="2026-10", rows=30_000,
        dirt_rate=0.02, untagged_rate=0.15,
    )  # fmt: skip
    env = warehouse_env(tmp, "duckdb", landing)
    run_pipeline(env)
    return summary, env["CHARGEBACK_DUCKDB_PATH"]


def test_every_injected_defect_is_quarantined_with_its_reason(generated):
    summary, db = generated
    by_feed = summary["dirt_by_feed"]
    malformed = summary["malformed_by_kind_by_feed"]
    expected = {
        "MALFORMED_LINE": summary["malformed_by_kind"]["too_few_fields"]
        + summary["malformed_by_kind"]["too_many_fields"],
        "INVALID_DATE": summary["malformed_by_kind"]["bad_date"],
        "INVALID_COST": malformed["cloud"]["bad_number"],
        "INVALID_QUANTITY": malformed["ru"]["bad_number"] + malformed["labour"]["bad_number"],
        "UNKNOWN_PROVIDER": by_feed["cloud"]["unknown_sku"],
        "UNKNOWN_SKU": by_feed["ru"]["unknown_sku"] + by_feed["labour"]["unknown_sku"],
        "NEGATIVE_QUANTITY": summary["dirt"]["negative_quantity"],
        "ABSURD_QUANTITY": summary["dirt"]["absurd_quantity"],
        "UNKNOWN_COST_CENTER": summary["dirt"]["unknown_cost_center"],
    }
    expected = {reason: n for reason, n in expected.items() if n}
    found = dict(
        duck_query(db, "select reason_code, count(*) from fct_quarantined_usage group by 1")
    )
    assert found == expected
    assert sum(expected.values()) > 100


def test_rows_are_conserved_and_duplicates_counted(generated):
    summary, db = generated
    landed, rated, unallocated, quarantined, duplicates, unbalanced = duck_query(
        db,
        "select sum(landed_rows), sum(rated_rows), sum(unallocated_rows), sum(quarantined_rows), "
        "sum(duplicate_rows), count(*) filter (where not is_balanced) "
        "from fct_landing_reconciliation",
    )[0]
    assert landed == summary["total_rows"] == 30_000
    assert duplicates == summary["dirt"]["duplicate"]
    assert unallocated == summary["unmapped_cloud_rows"]
    assert landed == rated + unallocated + quarantined + duplicates
    assert unbalanced == 0


def test_late_rows_are_billed_in_their_own_month(generated):
    summary, db = generated
    late = duck_query(
        db,
        "select count(*) from fct_rated_usage "
        "where strftime(billing_month, '%Y-%m') <> regexp_extract(source_file, '(\\d{4}-\\d{2})')",
    )
    assert late == [(summary["dirt"]["late_arriving"],)]


def test_every_customer_gets_an_invoice_every_month(generated):
    _, db = generated
    invoices = duck_query(
        db,
        "select count(*), count(distinct customer_id), count(distinct billing_month) "
        "from fct_invoices",
    )
    assert invoices == [(20 * 18, 20, 18)]
    months = duck_query(db, "select min(billing_month), max(billing_month) from fct_invoices")[0]
    assert [m.isoformat()[:7] for m in months] == ["2025-05", "2026-10"]


def test_untagged_cloud_spend_goes_to_the_account_owner(generated):
    _, db = generated
    rules = dict(
        duck_query(
            db,
            "select consumer_rule, count(*) from fct_rated_usage where feed = 'cloud' group by 1",
        )
    )
    assert set(rules) == {"tag", "account_owner", "unallocated"}
    assert rules["tag"] > rules["account_owner"] > rules["unallocated"] > 0
