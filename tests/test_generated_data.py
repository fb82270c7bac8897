"""A generated dataset through the whole Dagster job: every injected defect is caught."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from chargeback.demo_data import generate

from .conftest import (
    REPO_ROOT,
    drop_pg_schemas,
    duck_query,
    pg_query,
    pg_schema,
    require_postgres,
    run_pipeline,
    warehouse_env,
)

# seeds/contracts.csv: the charge types each contract adds, and to whom, in May 2026. C09
# spends less than its 25,000.00 monthly minimum at this size (30,000 rows), so it is topped
# up; C10's annual commitment is trued up in August 2026 only (below).
CONTRACT_LINES_MAY_2026 = {
    "bundle_discount": "C12",
    "commitment_true_up": "C09",
    "hybrid_allowance": "C06",
    "hybrid_fee": "C06",
    "spend_discount": "C11",
    "subscription": "C07,C08,C21",
    "tier_adjustment": "C02,C04",
}


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
    summary["out_dir"] = str(landing)
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
    # C19 and C20 are showback (seeds/billing_policies.csv); C21 has no usage here (the
    # first 20 customers), but its firewall subscription (seeds/contracts.csv, from
    # 15 February 2026) is billed every month from February to October 2026: 9 invoices
    assert invoices == [(18 * 18 + 9, 19, 18)]
    statements = duck_query(
        db, "select count(*), count(distinct customer_id) from fct_showback_statements"
    )
    assert statements == [(2 * 18, 2)]
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


SHARED_POOLS = {  # seeds/shared_cost_pools.csv, from March 2026
    "POOL-IAM": Decimal("24000.00"),
    "POOL-MON": Decimal("36500.00"),
    "POOL-DCO": Decimal("58000.00"),
    "POOL-SMO": Decimal("15000.00"),
    "POOL-SUP": Decimal("20000.00"),
    "POOL-SEC": Decimal("18750.00"),
}


def test_every_pool_is_allocated_whole_every_month(generated):
    _, db = generated
    rows = duck_query(
        db,
        "select pool_id, billing_month, sum(allocated_amount), count(*) "
        "from fct_shared_cost_allocations group by 1, 2",
    )
    assert len(rows) == len(SHARED_POOLS) * 8  # 2026-03 .. 2026-10
    for pool_id, month, allocated, customers in rows:
        assert month.isoformat() >= "2026-03-01"
        assert allocated == SHARED_POOLS[pool_id], (pool_id, month)
        assert customers >= 1
    lines = duck_query(
        db,
        "select sum(line_amount) from fct_invoice_lines where charge_type = 'shared_cost'",
    )
    assert lines == [(sum(SHARED_POOLS.values()) * 8,)]  # nothing left unallocated


def test_invoices_include_shared_costs_and_still_equal_their_lines(generated):
    _, db = generated
    mismatches = duck_query(
        db,
        "select i.invoice_id from fct_invoices i join (select invoice_id, sum(line_amount) s "
        "from fct_invoice_lines group by 1) l using (invoice_id) where i.total_amount <> l.s",
    )
    assert mismatches == []
    kinds = duck_query(
        db,
        "select charge_type, count(distinct invoice_id) from fct_invoice_lines "
        "where billing_month = date '2026-05-01' group by 1 order by 1",
    )
    kinds = dict(kinds)
    assert (kinds["shared_cost"], kinds["usage"]) == (20, 20)
    assert kinds["labour_contract"] == 3  # C03, C05 and C11 (seeds/labour_contracts.csv)
    assert 1 <= kinds["labour_allowance"] <= 3  # a credit only where included hours were used
    # every billing model of seeds/contracts.csv is on the May 2026 invoices, on the
    # customers whose contract it is
    contract_lines = duck_query(
        db,
        "select charge_type, string_agg(distinct customer_id, ',' order by customer_id) "
        "from fct_invoice_lines where billing_month = date '2026-05-01' "
        "and contract_id is not null group by 1 order by 1",
    )
    assert dict(contract_lines) == CONTRACT_LINES_MAY_2026
    annual = duck_query(
        db,
        "select billing_month from fct_invoice_lines "
        "where contract_id = 'K-C10-COMMIT' and charge_type = 'commitment_true_up'",
    )
    assert [m.isoformat() for (m,) in annual] == ["2026-08-01"]


def test_the_dashboard_explains_a_shared_cost_line(generated, monkeypatch):
    from streamlit.testing.v1 import AppTest

    _, db = generated
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(db))
    app = AppTest.from_file(
        str(REPO_ROOT / "dashboards" / "app_pages" / "invoices.py"), default_timeout=60
    ).run()
    invoice = app.selectbox(key="invoice")
    invoice.select_index(next(i for i, o in enumerate(invoice.options) if "C01-202605" in o))
    app.run()
    line = app.selectbox(key="line")
    line.select_index(next(i for i, o in enumerate(line.options) if "POOL-SUP" in o)).run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "Enterprise support contract" in text and "allocated **fixed**" in text
    assert "weight 90000 of 1000000" in text  # C01's 9% of the support contract
    assert "$1,800.00" in text  # 9% of 20,000.00
    assert app.caption[-1].value == "The 20 shares add up to $20,000.00."


@pytest.mark.postgres
def test_postgres_allocates_and_invoices_exactly_like_duckdb(generated, tmp_path):
    require_postgres()
    summary, db = generated
    schema = pg_schema()
    env = warehouse_env(tmp_path, "postgres", Path(summary["out_dir"]), schema)
    try:
        # the data tests ran on this data on DuckDB, and on PostgreSQL on the fixture
        run_pipeline(env, data_tests=False)
        for sql in (
            "select pool_id, billing_month, customer_id, weight_units, allocated_amount "
            "from {s}fct_shared_cost_allocations order by 1, 2, 3",
            "select invoice_id, line_count, total_amount from {s}fct_invoices order by 1",
            "select invoice_line_id, charge_type, contract_id, currency, line_amount "
            "from {s}fct_invoice_lines order by 1",
            # the forecast, its backtest, the LAR and the anomalies: the same to the digit
            "select * from {s}fct_forecasts order by forecast_id",
            "select * from {s}fct_lar_forecasts order by lar_row_id",
            "select * from {s}fct_cost_anomalies order by anomaly_id",
        ):
            duck = [tuple(map(str, r)) for r in duck_query(db, sql.format(s="main."))]
            pg = [tuple(map(str, r)) for r in pg_query(sql.format(s=f'"{schema}".'))]
            assert duck == pg and len(duck) > 100
        accuracy = "select * from {s}fct_forecast_accuracy order by service_name"
        duck = [tuple(map(str, r)) for r in duck_query(db, accuracy.format(s="main."))]
        assert duck == [tuple(map(str, r)) for r in pg_query(accuracy.format(s=f'"{schema}".'))]
    finally:
        drop_pg_schemas(schema)


def test_the_forecast_beats_the_naive_forecast(generated):
    """The backtest on this demo data (docs/forecasting.md): the method started six months
    before October 2026 misses by less than the last value repeated, overall and on six
    services of eight."""
    _, db = generated
    rows = duck_query(
        db,
        "select service_name, forecast_wape_percent, naive_wape_percent, is_better_than_naive "
        "from fct_forecast_accuracy order by service_name",
    )
    overall = next(r for r in rows if r[0] == "All services")
    assert overall == ("All services", Decimal("12.68"), Decimal("13.70"), True)
    assert sum(1 for r in rows if r[0] != "All services" and r[3]) == 6
    (origin,) = duck_query(db, "select distinct backtest_origin_month from fct_forecast_accuracy")
    assert str(origin[0]) == "2026-04-01"


def test_every_anomaly_is_explained_by_its_top_contributors(generated):
    _, db = generated
    anomalies = duck_query(
        db,
        "select anomaly_id, daily_amount, median_amount, robust_z_score, top_contributors "
        "from fct_cost_anomalies",
    )
    assert len(anomalies) > 10
    for _, amount, median, z, top in anomalies:
        assert abs(z) >= Decimal("3.5") and abs(amount - median) >= 50
        assert top and 1 <= top.count(": ") <= 3
