"""The month-end close: issued invoices never change; corrections become prior-period
adjustments (PPAs) with interest on the next open invoice.

The scenario, on the hand-computed fixture (tests/expected.py), on DuckDB and PostgreSQL:
  1. close August 2025, February 2026 and March 2026 (March has no invoices) in order:
     SDCS-000001 (C01, Aug), SDCS-000002 (C01, Feb), SDCS-000003 (C03, Feb) and
     SDCSFR-000001 (C21, Feb), gapless per issuing entity;
  2. after the close, late usage lands for February (C01 20 mainframe CPU-hours, C03 1) and
     the FY2026.1 tier 1 storage rate is corrected from 0.076 to 0.080, and everything is
     rebuilt, even with --full-refresh;
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
"""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from chargeback.outputs import documents
from tests.test_documents import pdf_text

from .conftest import (
    FIXTURE_LANDING,
    REPO_ROOT,
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

    def __init__(self, tmp: Path, target: str, monkeypatch):
        self.tmp, self.target = tmp, target
        self.project = tmp / "repo"
        shutil.copytree(REPO_ROOT / "dbt_project", self.project / "dbt_project",
                        ignore=shutil.ignore_patterns("target", "logs"))  # fmt: skip
        shutil.copytree(REPO_ROOT / "seeds", self.project / "seeds")
        shutil.copy(REPO_ROOT / "profiles.yml", self.project / "profiles.yml")
        self.landing = tmp / "landing"
        shutil.copytree(FIXTURE_LANDING, self.landing)
        self.schema = pg_schema() if target == "postgres" else None
        env = warehouse_env(tmp, target, self.landing, self.schema)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        if not self.schema:
            monkeypatch.delenv("CHARGEBACK_SCHEMA", raising=False)
        self.land()

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

    def build(self, *args: str) -> None:
        result = dbt(self.project, "build", *args)
        assert result.returncode == 0, result.stdout[-3000:]

    def rebuild_after_close(self) -> None:
        """What a close changes: the register and everything downstream of it."""
        self.build("--select", "source:register+")

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


def run_scenario(w: Warehouse) -> None:
    w.build()
    assert "Close the months in order" in w.close("2026-02")
    assert w.close("2025-08").startswith("ok: ")
    assert "Run `dbt build` first" in w.close("2026-02")  # the marts predate the close
    w.rebuild_after_close()
    assert "is already closed" in w.close("2025-08")
    assert w.close("2026-02").startswith("ok: ")
    w.rebuild_after_close()
    assert w.close("2026-03").startswith("ok: ")  # a month without invoices closes too
    w.rebuild_after_close()
    issued = {
        r[0]: (r[1], str(r[2]), str(r[3]), r[4])
        for r in w.q(
            "select invoice_id, invoice_number, invoice_date, due_date, total_amount "
            "from {s}fct_invoices where invoice_status = 'issued'"
        )
    }
    assert issued == ISSUED
    assert w.q("select count(*) from {s}fct_invoice_lines where charge_type like 'ppa%'") == [(0,)]
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
    w.build("--full-refresh")
    assert w.issued() == before  # issued invoices never change, even on a full rebuild
    w.build()
    assert w.issued() == before

    ppa = w.q(
        "select invoice_id, charge_type, sku_id, original_invoice_id, line_amount "
        "from {s}fct_invoice_lines where charge_type like 'ppa%' "
        "order by invoice_id, charge_type, sku_id"
    )
    assert ppa == PPA_LINES
    totals = dict(
        w.q(
            "select invoice_id, total_amount from {s}fct_invoices "
            "where billing_month = '2026-04-01'"
        )
    )
    assert totals == PPA_TOTALS
    (interest,) = w.q(
        "select component_name from {s}fct_invoice_lines where sku_id = 'PPA-INTEREST'"
    )
    assert interest[0] == "3.0000 % a year x 31 days / 365, from 2026-04-09 to 2026-05-10"
    assert w.q(
        'select "ChargeClass", count(*) from {s}fct_focus_charges '
        'where "x_OriginalInvoiceId" is not null group by 1'
    ) == [("Correction", 5)]

    # closing April issues the PPAs; they are never billed again
    assert w.close("2026-04").startswith("ok: ")
    w.rebuild_after_close()
    assert w.q(
        "select invoice_id, invoice_number, total_amount from {s}fct_invoices "
        "where billing_month = '2026-04-01' order by 1"
    ) == [
        ("C01-202604", "SDCS-000004", Decimal("2426.97")),
        ("C03-202604", "SDCS-000005", Decimal("108.90")),
    ]
    assert w.q(
        "select count(*) from {s}fct_invoice_lines "
        "where charge_type like 'ppa%' and invoice_status = 'draft'"
    ) == [(0,)]
    assert w.q("select count(*), count(distinct invoice_number) from {s}fct_invoices") == [(6, 6)]
    # the issued invoice's PDF: its number, its total, and the PPAs in their own section
    text = pdf_text(documents.render_pdf(documents.load("SDCS-000004")))  # found by number
    assert "INVOICE" in text and "DRAFT" not in text
    assert "Invoice number SDCS-000004" in text
    assert "Total due 2,426.97 USD" in text
    ppa_section = text[text.index("Prior-period adjustments") :]
    assert "corrects C01-202602 (2026-02)" in ppa_section
    assert "Subtotal 2,426.97" in ppa_section  # 2,420.00 + 0.80 + 6.17 of interest

    # payments from the bank: matched by the invoice number in the remittance text
    (w.landing / "bank").mkdir()
    (w.landing / "bank" / "statement_2026-04.csv").write_text(STATEMENT)
    (w.landing / "bank" / "statement_2026-04b.csv").write_text(RESENT)
    # and the dispute's second approver, then the export that closes it
    edit_seed(w.project, "dispute_approvals", lambda rows: [*rows, CHECKER])
    (w.landing / "disputes" / "servicenow_disputes_2026-06-12.csv").write_text(CLOSING_EXPORT)
    w.land()
    w.build()
    payments = w.q(
        "select source_file, source_row, match_status, referenced_invoice_number "
        "from {s}fct_payments order by source_file, source_row"
    )
    assert payments == PAYMENTS
    assert w.q(
        "select sum(landed_rows), sum(payment_rows), sum(quarantined_rows), sum(duplicate_rows) "
        "from {s}fct_landing_reconciliation where feed = 'bank'"
    ) == [(7, 5, 1, 1)]
    receivables = w.q(
        "select invoice_number, paid_amount, outstanding_amount, overpaid_amount, "
        "payment_status, days_past_due, aging_bucket from {s}fct_receivables order by 1"
    )
    assert [
        (r[0], str(r[1]), str(r[2]), str(r[3]), r[4], int(r[5]), r[6]) for r in receivables
    ] == (RECEIVABLES)
    summary = w.q(
        "select month, currency, billed_amount, paid_amount, outstanding_amount "
        "from {s}fct_receivables_monthly_summary order by month, currency"
    )
    assert [tuple(str(v) for v in r) for r in summary] == AR_SUMMARY

    # the dispute: approved by a checker, billed as a PPA with interest on the next open invoice
    assert w.q(
        "select approval_status, checker, billing_route, billed_on_invoice_id, state "
        "from {s}fct_disputes where dispute_id = 'DSP0001001'"
    ) == [("approved", "k.lee", "prior_period_adjustment", "C01-202605", "closed")]
    assert w.q(
        "select charge_type, sku_id, original_invoice_id, line_amount from {s}fct_invoice_lines "
        "where invoice_id = 'C01-202605' order by charge_type"
    ) == [
        ("ppa", "DSP0001001", "C01-202602", Decimal("-294.00")),
        ("ppa_interest", "PPA-INTEREST", "C01-202602", Decimal("-1.50")),
    ]
    assert w.q("select total_amount from {s}fct_invoices where invoice_id = 'C01-202605'") == [
        (Decimal("-295.50"),)
    ]
    assert w.q(
        "select event_type, event_status, actor from {s}fct_dispute_audit_trail "
        "where dispute_id = 'DSP0001001' order by event_sequence"
    ) == [
        ("version", "accepted", "a.rivera"),
        ("version", "accepted", "a.rivera"),
        ("approval", "by_maker", "a.rivera"),
        ("approval", "checker", "k.lee"),
        ("decision", "approved", "warehouse"),
        ("version", "accepted", "a.rivera"),  # closed after the credit memo is approved
    ]
    # reconciliation: February's late usage and corrected rate are explained by the PPAs
    recon = w.q(
        "select sku_id, rated_quantity, billed_quantity, ppa_quantity, is_flagged "
        "from {s}fct_feed_reconciliation where billing_month = '2026-02-01' "
        "and sku_id in ('MF-CPU-HR', 'STO-T1-GBM') order by 1"
    )
    assert [(r[0], *(Decimal(v).normalize() for v in r[1:4]), r[4]) for r in recon] == [
        ("MF-CPU-HR", Decimal("23.5"), Decimal("2.5"), Decimal("21"), False),
        ("STO-T1-GBM", Decimal("350.75"), Decimal("350.75"), Decimal("0"), False),
    ]
    assert w.q("select count(*) from {s}fct_feed_reconciliation where is_flagged") == [(0,)]


def test_close_ppa_and_interest_on_duckdb(tmp_path, monkeypatch):
    run_scenario(Warehouse(tmp_path, "duckdb", monkeypatch))


@pytest.mark.postgres
def test_close_ppa_and_interest_on_postgres(tmp_path, monkeypatch):
    require_postgres()
    w = Warehouse(tmp_path, "postgres", monkeypatch)
    try:
        run_scenario(w)
    finally:
        drop_pg_schemas(w.schema)


def test_the_dagster_close_job_refuses_a_month_already_closed(tmp_path, monkeypatch):
    from dagster_defs.close import month_end_close
    from dagster_defs.dbt import dbt_resource

    env = warehouse_env(tmp_path, "duckdb", FIXTURE_LANDING)  # the job lands and builds
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    def close(month: str):
        return month_end_close.execute_in_process(
            partition_key=month,
            resources={"dbt": dbt_resource},
            run_config={"ops": {"close_period": {"config": {"closed_by": "controller"}}}},
            raise_on_error=False,
        )

    def failure(result) -> str:
        return " ".join(str(e.event_specific_data.error) for e in result.get_step_failure_events())

    refused = close("2026-02-01")
    assert not refused.success
    assert "Month-end close of 2026-02 refused" in failure(refused)
    assert "2025-08 still has draft invoices" in failure(refused)
    assert close("2025-08-01").success
    again = close("2025-08-01")
    assert not again.success and "is already closed" in failure(again)
    assert close("2026-02-01").success
    db = env["CHARGEBACK_DUCKDB_PATH"]
    assert duck_query(
        db, "select invoice_number from fct_invoices where invoice_status = 'issued' order by 1"
    ) == [("SDCS-000001",), ("SDCS-000002",), ("SDCS-000003",), ("SDCSFR-000001",)]
    assert duck_query(db, "select count(*) from main_register.period_closes") == [(2,)]
