"""The Streamlit dashboard: queries, figures and pages against a real warehouse (no mocks).

The query functions and the app run on the hand-computed fixture built through Dagster
(`fixture_duckdb`, and `fixture_postgres` for the PostgreSQL path); the numbers are the ones
in tests/expected.py.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from chargeback import db, queries
from chargeback.db import WarehouseUnavailable
from dashboards import figures, formatting
from tests.conftest import use_duckdb
from tests.expected import INVOICE_LINE_COUNTS, INVOICE_TOTALS

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"

# The C01 February storage line billed at the mid-month rate change (tests/expected.py).
STORAGE_LINE = {
    "invoice_id": "C01-202602",
    "sku_id": "STO-T1-GBM",
    "rate_version": "FY2026.1",
    "line_amount": Decimal("15.22"),
}


@pytest.fixture
def warehouse(fixture_duckdb: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dashboard pointed at the fixture DuckDB."""
    use_duckdb(monkeypatch, fixture_duckdb)
    return fixture_duckdb


@pytest.fixture
def warehouse_copy(fixture_duckdb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dashboard pointed at a private copy of the fixture, for tests that lock or open it
    read-write."""
    use_duckdb(monkeypatch, fixture_duckdb_copy)
    return fixture_duckdb_copy


def storage_line() -> pd.Series:
    lines = queries.invoice_lines(STORAGE_LINE["invoice_id"])
    match = lines[
        (lines["sku_id"] == STORAGE_LINE["sku_id"])
        & (lines["rate_version"] == STORAGE_LINE["rate_version"])
    ]
    assert len(match) == 1
    return match.iloc[0]


# --- queries on DuckDB -----------------------------------------------------------------


def test_invoices_match_the_hand_computed_totals(warehouse):
    invoices = queries.invoices()
    totals = dict(zip(invoices["invoice_id"], invoices["total_amount"], strict=True))
    assert totals == INVOICE_TOTALS
    assert all(isinstance(v, Decimal) for v in invoices["total_amount"])
    counts = dict(zip(invoices["invoice_id"], invoices["line_count"], strict=True))
    assert counts == INVOICE_LINE_COUNTS
    # newest month first
    assert list(invoices["billing_month"]) == sorted(invoices["billing_month"], reverse=True)


def test_invoice_filters(warehouse):
    february = queries.invoices(month=dt.date(2026, 2, 1))
    assert set(february["invoice_id"]) == {"C01-202602", "C03-202602", "C21-202602"}
    assert set(queries.invoices(month="2025-08")["invoice_id"]) == {"C01-202508"}
    assert set(queries.invoices(customer_id="C01")["invoice_id"]) == {"C01-202602", "C01-202508"}
    both = queries.invoices(month="2026-02-01", customer_id="C03")
    assert list(both["invoice_id"]) == ["C03-202602"]
    assert queries.invoices(month="2024-01").empty
    # values are parameters, never SQL text
    assert queries.invoices(customer_id="C01' or '1'='1").empty
    with pytest.raises(ValueError, match="billing month"):
        queries.invoices(month="February")


def test_invoice_months_and_customers(warehouse):
    months = queries.invoice_months()
    assert list(months["billing_month"]) == [dt.date(2026, 2, 1), dt.date(2025, 8, 1)]
    assert list(months["invoice_count"]) == [3, 1]
    customers = queries.customers().set_index("customer_id")
    assert customers.loc["C01", "customer_name"] == "Department of Public Safety"
    assert customers.loc["C01", "invoice_count"] == 2
    assert customers.loc["C03", "invoice_count"] == 1
    assert customers.loc["C02", "invoice_count"] == 0


@pytest.mark.parametrize("invoice_id", sorted(INVOICE_TOTALS))
def test_lines_add_up_to_the_invoice_total(warehouse, invoice_id):
    lines = queries.invoice_lines(invoice_id)
    assert len(lines) == INVOICE_LINE_COUNTS[invoice_id]
    assert all(isinstance(v, Decimal) for v in lines["line_amount"])
    assert sum(lines["line_amount"], Decimal(0)) == INVOICE_TOTALS[invoice_id]
    assert set(lines["invoice_id"]) == {invoice_id}


def test_drill_down_from_invoice_line_to_the_raw_row(warehouse):
    line = storage_line()
    assert line["line_amount"] == STORAGE_LINE["line_amount"]
    assert line["unit_price"] == Decimal("0.076")
    assert line["usage_event_count"] == 1

    events = queries.usage_events(line["invoice_line_id"])
    assert len(events) == 1
    event = events.iloc[0]
    assert event["feed"] == "ru"
    assert event["rate_version"] == "FY2026.1"
    assert event["unit_price"] == Decimal("0.076")
    assert event["rated_amount"] == Decimal("15.219")
    assert event["source_file"] == "ru/ru_usage_2026-02.csv"
    assert event["source_row"] == 4

    raw = queries.raw_event(event["feed"], event["file_id"], event["source_row"])
    assert len(raw) == 1
    row = raw.iloc[0]
    assert row["_source_file"] == "ru/ru_usage_2026-02.csv"
    assert row["_source_row"] == 4
    assert row["_source_line"] == event["source_line"] == 5
    assert row["quantity"] == "200.25"  # the text as it was in the file
    assert row["sku_id"] == "STO-T1-GBM"
    assert list(raw.columns[: len(queries.RAW_LINEAGE_COLUMNS)]) == list(
        queries.RAW_LINEAGE_COLUMNS
    )


def test_events_of_a_line_sum_to_its_unrounded_amount(warehouse):
    for invoice_id in INVOICE_TOTALS:
        for _, line in queries.invoice_lines(invoice_id).iterrows():
            events = queries.usage_events(line["invoice_line_id"])
            assert len(events) == line["usage_event_count"]
            in_month = queries.usage_events(
                line["invoice_line_id"], billing_month=queries.event_month(line)
            )
            assert in_month.equals(events)
            if line["charge_type"] == "usage":
                assert sum(events["rated_amount"], Decimal(0)) == line["unrounded_amount"]
            else:  # a labour contract fee or included-hours credit has no usage behind it
                assert events.empty


def test_usage_events_limit(warehouse):
    phone = queries.invoice_lines("C01-202602").query("sku_id == 'LAB-PHONE'").iloc[0]
    assert len(queries.usage_events(phone["invoice_line_id"])) == 2
    assert len(queries.usage_events(phone["invoice_line_id"], limit=1)) == 1
    with pytest.raises(ValueError, match="limit"):
        queries.usage_events(phone["invoice_line_id"], limit=0)


def test_raw_event_of_every_feed(warehouse):
    seen = set()
    for invoice_id in INVOICE_TOTALS:
        for line_id in queries.invoice_lines(invoice_id)["invoice_line_id"]:
            for _, event in queries.usage_events(line_id).iterrows():
                raw = queries.raw_event(event["feed"], event["file_id"], event["source_row"])
                assert len(raw) == 1
                assert raw.iloc[0]["_source_file"] == event["source_file"]
                seen.add(event["feed"])
    assert seen == set(queries.RAW_TABLES)


def test_raw_event_unknown_feed(warehouse):
    with pytest.raises(ValueError, match="unknown feed 'gpu'"):
        queries.raw_event("gpu", "x", 1)


# --- db: connections, errors, relation names -------------------------------------------


def test_missing_warehouse(tmp_path, monkeypatch):
    path = tmp_path / "nowhere.duckdb"
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(path))
    with pytest.raises(WarehouseUnavailable, match="make demo") as caught:
        queries.invoices()
    assert str(caught.value).startswith(f"No warehouse at {path}")
    assert caught.value.reason == "missing"
    assert not path.exists()  # a read-only dashboard never creates the file


def test_locked_warehouse(warehouse_copy):
    """A `dbt build` holds the DuckDB write lock: a clear message, not a traceback."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; con = duckdb.connect(sys.argv[1]); print('locked', flush=True);"
            " sys.stdin.read()",
            str(warehouse_copy),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(WarehouseUnavailable, match="being refreshed") as caught:
            queries.invoices()
        assert caught.value.reason == "locked"
    finally:
        holder.communicate(input="", timeout=30)
    assert len(queries.invoices()) == len(INVOICE_TOTALS)  # back once the build is done


def test_connection_is_short_lived(warehouse_copy):
    assert len(queries.invoices()) == len(INVOICE_TOTALS)
    # A lingering read-only connection in this process would make this fail.
    con = duckdb.connect(str(warehouse_copy))
    try:
        assert con.execute("select count(*) from main.fct_invoices").fetchall() == [(4,)]
    finally:
        con.close()


def test_query_is_read_only(warehouse_copy):
    with pytest.raises(duckdb.Error, match="read-only"):
        db.query("create table main.dashboard_was_here (a integer)")


def test_query_parameters(warehouse):
    df = db.query("select ? as a, ? as b, '100%' as c", (Decimal("1.50"), "x"))
    assert df.to_dict("records") == [{"a": Decimal("1.50"), "b": "x", "c": "100%"}]


def test_relation_names(monkeypatch):
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.delenv("CHARGEBACK_SCHEMA", raising=False)
    assert db.relation("fct_invoices") == '"main"."fct_invoices"'
    assert db.relation("ru_usage", raw=True) == '"main_raw"."ru_usage"'
    monkeypatch.setenv("CHARGEBACK_TARGET", "postgres")
    assert db.relation("fct_invoices") == '"chargeback"."fct_invoices"'
    assert db.relation("focus_usage", raw=True) == '"chargeback_raw"."focus_usage"'
    monkeypatch.setenv("CHARGEBACK_SCHEMA", "t_abc")
    assert db.relation("labour_activities", raw=True) == '"t_abc_raw"."labour_activities"'
    with pytest.raises(ValueError):
        db.relation("fct_invoices; drop table x")


def test_warehouse_key_has_no_password(monkeypatch):
    monkeypatch.setenv("CHARGEBACK_TARGET", "postgres")
    monkeypatch.setenv("CHARGEBACK_PG_PASSWORD", "s3cret")
    assert "s3cret" not in db.warehouse_key()
    assert "s3cret" not in db.describe()


# --- formatting and figures -------------------------------------------------------------


def test_formatting():
    assert formatting.money(Decimal("910.21"), "USD") == "$910.21"
    assert formatting.money(Decimal("-1.02"), "USD") == "-$1.02"
    assert formatting.money(Decimal("15.219"), "USD") == "$15.22"
    assert formatting.money(Decimal("2.295"), "USD") == "$2.30"  # half-up, like the invoices
    assert formatting.money(Decimal("1234.5"), "CHF") == "1,234.50 CHF"
    assert formatting.money(None) == "—"
    assert formatting.number(Decimal("200.250000000000")) == "200.25"
    assert formatting.number(Decimal("2.000000000000")) == "2"
    assert formatting.number(Decimal("0.076000000000")) == "0.076"
    assert formatting.month(dt.date(2026, 2, 1)) == "2026-02"
    assert formatting.unique_labels({"a": "x", "b": "x", "c": "y"}) == {
        "a": "x · a",
        "b": "x · b",
        "c": "y",
    }


def test_invoice_label(warehouse):
    invoice = queries.invoices(customer_id="C01", month="2026-02").iloc[0]
    assert formatting.invoice_label(invoice) == (
        "C01-202602 · Department of Public Safety · 2026-02 · $910.21"
    )


def test_invoices_by_month_figure(warehouse):
    fig = figures.invoices_by_month(queries.invoices())
    assert isinstance(fig, go.Figure)
    assert fig.layout.barmode == "stack"
    traces = {t.name: dict(zip(t.x, t.y, strict=True)) for t in fig.data}
    assert traces == {
        "C01 · Department of Public Safety": {"2025-08": 4.50, "2026-02": 910.21},
        "C03 · Department of Transportation": {"2026-02": 589.56},
        "C21 · Agence Régionale du Numérique": {"2026-02": 436.81},
    }
    # euros are never stacked on dollars
    assert {t.name: t.offsetgroup for t in fig.data}["C21 · Agence Régionale du Numérique"] == "EUR"
    assert {t.offsetgroup for t in fig.data} == {"USD", "EUR"}
    assert all(t.type == "bar" for t in fig.data)
    assert list(fig.layout.xaxis.categoryarray) == ["2025-08", "2026-02"]


def test_lines_by_service_figure(warehouse):
    fig = figures.lines_by_service(queries.invoice_lines("C01-202602"))
    assert isinstance(fig, go.Figure)
    traces = {t.name: dict(zip(t.y, t.x, strict=True)) for t in fig.data}
    assert traces == {
        "Compute": {"Data Center Compute": 8.50},
        "Public Cloud": {"Public Cloud (AWS)": pytest.approx(16.45)},
        "Storage": {"Data Center Storage": pytest.approx(23.26)},
        "Support": {"Service Desk": 862.00},
    }
    assert all(t.orientation == "h" for t in fig.data)
    assert sum(sum(t.x) for t in fig.data) == pytest.approx(910.21)


def test_figures_of_nothing():
    empty_invoices = pd.DataFrame(
        columns=["billing_month", "customer_id", "customer_name", "currency", "total_amount"]
    )
    assert len(figures.invoices_by_month(empty_invoices).data) == 0
    empty_lines = pd.DataFrame(columns=["service_category", "service_name", "line_amount"])
    assert len(figures.lines_by_service(empty_lines).data) == 0


# --- the app, through Streamlit's AppTest ------------------------------------------------


PAGES = APP.parent / "app_pages"


def app() -> AppTest:
    """The Invoices page (the router's default page is the Overview)."""
    return AppTest.from_file(str(PAGES / "invoices.py"), default_timeout=30)


def page_text(at: AppTest) -> str:
    """Everything the page shows as text: metrics, markdown, tables and dataframes."""
    parts = [str(m.value) for m in at.metric]
    parts += [str(m.value) for m in at.markdown]
    parts += [t.value.to_string() for t in at.table]
    parts += [d.value.to_string() for d in at.dataframe]
    return "\n".join(parts)


def test_app_drill_down(warehouse):
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "Invoices"
    invoice_box = at.selectbox(key="invoice")
    assert set(invoice_box.options) == {
        "C01-202602 · Department of Public Safety · 2026-02 · $910.21",
        "C01-202508 · Department of Public Safety · 2025-08 · $4.50",
        "C03-202602 · Department of Transportation · 2026-02 · $589.56",
        "C21-202602 · Agence Régionale du Numérique · 2026-02 · €436.81",
    }
    assert len(at.dataframe[0].value) == 4

    invoice_box.select("C01-202602").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Invoice total"] == "$910.21"
    assert metrics["Sum of lines"] == "$910.21"
    assert not at.warning  # the lines add up
    lines = at.dataframe[1].value
    assert len(lines) == 8
    assert sum(lines["Amount"], Decimal(0)) == Decimal("910.21")

    line_id = storage_line()["invoice_line_id"]
    at.selectbox(key="line").select(line_id).run()
    assert not at.exception
    assert "FY2026.1" in page_text(at)
    events = at.dataframe[2].value
    assert list(events["Source file"]) == ["ru/ru_usage_2026-02.csv"]
    assert list(events["Row"]) == [4]
    assert list(events["Rate version"]) == ["FY2026.1"]

    usage_id = queries.usage_events(line_id).iloc[0]["usage_id"]
    at.selectbox(key="event").select(usage_id).run()
    assert not at.exception
    text = page_text(at)
    assert "910.21" in text
    assert "`ru/ru_usage_2026-02.csv`, line 5 (data row 4)" in text
    raw = at.table[0].value
    assert raw.loc["quantity", "value"] == "200.25"
    assert raw.loc["record_id", "value"] == "RU-4"


def test_app_filters(warehouse):
    at = app().run()
    at.selectbox(key="month").select(dt.date(2025, 8, 1)).run()
    assert not at.exception
    assert list(at.dataframe[0].value["Invoice"]) == ["C01-202508"]
    at.selectbox(key="month").select("All").run()
    at.selectbox(key="customer").select("C03").run()
    assert not at.exception
    assert list(at.dataframe[0].value["Invoice"]) == ["C03-202602"]
    assert {m.label: m.value for m in at.metric}["Invoiced"] == "$589.56"


def test_app_without_a_warehouse(tmp_path, monkeypatch):
    path = tmp_path / "nowhere.duckdb"
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(path))
    at = app().run()
    assert not at.exception
    assert len(at.info) == 1
    assert at.info[0].value.startswith(f"No warehouse at {path}: run `make demo`")
    assert not at.selectbox


def test_app_while_the_warehouse_is_locked(warehouse_copy):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; con = duckdb.connect(sys.argv[1]); print('locked', flush=True);"
            " sys.stdin.read()",
            str(warehouse_copy),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        at = app().run()
        assert not at.exception
        assert [i.value for i in at.info] == [
            "The warehouse is being refreshed; try again in a minute."
        ]
    finally:
        holder.communicate(input="", timeout=30)


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.mark.postgres
def test_queries_on_postgres(fixture_postgres, monkeypatch):
    monkeypatch.setenv("CHARGEBACK_TARGET", "postgres")
    monkeypatch.setenv("CHARGEBACK_SCHEMA", fixture_postgres)
    invoices = queries.invoices()
    assert dict(zip(invoices["invoice_id"], invoices["total_amount"], strict=True)) == (
        INVOICE_TOTALS
    )
    for invoice_id, total in INVOICE_TOTALS.items():
        assert sum(queries.invoice_lines(invoice_id)["line_amount"], Decimal(0)) == total
    assert set(queries.invoices(month="2026-02", customer_id="C01")["invoice_id"]) == {"C01-202602"}

    line = storage_line()
    events = queries.usage_events(line["invoice_line_id"])
    event = events.iloc[0]
    assert (event["source_file"], event["source_row"]) == ("ru/ru_usage_2026-02.csv", 4)
    raw = queries.raw_event(event["feed"], event["file_id"], event["source_row"])
    assert raw.iloc[0]["quantity"] == "200.25"

    assert db.query("select ? as a, '100%' as b", (1,)).to_dict("records") == [
        {"a": 1, "b": "100%"}
    ]
    import psycopg2.errors

    with pytest.raises(psycopg2.errors.ReadOnlySqlTransaction):
        db.query(f"create table {db.relation('dashboard_was_here')} (a integer)")


# --- the forecast page ---------------------------------------------------------------------
FORECAST_PAGE = APP.parent / "app_pages" / "forecast.py"


def test_forecast_queries_and_figure(warehouse):
    months = queries.forecast_by_month("C03")
    assert set(months["service_category"]) == {"Compute", "Public Cloud", "Support"}
    assert months["is_rolling_horizon"].sum() == 18 * 3  # 18 months of 3 categories
    fig = figures.forecast_by_month(months)
    assert isinstance(fig, go.Figure) and len(fig.data) == 3
    assert figures.forecast_by_month(months.iloc[0:0]).layout.title.text == "Forecast by month"
    lar = queries.lar_summary("C03")
    assert list(lar["fiscal_year"]) == [2026, 2027, 2028, 2029]
    assert list(lar["is_requested_biennium"]) == [False, False, True, True]


def test_forecast_page(warehouse):
    at = AppTest.from_file(str(FORECAST_PAGE), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Forecast and budgets"
    at.selectbox(key="customer").select("C01").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    rolling = sum(
        queries.forecast_by_month("C01").query("is_rolling_horizon")["amount"], Decimal(0)
    )
    assert metrics["Next 18 months"] == formatting.money(rolling)
    assert metrics["LAR 2028-29"].startswith("$")
    budgets, lar, accuracy = (d.value for d in at.dataframe)
    assert list(budgets["Fiscal year"]) == ["FY2026", "FY2027"]
    assert budgets.iloc[0]["Billed"] == Decimal("910.21")
    assert list(lar["Fiscal year"]) == ["FY2025", "FY2026", "FY2027", "FY2028", "FY2029"]
    assert accuracy.iloc[0]["Service"] == "All services"
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "Download operating_budget_FY2027.xlsx",  # the newest fiscal year with budgets
        "Download operating_budget_FY2027.csv",
        "Download LAR_C01_2028-29.xlsx",
        "Download LAR_C01_2028-29.csv",
    ]


def test_forecast_page_without_a_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(tmp_path / "missing.duckdb"))
    at = AppTest.from_file(str(FORECAST_PAGE), default_timeout=30).run()
    assert not at.exception
    assert at.info and "missing.duckdb" in at.info[0].value


# --- every page, for every role (AppTest smoke tests) ---------------------------------------
PAGE_TITLES = {
    "overview.py": "Overview",
    "invoices.py": "Invoices",
    "variance.py": "Variance",
    "disputes.py": "Disputes and credits",
    "reconciliation.py": "Reconciliation and payments",
    "forecast.py": "Forecast and budgets",
    "data_quality.py": "Data quality",
}


def test_every_page_is_in_the_router():
    assert sorted(p.name for p in PAGES.glob("*.py")) == sorted(PAGE_TITLES)
    router = APP.read_text()
    for name in PAGE_TITLES:
        assert f'"app_pages/{name}"' in router


def test_the_router_opens_the_overview(warehouse):
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Overview"


@pytest.mark.parametrize("user", ["finance_admin", "auditor", "viewer_dps"])
@pytest.mark.parametrize("page", sorted(PAGE_TITLES))
def test_page_smoke(warehouse, monkeypatch, page, user):
    monkeypatch.setenv("CHARGEBACK_DASHBOARD_USER", user)
    at = AppTest.from_file(str(PAGES / page), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert at.title[0].value == PAGE_TITLES[page]
    assert f"signed in as {user} (" in at.caption[0].value
    locked = [i.value for i in at.info if i.value.startswith("Not available to your role")]
    if user == "viewer_dps":
        expected = {"reconciliation.py": 1, "forecast.py": 1, "data_quality.py": 3}
        assert len(locked) == expected.get(page, 0), locked
    else:
        assert locked == []


def test_overview_page(warehouse):
    at = AppTest.from_file(str(PAGES / "overview.py"), default_timeout=60).run()
    metrics = {m.label: m.value for m in at.metric}
    # the USD invoice lines without tax: C01 910.21 + 4.50, C03 589.56
    assert metrics["Spend shown"] == "$1,504.27"
    at.radio(key="dimension").set_value("department").run()
    assert not at.exception
    table = at.dataframe[0].value
    # rated usage is in the rate currency (USD), C21's ARN-100 included
    assert set(table["Department (cost center)"]) == {"DPS-100", "DPS-200", "DOT-100", "ARN-100"}
    at.selectbox(key="currency").set_value("EUR").run()
    at.radio(key="dimension").set_value("customer").run()
    assert {m.label: m.value for m in at.metric}["Spend shown"] == "€364.01"


def test_overview_for_a_department_viewer(warehouse, monkeypatch):
    monkeypatch.setenv("CHARGEBACK_DASHBOARD_USER", "viewer_dps_operations")
    at = AppTest.from_file(str(PAGES / "overview.py"), default_timeout=60).run()
    at.radio(key="dimension").set_value("department").run()
    assert not at.exception
    assert list(at.dataframe[0].value["Department (cost center)"]) == ["DPS-200"]


def test_spend_by_month_totals(warehouse):
    by_customer = queries.spend_by_month("customer", "USD")
    by_service = queries.spend_by_month("service", "USD")
    assert sum(by_customer["amount"], Decimal(0)) == sum(by_service["amount"], Decimal(0))
    assert sum(by_customer["amount"], Decimal(0)) == Decimal("1504.27")
    with pytest.raises(ValueError, match="unknown dimension 'x'"):
        queries.spend_by_month("x", "USD")
    fig = figures.spend_by_month(by_customer, "customer", "USD")
    assert {t.name for t in fig.data} == {"C01", "C03"}


def test_disputes_page_shows_the_audit_trail(warehouse):
    at = AppTest.from_file(str(PAGES / "disputes.py"), default_timeout=60).run()
    disputes = at.dataframe[0].value
    assert "DSP0001001" in set(disputes["Dispute"])
    at.selectbox(key="dispute").set_value("DSP0001001").run()
    assert not at.exception
    trail = at.dataframe[1].value
    assert list(trail["event_type"])[:3] == ["version", "version", "approval"]
    assert any("second approver" in w.value for w in at.warning)


def test_data_quality_page(warehouse):
    at = AppTest.from_file(str(PAGES / "data_quality.py"), default_timeout=60).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Quarantined rows"] == "14"
    # 28 February 2026 is a Saturday: February's EUR lines use the rate of the 27th
    fallback = "3 invoice line(s) were converted at an earlier rate"
    assert any(w.value.startswith(fallback) for w in at.warning)
    assert metrics["Files not balanced"] == "0"
    freshness = at.dataframe[1].value
    assert set(freshness["Feed"]) == {"cloud", "ru", "labour", "disputes", "sla"}
    at.selectbox(key="reason").set_value("NO_RATE").run()
    rows = at.dataframe[1].value  # shown under the reasons
    assert list(rows["reason_code"]) == ["NO_RATE"]


def test_freshness_status():
    from chargeback.freshness import freshness_status, freshness_thresholds

    assert freshness_thresholds() == {"warn_after": 48, "error_after": 168}
    now = dt.datetime(2026, 3, 10, 12, 0)
    assert freshness_status(dt.datetime(2026, 3, 9, 12, 0), now) == "fresh"
    assert freshness_status(dt.datetime(2026, 3, 8, 12, 0), now) == "warn"
    assert freshness_status(dt.datetime(2026, 3, 3, 12, 0), now) == "stale"
    assert freshness_status(None, now) == "never landed"
