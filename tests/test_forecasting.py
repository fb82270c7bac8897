"""Forecasts, budgets, alerts and the LAR on the hand-computed fixture, on both warehouses.

The fixture's history is February 2026 (and one day of August 2025), so the forecast
origin is February 2026 and every line is flat at February's daily rate (docs/forecasting.md):
  C03 MF-CPU-HR: 2.5 CPU-hours in 28 days = 0.089286 a day (6 decimals);
      March 2026: x 31 days = 2.7679 CPU-hours x 121.00 (FY2026)  = 334.92
      September 2026: x 30 = 2.6786 x 124.00 (FY2027)           = 332.15
      September 2027: 2.6786 x 127.00 (FY2028, announced)         = 340.18
  C01 STO-T1-GBM (a monthly unit, not divided by days): 300.75 GB-month a month;
      January 2027 with PC-001's +5,000 GB-month: 5,300.75 x 0.072 (FY2027) = 381.65
  C05 SRV-PHY: no history, onboarded by PC-004 in July 2027: 300 server-days x 22.00 = 6,600.00
Budgets (seeds/budgets.csv): C01 FY2026 1,000.00; billed 910.21 in February = 91.02 %.
"""

from __future__ import annotations

import email
import email.policy
from decimal import Decimal

import pytest

from .conftest import duck_query, pg_query

FORECAST_SQL = (
    "select customer_id, sku_id, billing_month, volume, rate_version, amount, "
    "planned_change_ids from {s}fct_forecasts "
    "where customer_id || ' ' || sku_id || ' ' || cast(billing_month as varchar) in ("
    "'C03 MF-CPU-HR 2026-03-01', 'C03 MF-CPU-HR 2026-09-01', 'C03 MF-CPU-HR 2027-09-01', "
    "'C01 STO-T1-GBM 2027-01-01', 'C05 SRV-PHY 2027-06-01', 'C05 SRV-PHY 2027-07-01') "
    "order by 1, 2, 3"
)
FORECASTS = [
    ("C01", "STO-T1-GBM", "2027-01-01", "5300.7500", "FY2027", "381.65", "PC-001"),
    ("C03", "MF-CPU-HR", "2026-03-01", "2.7679", "FY2026", "334.92", None),
    ("C03", "MF-CPU-HR", "2026-09-01", "2.6786", "FY2027", "332.15", None),
    ("C03", "MF-CPU-HR", "2027-09-01", "2.6786", "FY2028", "340.18", None),
    ("C05", "SRV-PHY", "2027-06-01", "0.0000", "FY2027", "0.00", None),
    ("C05", "SRV-PHY", "2027-07-01", "300.0000", "FY2027", "6600.00", "PC-004"),
]
ALERTS_SQL = (
    "select customer_id, fiscal_year, basis, threshold_percent, severity, crossed_month "
    "from {s}fct_budget_alerts where customer_id = 'C01' and fiscal_year = 2026 "
    "order by basis, threshold_percent"
)
ALERTS = [  # billed 91.02 % in February; the forecast passes 100 % and the 110 % cap in March
    ("C01", "2026", "actual", "80.0000", "warning", "2026-02-01"),
    ("C01", "2026", "forecast", "80.0000", "warning", "2026-02-01"),
    ("C01", "2026", "forecast", "100.0000", "critical", "2026-03-01"),
    ("C01", "2026", "forecast", "110.0000", "throttling_review", "2026-03-01"),
]
MARTS = (
    "select * from {s}fct_forecasts order by forecast_id",
    "select * from {s}fct_forecast_accuracy order by service_name",
    "select * from {s}fct_budget_months order by budget_month_id",
    "select * from {s}fct_budget_vs_actual order by budget_id",
    "select * from {s}fct_budget_alerts order by alert_id",
    "select * from {s}fct_lar_forecasts order by lar_row_id",
    "select * from {s}fct_cost_anomalies order by anomaly_id",
)


def text(rows):
    return [tuple(None if v is None else str(v) for v in row) for row in rows]


def check_forecasts(q) -> None:
    assert text(q(FORECAST_SQL)) == FORECASTS
    assert q("select origin_month, horizon_last_month from {s}int_forecast_origins "
             "where origin_type = 'forecast'")[0][1].isoformat() == "2029-08-01"  # fmt: skip
    # 18 rolling months, then on to the end of the 2028-29 biennium (August 2029)
    assert q(
        "select count(distinct billing_month), "
        "count(distinct case when is_rolling_horizon then billing_month end) "
        "from {s}fct_forecasts"
    ) == [(42, 18)]
    assert text(q(ALERTS_SQL)) == ALERTS
    # one alert per customer, fiscal year, threshold and basis
    assert q(
        "select count(*) from (select customer_id, fiscal_year, threshold_percent, basis "
        "from {s}fct_budget_alerts group by 1, 2, 3, 4 having count(*) > 1) as twice"
    ) == [(0,)]
    assert text(
        q(
            "select budget_amount, actual_amount, actual_percent_of_budget, is_throttling_review "
            "from {s}fct_budget_vs_actual where customer_id = 'C01' and fiscal_year = 2026"
        )
    ) == [("1000.00", "910.21", "91.02", "True")]
    lar = q(
        "select fiscal_year, fiscal_year_role, is_requested_biennium, sum(actual_amount), "
        "sum(forecast_amount) from {s}fct_lar_forecasts where customer_id = 'C03' "
        "group by 1, 2, 3 order by 1"
    )
    # C03 is billed 589.56 in February 2026 (FY2026), forecast after it; LAR 2028-29
    assert [r[:3] for r in lar] == [
        (2026, "current_estimate", False),
        (2027, "forecast", False),
        (2028, "forecast", True),
        (2029, "forecast", True),
    ]
    assert lar[0][3] == Decimal("589.56")


def test_forecasts_budgets_and_lar_on_duckdb(fixture_duckdb):
    check_forecasts(lambda sql: duck_query(fixture_duckdb, sql.format(s="main.")))


@pytest.mark.postgres
def test_forecasts_budgets_and_lar_on_postgres(fixture_postgres):
    check_forecasts(lambda sql: pg_query(sql.format(s=f'"{fixture_postgres}".')))


@pytest.mark.postgres
def test_duckdb_and_postgres_forecast_exactly_alike(fixture_duckdb, fixture_postgres):
    for sql in MARTS:
        duck = text(duck_query(fixture_duckdb, sql.format(s="main.")))
        pg = text(pg_query(sql.format(s=f'"{fixture_postgres}".')))
        assert duck == pg, sql


def use_warehouse(monkeypatch, db, tmp_path):
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(db))
    monkeypatch.setenv("CHARGEBACK_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.delenv("CHARGEBACK_SCHEMA", raising=False)


def test_the_lar_workbook_totals_are_the_marts(fixture_duckdb, tmp_path, monkeypatch, capsys):
    import openpyxl

    from chargeback.outputs.export import main as export_main

    use_warehouse(monkeypatch, fixture_duckdb, tmp_path)
    assert export_main(["lar", "--customer", "c01", "--out-dir", str(tmp_path)]) == 0
    xlsx = tmp_path / "LAR_C01_2028-29.xlsx"
    assert f"wrote {xlsx}" in capsys.readouterr().out
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["LAR", "Monthly forecast", "Assumptions"]
    ws = wb["LAR"]
    assert ws["A1"].value == (
        "Legislative Appropriations Request 2028-29: Department of Public Safety"
    )
    header = [c.value for c in ws[4]]
    years = [int(h.split("\n")[0][2:]) for h in header[1:]]
    assert years == [2025, 2026, 2027, 2028, 2029]
    assert header[4].endswith("Requested") and header[5].endswith("Requested")
    total_row = next(r for r in ws.iter_rows(min_row=5) if r[0].value == "Total")
    mart = dict(
        duck_query(
            fixture_duckdb,
            "select fiscal_year, sum(total_amount) from fct_lar_forecasts "
            "where customer_id = 'C01' group by 1",
        )
    )
    assert {y: Decimal(str(c.value)) for y, c in zip(years, total_row[1:], strict=True)} == mart
    biennium = next(
        r for r in ws.iter_rows(min_row=5) if r[0].value == "Requested biennium 2028-29"
    )
    assert Decimal(str(biennium[1].value)) == mart[2028] + mart[2029]
    assert total_row[1].number_format == "#,##0.00;[Red]-#,##0.00"
    # the monthly sheet is fct_forecasts, the CSV the mart
    monthly = list(wb["Monthly forecast"].iter_rows(min_row=2, values_only=True))
    (count,) = duck_query(
        fixture_duckdb, "select count(*) from fct_forecasts where customer_id = 'C01'"
    )
    assert len(monthly) == count[0]
    rows = (tmp_path / "LAR_C01_2028-29.csv").read_text().splitlines()
    assert rows[0].startswith("customer_id,customer_name,requested_biennium,fiscal_year")
    assert (
        len(rows) - 1
        == duck_query(
            fixture_duckdb, "select count(*) from fct_lar_forecasts where customer_id = 'C01'"
        )[0][0]
    )


def test_the_operating_budget_report(fixture_duckdb, tmp_path, monkeypatch, capsys):
    import openpyxl

    from chargeback.outputs.export import main as export_main

    use_warehouse(monkeypatch, fixture_duckdb, tmp_path)
    assert export_main(["budget", "--fiscal-year", "2026", "--out-dir", str(tmp_path)]) == 0
    ws = openpyxl.load_workbook(tmp_path / "operating_budget_FY2026.xlsx").active
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert Decimal(str(rows["C01"][3])) == Decimal("1000.00")
    assert Decimal(str(rows["C01"][4])) == Decimal("910.21")
    assert rows["C01"][11] == "yes"  # the projection passes the 110 % cap
    assert Decimal(str(rows["Total USD"][3])) == Decimal("10000.00")  # C01 1,000 + C03 9,000
    assert Decimal(str(rows["Total EUR"][3])) == Decimal("6000.00")  # C21
    # bad requests are told, not a traceback
    assert export_main(["budget", "--fiscal-year", "1999", "--out-dir", str(tmp_path)]) == 1
    assert "No budget for FY1999" in capsys.readouterr().err
    assert export_main(["lar", "--customer", "C99", "--out-dir", str(tmp_path)]) == 1
    assert "No LAR figures for customer 'C99'" in capsys.readouterr().err


def test_each_budget_alert_is_delivered_once(fixture_duckdb, tmp_path, monkeypatch):
    import dagster as dg

    from dagster_defs.alerts import budget_alert_sensor, budget_alerts_job

    use_warehouse(monkeypatch, fixture_duckdb, tmp_path)
    outbox = tmp_path / "outbox"
    (expected,) = duck_query(fixture_duckdb, "select count(*) from fct_budget_alerts")
    assert expected[0] >= 4

    first = budget_alert_sensor(dg.build_sensor_context())
    assert isinstance(first, dg.RunRequest)
    assert budget_alerts_job.execute_in_process().success
    messages = sorted(outbox.glob("*.eml"))
    assert len(messages) == expected[0]
    # running the job again, and the sensor, changes nothing
    before = {p.name: p.read_bytes() for p in messages}
    assert budget_alerts_job.execute_in_process().success
    assert {p.name: p.read_bytes() for p in outbox.glob("*.eml")} == before
    assert isinstance(budget_alert_sensor(dg.build_sensor_context()), dg.SkipReason)

    (alert_id,) = duck_query(
        fixture_duckdb,
        "select alert_id from fct_budget_alerts where customer_id = 'C01' "
        "and fiscal_year = 2026 and basis = 'actual' and threshold_percent = 80",
    )[0]
    data = (outbox / f"{alert_id}.eml").read_bytes()
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["To"] == "finance@dps.example.gov"
    assert message["Subject"] == (
        "[WARNING] Department of Public Safety: FY2026 spending has reached 80 % of budget"
    )
    assert message["X-Chargeback-Alert-Id"] == alert_id
    assert "reached 80 % of the budget of 1000.00 USD in 2026-02" in message.get_content()
