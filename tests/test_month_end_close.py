"""The month-end close: issued invoices never change; corrections become prior-period
adjustments (PPAs) with interest on the next open invoice.

The scenario, on the hand-computed fixture (tests/expected.py), on DuckDB and PostgreSQL:
  1. close August 2025, February 2026 and March 2026 (March has no invoices) in order:
     SDCS-000001 (C01, Aug), SDCS-000002 (C01, Feb), SDCS-000003 (C03, Feb) and
     SDCSFR-000001 (C21, Feb), gapless per issuing entity;
  2. after the close, late usage lands for February (C01 20 mainframe CPU-hours, C03 1) and
     the FY2026.1 tier 1 storage rate is corrected from 0.076 to 0.080, and everything is
     rebuilt with a plain build (no flag: the rate change re-rates history), then again
     with --full-refresh;
  3. the issued invoices are byte-identical; the corrections are PPA lines on April 2026,
     the first open month, computed by hand:
       C01: mainframe 20 x 121.00 = 2,420.00, storage 200.25 x 0.080 = 16.02 - 15.22 = 0.80;
            interest at 3 % a year (seeds/ppa_terms.csv) on 2,420.80 for the 31 days from
            SDCS-000002's due date (2026-04-09) to April's invoice date (2026-05-10):
            2,420.80 x 0.03 x 31 / 365 = 6.1680657... -> 6.17; total 2,426.97;
       C03: mainframe 1 x 121.00 = 121.00, and its SLA credit (10 % of the month's mainframe
            charges) grows by 10 % of 121.00: -12.10; no interest terms: total 108.90;
  4. closing April issues the PPAs; nothing is adjusted twice afterwards;
  5. a bank statement lands: payments are matched by the invoice number in their remittance
     text (full, partial and over-payments), the rest is kept with its reason, a line sent
     twice counts once, and the receivables age as of the last booking date;
  6. the end of dispute DSP0001001's lifecycle (tests/expected.py): its 294.00 credit memo,
     refused while only its maker approved it, is approved by a second approver; February is
     closed, so it is a PPA on May 2026, the next open invoice, with 3 % interest for the 62
     days from SDCS-000002's due date (2026-04-09) to May's invoice date (2026-06-10):
     -294.00 x 0.03 x 62 / 365 = -1.4981917... -> -1.50; May's credit note is -295.50.
     A third export closes the dispute.
  7. the Dagster job month_end_close (DuckDB): refuses June while May has drafts, and a
     closed month, at once (before it lands or builds anything); closes May 2026 (its
     credit note), after a build that runs every dbt test on the state of step 6.
The scenario runs once per adapter and test run on one warehouse (the `closed` fixture
records what it sees at each step); the tests below check those observations. It starts
from a copy of the built fixture (on PostgreSQL, restored from a dump of it); intermediate
builds skip the dbt tests, the last one on DuckDB (the Dagster job) runs them all.
"""

from __future__ import annotations

import os
import pickle
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from chargeback.outputs import documents
from tests.test_documents import pdf_text

from . import partial_parse
from .conftest import (
    FIXTURE_LANDING,
    built_once,
    copy_postgres_fixture,
    copy_project,
    dbt,
    drop_pg_schemas,
    duck_query,
    edit_seed,
    pg_query,
    pg_schema,
    require_postgres,
    warehouse_env,
)

LATE_FILE = (
    "record_id,usage_date,cost_center_id,sku_id,asset_id,quantity,unit\n"
    "RU-20,2026-02-26,DPS-100,MF-CPU-HR,mf-1,20,CPU-hour\n"
    "RU-21,2026-02-27,DOT-100,MF-CPU-HR,mf-1,1,CPU-hour\n"
)
ISSUED = {
    "C01-202508": ("SDCS-000001", "2025-09-10", "2025-10-10", Decimal("4.50")),
    "C01-202602": ("SDCS-000002", "2026-03-10", "2026-04-09", Decimal("910.21")),
    "C03-202602": ("SDCS-000003", "2026-03-10", "2026-04-09", Decimal("589.56")),
    "C21-202602": ("SDCSFR-000001", "2026-03-08", "2026-04-07", Decimal("436.81")),
}
PPA_LINES = [  # invoice, charge_type, sku, original invoice, amount
    ("C01-202604", "ppa", "MF-CPU-HR", "C01-202602", Decimal("2420.00")),
    ("C01-202604", "ppa", "STO-T1-GBM", "C01-202602", Decimal("0.80")),
    ("C01-202604", "ppa_interest", "PPA-INTEREST", "C01-202602", Decimal("6.17")),
    ("C03-202604", "ppa", "MF-CPU-HR", "C03-202602", Decimal("121.00")),
    ("C03-202604", "ppa", "SLA-C03-MF", "C03-202602", Decimal("-12.10")),
]
PPA_TOTALS = {"C01-202604": Decimal("2426.97"), "C03-202604": Decimal("108.90")}
BANK_HEADER = (
    "booking_date,value_date,amount,currency,credit_debit,debtor_name,debtor_iban,"
    "remittance_information,end_to_end_id,bank_reference\n"
)
STATEMENT = BANK_HEADER + (
    "2026-04-08,2026-04-08,910.21,USD,CRDT,Department of Public Safety,,INV SDCS-000002,E1,B1\n"
    "2026-04-15,2026-04-15,300.00,USD,CRDT,Department of Transportation,,sdcs-000003 part,E2,B2\n"
    "2026-04-20,2026-04-20,450.00,EUR,CRDT,ARN,FR7630006000011234567890189,"
    "Facture SDCSFR-000001,E3,B3\n"
    "2026-04-21,2026-04-21,75.00,USD,CRDT,Unknown payer,,March services,E4,B4\n"
    "2026-04-22,2026-04-22,12.50,USD,DBIT,Bank,,Account fee,,B5\n"
    "2026-04-23,2026-04-23,abc,USD,CRDT,Somebody,,SDCS-000001,E6,B6\n"
)
RESENT = BANK_HEADER + (
    "2026-04-08,2026-04-08,910.21,USD,CRDT,Department of Public Safety,,INV SDCS-000002,E1,B1\n"
)
CHECKER = {
    "dispute_id": "DSP0001001",
    "approved_by": "k.lee",
    "approved_at": "2026-03-10 09:00:00",
    "approval_note": "Checked against the technician's corrected timesheet",
}
CLOSING_EXPORT = (
    "number,sys_id,opened_at,opened_by,company,u_billing_period,u_invoice_number,"
    "short_description,u_disputed_amount,u_currency,priority,state,assigned_to,assignment_group,"
    "u_acknowledged_at,u_investigation_completed_at,resolved_at,resolved_by,u_root_cause,"
    "u_outcome,u_resolution_amount,close_notes,sys_updated_on,sys_updated_by\n"
    'DSP0001001,5f1a0c01,2026-03-04 09:00:00,dps.finance,C01,2026-02,SDCS-000002,"On-site '
    'repair of INC2 (3 h, 294.00) billed but the visit was cancelled",294.00,USD,3 - Moderate,'
    "Closed,a.rivera,Billing Operations,2026-03-04 11:30:00,2026-03-06 16:00:00,"
    "2026-03-09 15:00:00,a.rivera,Service not delivered,Credit memo,294.00,"
    '"Visit cancelled by the agency on 3 Feb; the technician\'s timesheet is corrected",'
    "2026-06-12 09:00:00,a.rivera\n"
)
PAYMENTS = [
    ("bank/statement_2026-04.csv", 1, "matched", "SDCS-000002"),
    ("bank/statement_2026-04.csv", 2, "matched", "SDCS-000003"),
    ("bank/statement_2026-04.csv", 3, "matched", "SDCSFR-000001"),
    ("bank/statement_2026-04.csv", 4, "unmatched", None),
    ("bank/statement_2026-04.csv", 5, "not_a_receipt", None),
    ("bank/statement_2026-04.csv", 6, "invalid", "SDCS-000001"),  # the amount is "abc"
    ("bank/statement_2026-04b.csv", 1, "duplicate", "SDCS-000002"),  # B1 again
]
RECEIVABLES = [  # as of 2026-04-23, the last booking date
    ("SDCS-000001", "0.00", "4.50", "0.00", "unpaid", 195, "over_90"),
    ("SDCS-000002", "910.21", "0.00", "0.00", "paid", 14, "settled"),
    ("SDCS-000003", "300.00", "289.56", "0.00", "partially_paid", 14, "1-30"),
    ("SDCS-000004", "0.00", "2426.97", "0.00", "unpaid", -47, "not_due"),
    ("SDCS-000005", "0.00", "108.90", "0.00", "unpaid", -47, "not_due"),
    ("SDCSFR-000001", "450.00", "0.00", "13.19", "overpaid", 16, "settled"),
]
AR_SUMMARY = [  # month, currency, billed, paid, outstanding at the month's end
    ("2025-09-01", "USD", "4.50", "0.00", "4.50"),
    ("2026-03-01", "EUR", "436.81", "0.00", "436.81"),
    ("2026-03-01", "USD", "1499.77", "0.00", "1504.27"),
    ("2026-04-01", "EUR", "0.00", "450.00", "-13.19"),
    ("2026-04-01", "USD", "0.00", "1210.21", "294.06"),
    ("2026-05-01", "USD", "2535.87", "0.00", "2829.93"),
]


class Warehouse:
    """A copy of the dbt project and seeds, with its own landing folder and warehouse."""

    def __init__(self, tmp: Path, target: str, monkeypatch, built: Path):
        """`built`: the fixture already landed and built, to copy: fixture_duckdb's file, or
        fixture_postgres_dump's dump."""
        self.tmp, self.target = tmp, target
        self.project = copy_project(tmp / "repo")
        self.landing = tmp / "landing"
        shutil.copytree(FIXTURE_LANDING, self.landing)
        self.schema = pg_schema() if target == "postgres" else None
        env = warehouse_env(tmp, target, self.landing, self.schema)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        if not self.schema:
            monkeypatch.delenv("CHARGEBACK_SCHEMA", raising=False)
        if self.schema:
            copy_postgres_fixture(built, self.schema)
        else:
            shutil.copy(built, env["CHARGEBACK_DUCKDB_PATH"])

    def land(self) -> None:
        from chargeback.landing import Warehouse as Raw
        from chargeback.landing import land
        from chargeback.settings import load_settings

        with Raw.open(load_settings()) as wh:
            land(wh, self.landing)

    def q(self, sql: str) -> list[tuple]:
        if self.target == "duckdb":
            return duck_query(os.environ["CHARGEBACK_DUCKDB_PATH"], sql.format(s="main."))
        return pg_query(sql.format(s=f'"{self.schema}".'))

    def build(self, *args: str, tests: bool = True) -> None:
        """dbt build; without its data and unit tests unless `tests` (the last build of the
        scenario runs them all)."""
        skip = [] if tests else ["--exclude", "resource_type:test", "resource_type:unit_test"]
        result = dbt(self.project, "build", *args, *skip)
        assert result.returncode == 0, result.stdout[-3000:]

    def rebuild_after_close(self) -> None:
        """What a close changes: the register and everything downstream of it."""
        self.build("--select", "source:register+", tests=False)

    def close(self, period: str) -> str:
        args = f'{{period: "{period}", closed_by: "controller"}}'
        result = dbt(self.project, "run-operation", "close_billing_period", "--args", args)
        return ("ok: " if result.returncode == 0 else "refused: ") + " ".join(result.stdout.split())

    def issued(self) -> bytes:
        """The issued invoices and their lines, every column, as text."""
        rows = []
        for sql in (
            "select * from {s}fct_invoices where invoice_status = 'issued' order by invoice_id",
            "select * from {s}fct_invoice_lines where invoice_status = 'issued' "
            "order by invoice_line_id",
        ):
            rows += ["|".join("" if v is None else str(v) for v in r) for r in self.q(sql)]
        return "\n".join(rows).encode()

    def close_with_dagster(self, month: str):
        """The month_end_close job for `month` (YYYY-MM-01), on this project copy."""
        from dagster_defs.close import month_end_close
        from dagster_defs.dbt import ChargebackDbtCliResource, dbt_executable

        # through this process's links, as the in-process dbt: no parse again
        with partial_parse.dagster_run(self.project) as project:
            dbt_resource = ChargebackDbtCliResource(
                project_dir=str(project / "dbt_project"),
                profiles_dir=str(project),
                dbt_executable=dbt_executable(),
            )
            return month_end_close.execute_in_process(
                partition_key=month,
                resources={"dbt": dbt_resource},
                run_config={"ops": {"close_period": {"config": {"closed_by": "controller"}}}},
                raise_on_error=False,
            )


def job_failure(result) -> str:
    return " ".join(str(e.event_specific_data.error) for e in result.get_step_failure_events())


def run_scenario(w: Warehouse) -> dict:
    """Every step of the scenario, in order, on one warehouse: what each step shows."""
    seen: dict = {}
    seen["out_of_order"] = w.close("2026-02")
    seen["close_2025_08"] = w.close("2025-08")
    seen["stale_marts"] = w.close("2026-02")  # the marts predate the close
    w.rebuild_after_close()
    seen["again"] = w.close("2025-08")
    seen["close_2026_02"] = w.close("2026-02")
    w.rebuild_after_close()
    seen["close_2026_03"] = w.close("2026-03")  # a month without invoices closes too
    w.rebuild_after_close()
    seen["issued"] = {
        r[0]: (r[1], str(r[2]), str(r[3]), r[4])
        for r in w.q(
            "select invoice_id, invoice_number, invoice_date, due_date, total_amount "
            "from {s}fct_invoices where invoice_status = 'issued'"
        )
    }
    seen["ppa_lines_before"] = w.q(
        "select count(*) from {s}fct_invoice_lines where charge_type like 'ppa%'"
    )
    before = w.issued()

    # after the close: late usage, and a corrected rate
    (w.landing / "ru" / "ru_usage_2026-02-late.csv").write_text(LATE_FILE)
    w.land()

    def corrected(rows):
        for row in rows:
            if (row["rate_version"], row["sku_id"]) == ("FY2026.1", "STO-T1-GBM"):
                row["unit_price"] = "0.080000"
        return rows

    edit_seed(w.project, "rate_cards", corrected)
    ppa_sql = (
        "select invoice_id, charge_type, sku_id, original_invoice_id, line_amount "
        "from {s}fct_invoice_lines where charge_type like 'ppa%' "
        "order by invoice_id, charge_type, sku_id"
    )
    w.build(tests=False)  # a plain build: the corrected rate re-rates history, with no flag
    seen["unchanged_after_build"] = w.issued() == before
    seen["ppa_lines"] = w.q(ppa_sql)
    w.build("--full-refresh", tests=False)
    seen["unchanged_after_full_refresh"] = w.issued() == before
    seen["ppa_lines_after_full_refresh"] = w.q(ppa_sql)
    seen["ppa_totals"] = dict(
        w.q(
            "select invoice_id, total_amount from {s}fct_invoices "
            "where billing_month = '2026-04-01'"
        )
    )
    seen["interest"] = w.q(
        "select component_name from {s}fct_invoice_lines where sku_id = 'PPA-INTEREST'"
    )
    seen["focus_corrections"] = w.q(
        'select "ChargeClass", count(*) from {s}fct_focus_charges '
        'where "x_OriginalInvoiceId" is not null group by 1'
    )

    # closing April issues the PPAs; they are never billed again
    seen["close_2026_04"] = w.close("2026-04")
    w.rebuild_after_close()
    seen["april"] = w.q(
        "select invoice_id, invoice_number, total_amount from {s}fct_invoices "
        "where billing_month = '2026-04-01' order by 1"
    )
    seen["ppa_drafts_after_april"] = w.q(
        "select count(*) from {s}fct_invoice_lines "
        "where charge_type like 'ppa%' and invoice_status = 'draft'"
    )
    seen["numbers"] = w.q("select count(*), count(distinct invoice_number) from {s}fct_invoices")
    seen["april_pdf"] = pdf_text(documents.render_pdf(documents.load("SDCS-000004")))

    # payments from the bank: matched by the invoice number in the remittance text
    (w.landing / "bank").mkdir()
    (w.landing / "bank" / "statement_2026-04.csv").write_text(STATEMENT)
    (w.landing / "bank" / "statement_2026-04b.csv").write_text(RESENT)
    # and the dispute's second approver, then the export that closes it
    edit_seed(w.project, "dispute_approvals", lambda rows: [*rows, CHECKER])
    (w.landing / "disputes" / "servicenow_disputes_2026-06-12.csv").write_text(CLOSING_EXPORT)
    w.land()
    w.build(tests=False)  # the data tests run on this state on DuckDB, in the Dagster job
    if w.target == "duckdb":  # May has drafts: the Dagster job refuses June at once
        early = w.close_with_dagster("2026-06-01")
        seen["job_out_of_order"] = (
            early.success,
            job_failure(early),
            [e.step_key for e in early.get_step_success_events()],
        )
    seen["payments"] = w.q(
        "select source_file, source_row, match_status, referenced_invoice_number "
        "from {s}fct_payments order by source_file, source_row"
    )
    seen["bank_reconciliation"] = w.q(
        "select sum(landed_rows), sum(payment_rows), sum(quarantined_rows), sum(duplicate_rows) "
        "from {s}fct_landing_reconciliation where feed = 'bank'"
    )
    seen["receivables"] = [
        (r[0], str(r[1]), str(r[2]), str(r[3]), r[4], int(r[5]), r[6])
        for r in w.q(
            "select invoice_number, paid_amount, outstanding_amount, overpaid_amount, "
            "payment_status, days_past_due, aging_bucket from {s}fct_receivables order by 1"
        )
    ]
    seen["ar_summary"] = [
        tuple(str(v) for v in r)
        for r in w.q(
            "select month, currency, billed_amount, paid_amount, outstanding_amount "
            "from {s}fct_receivables_monthly_summary order by month, currency"
        )
    ]
    seen["dispute"] = w.q(
        "select approval_status, checker, billing_route, billed_on_invoice_id, state "
        "from {s}fct_disputes where dispute_id = 'DSP0001001'"
    )
    seen["dispute_lines"] = w.q(
        "select charge_type, sku_id, original_invoice_id, line_amount from {s}fct_invoice_lines "
        "where invoice_id = 'C01-202605' order by charge_type"
    )
    seen["credit_note"] = w.q(
        "select total_amount from {s}fct_invoices where invoice_id = 'C01-202605'"
    )
    seen["dispute_trail"] = w.q(
        "select event_type, event_status, actor from {s}fct_dispute_audit_trail "
        "where dispute_id = 'DSP0001001' order by event_sequence"
    )
    seen["reconciliation"] = [
        (r[0], *(Decimal(v).normalize() for v in r[1:4]), r[4])
        for r in w.q(
            "select sku_id, rated_quantity, billed_quantity, ppa_quantity, is_flagged "
            "from {s}fct_feed_reconciliation where billing_month = '2026-02-01' "
            "and sku_id in ('MF-CPU-HR', 'STO-T1-GBM') order by 1"
        )
    ]
    seen["flags"] = w.q("select count(*) from {s}fct_feed_reconciliation where is_flagged")

    if w.target == "duckdb":  # the Dagster job, on the same closed warehouse
        already = w.close_with_dagster("2026-04-01")
        seen["job_already_closed"] = (already.success, job_failure(already))
        seen["job_may"] = w.close_with_dagster("2026-05-01").success
        seen["job_may_issued"] = w.q(
            "select invoice_id, invoice_number, total_amount from {s}fct_invoices "
            "where billing_month = '2026-05-01' and invoice_status = 'issued'"
        )
        seen["job_closes"] = w.q("select count(*) from main_register.period_closes")
    return seen


def scenario_seen(request, tmp_path_factory, target: str) -> dict:
    """The whole scenario, once per adapter and test run: what it saw at each step."""
    if target == "postgres":
        require_postgres()
    fixture = "fixture_duckdb" if target == "duckdb" else "fixture_postgres_dump"
    built = request.getfixturevalue(fixture)

    def run(folder: Path) -> None:
        with pytest.MonkeyPatch.context() as monkeypatch:
            w = Warehouse(folder, target, monkeypatch, built)
            try:
                seen = run_scenario(w)
            finally:
                if w.schema:
                    drop_pg_schemas(w.schema)
        (folder / "seen.pickle").write_bytes(pickle.dumps(seen))

    folder = built_once(tmp_path_factory, f"month_end_close_{target}", run)
    return pickle.loads((folder / "seen.pickle").read_bytes())


@pytest.fixture(scope="module")
def closed(request, tmp_path_factory) -> dict:
    """The scenario on DuckDB. The same tests run on PostgreSQL from
    test_month_end_close_postgres.py, a module of its own so that the two scenarios (the
    longest fixtures of the suite) run at once on the two pytest-xdist workers."""
    return scenario_seen(request, tmp_path_factory, "duckdb")


def test_months_close_in_order_with_gapless_numbers(closed):
    assert "Close the months in order" in closed["out_of_order"]
    assert closed["close_2025_08"].startswith("ok: ")
    assert "Run `dbt build` first" in closed["stale_marts"]
    assert "is already closed" in closed["again"]
    assert closed["close_2026_02"].startswith("ok: ")
    assert closed["close_2026_03"].startswith("ok: ")
    assert closed["issued"] == ISSUED
    assert closed["ppa_lines_before"] == [(0,)]


def test_issued_invoices_never_change_even_on_a_full_rebuild(closed):
    assert closed["unchanged_after_full_refresh"]
    assert closed["unchanged_after_build"]


def test_corrections_are_prior_period_adjustments_with_interest(closed):
    """After a plain build (no --full-refresh: the rate change re-rated history by itself),
    and the same after a full rebuild."""
    assert closed["ppa_lines"] == PPA_LINES
    assert closed["ppa_lines_after_full_refresh"] == PPA_LINES
    assert closed["ppa_totals"] == PPA_TOTALS
    assert closed["interest"] == [
        ("3.0000 % a year x 31 days / 365, from 2026-04-09 to 2026-05-10",)
    ]
    assert closed["focus_corrections"] == [("Correction", 5)]


def test_closing_april_issues_the_adjustments_once(closed):
    assert closed["close_2026_04"].startswith("ok: ")
    assert closed["april"] == [
        ("C01-202604", "SDCS-000004", Decimal("2426.97")),
        ("C03-202604", "SDCS-000005", Decimal("108.90")),
    ]
    assert closed["ppa_drafts_after_april"] == [(0,)]
    assert closed["numbers"] == [(6, 6)]
    # the issued invoice's PDF: its number, its total, and the PPAs in their own section
    text = closed["april_pdf"]
    assert "INVOICE" in text and "DRAFT" not in text
    assert "Invoice number SDCS-000004" in text
    assert "Total due 2,426.97 USD" in text
    ppa_section = text[text.index("Prior-period adjustments") :]
    assert "corrects C01-202602 (2026-02)" in ppa_section
    assert "Subtotal 2,426.97" in ppa_section  # 2,420.00 + 0.80 + 6.17 of interest


def test_bank_payments_are_matched_and_receivables_aged(closed):
    assert closed["payments"] == PAYMENTS
    assert closed["bank_reconciliation"] == [(7, 5, 1, 1)]
    assert closed["receivables"] == RECEIVABLES
    assert closed["ar_summary"] == AR_SUMMARY


def test_an_approved_dispute_is_billed_as_a_ppa_with_interest(closed):
    assert closed["dispute"] == [
        ("approved", "k.lee", "prior_period_adjustment", "C01-202605", "closed")
    ]
    assert closed["dispute_lines"] == [
        ("ppa", "DSP0001001", "C01-202602", Decimal("-294.00")),
        ("ppa_interest", "PPA-INTEREST", "C01-202602", Decimal("-1.50")),
    ]
    assert closed["credit_note"] == [(Decimal("-295.50"),)]
    assert closed["dispute_trail"] == [
        ("version", "accepted", "a.rivera"),
        ("version", "accepted", "a.rivera"),
        ("approval", "by_maker", "a.rivera"),
        ("approval", "checker", "k.lee"),
        ("decision", "approved", "warehouse"),
        ("version", "accepted", "a.rivera"),  # closed after the credit memo is approved
    ]


def test_the_feed_reconciliation_explains_the_late_usage(closed):
    # February's late usage and corrected rate are explained by the PPAs
    assert closed["reconciliation"] == [
        ("MF-CPU-HR", Decimal("23.5"), Decimal("2.5"), Decimal("21"), False),
        ("STO-T1-GBM", Decimal("350.75"), Decimal("350.75"), Decimal("0"), False),
    ]
    assert closed["flags"] == [(0,)]


def test_the_dagster_close_job_refuses_then_closes(closed):  # on DuckDB only
    success, failure = closed["job_already_closed"]
    assert not success and "Month-end close of 2026-04 refused" in failure
    assert "is already closed" in failure
    success, failure, done = closed["job_out_of_order"]
    assert not success and "2026-05 still has draft invoices" in failure
    assert done == []  # refused before landing or building
    assert closed["job_may"]
    assert closed["job_may_issued"] == [("C01-202605", "SDCS-000006", Decimal("-295.50"))]
    assert closed["job_closes"] == [(5,)]
