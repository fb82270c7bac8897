"""The GL journal of the hand-computed fixture, and its CSV export, on both warehouses."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from chargeback.outputs.export import main as export_main

from .conftest import duck_query, pg_query

# tests/expected.py, February 2026. C01's cloud lines are tagged dps-operations (DPS-200);
# everything else of C01 is DPS-100; all of C03 is DOT-100. The -1.02 cloud credit credits
# DPS-200's expense and debits the cloud recovery account.
# A journal is kept per currency: C21 is billed in EUR (by SDCS Europe SAS).
EXPENSE = [
    ("C01-202602", "USD", "1000-DPS-100-7241", Decimal("893.76"), Decimal("0.00")),
    ("C01-202602", "USD", "1000-DPS-200-7241", Decimal("17.47"), Decimal("1.02")),
    # C03: 5.61 + 302.50 + 485.10 + the 150.00 contract fee; the -323.40 included-hours
    # credit and the -30.25 mainframe SLA credit are credited back to its first cost center
    ("C03-202602", "USD", "1020-DOT-100-7241", Decimal("943.21"), Decimal("353.65")),
    # C21: 3.61 + 3.40 + the 357.00 subscription + 72.80 TVA, all on its one cost center
    ("C21-202602", "EUR", "2100-ARN-100-7241", Decimal("436.81"), Decimal("0.00")),
]
RECOVERY = [  # compute 8.50 + 302.50 + 4.50 (Aug 2025 is another period), storage 8.04 + 15.22
    ("EUR", "2400-TAX-PAY", Decimal("0.00"), Decimal("72.80")),  # TVA collected
    ("EUR", "4410-ITR-CMP", Decimal("0.00"), Decimal("3.61")),
    ("EUR", "4420-ITR-STO", Decimal("0.00"), Decimal("3.40")),
    ("EUR", "4430-ITR-NET", Decimal("0.00"), Decimal("357.00")),  # the managed firewall
    ("USD", "4410-ITR-CMP", Decimal("30.25"), Decimal("311.00")),  # the SLA credit reduces it
    ("USD", "4420-ITR-STO", Decimal("0.00"), Decimal("23.26")),
    # service desk 408 + 294 + 160 (C01) + 485.10 + 150.00 (C03), less the 323.40 credit
    ("USD", "4440-ITR-SUP", Decimal("323.40"), Decimal("1497.10")),
    ("USD", "4450-ITR-CLD", Decimal("1.02"), Decimal("23.08")),
]
EXPENSE_SQL = (
    "select invoice_id, currency, gl_account_id, sum(debit_amount), sum(credit_amount) "
    "from {s}fct_gl_journal where account_role = 'expense' and period_month = '2026-02-01' "
    "group by 1, 2, 3 order by 1, 2, 3"
)
RECOVERY_SQL = (
    "select currency, gl_account_id, sum(debit_amount), sum(credit_amount) "
    "from {s}fct_gl_journal where account_role = 'recovery' and period_month = '2026-02-01' "
    "group by 1, 2 order by 1, 2"
)


def test_gl_journal_on_duckdb(fixture_duckdb):
    assert duck_query(fixture_duckdb, EXPENSE_SQL.format(s="")) == EXPENSE
    assert duck_query(fixture_duckdb, RECOVERY_SQL.format(s="")) == RECOVERY


@pytest.mark.postgres
def test_gl_journal_on_postgres(fixture_postgres):
    assert pg_query(EXPENSE_SQL.format(s=f'"{fixture_postgres}".')) == EXPENSE
    assert pg_query(RECOVERY_SQL.format(s=f'"{fixture_postgres}".')) == RECOVERY


def test_the_gl_csv_export_balances(fixture_duckdb, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(fixture_duckdb))
    out = tmp_path / "journal.csv"
    assert export_main(["gl", "--month", "2026-02", "--out", str(out)]) == 0
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    for currency, total in (("USD", "2209.11"), ("EUR", "436.81")):
        debits = sum(Decimal(r["debit_amount"]) for r in rows if r["currency"] == currency)
        credits = sum(Decimal(r["credit_amount"]) for r in rows if r["currency"] == currency)
        # USD: 893.76 + 17.47 + 1.02 (C01) + 943.21 + 323.40 + 30.25 (C03);
        # EUR: C21 debits 436.81 of expense; the recovery accounts and TVA collected credit it
        assert debits == credits == Decimal(total)
    assert {r["period_month"] for r in rows} == {"2026-02-01"}
    assert f"wrote {len(rows)} rows" in capsys.readouterr().out


def test_the_focus_csv_export_and_a_bad_month(fixture_duckdb, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(fixture_duckdb))
    out = tmp_path / "focus.csv"
    assert export_main(["focus", "--out", str(out)]) == 0
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    for currency, total in (("USD", "1504.27"), ("EUR", "436.81")):
        billed = [Decimal(r["BilledCost"]) for r in rows if r["BillingCurrency"] == currency]
        assert sum(billed) == Decimal(total)
    with pytest.raises(SystemExit) as exc:
        export_main(["gl", "--month", "Feb", "--out", str(out)])
    assert exc.value.code == 2
    assert "expected a month as YYYY-MM, not 'Feb'" in capsys.readouterr().err
