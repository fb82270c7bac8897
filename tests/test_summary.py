"""The demo summary, on the hand-computed fixture, on both warehouses."""

from __future__ import annotations

import pytest

from chargeback.outputs.summary import build_summary, main

# 910.21 + 4.50 + 589.56 USD, and C21's 436.81 EUR (tests/expected.py), never added together
EXPECTED_LINES = [
    "  periods      2 (2025-08-01 to 2026-02-01)",
    "  customers    3",
    "  invoices     4",
    "  total billed 1,504.27 USD + 436.81 EUR",
    "  showback     0 statements, 0.00 shown, not billed",
    "  unallocated  2.30 (cloud spend with no owner, not invoiced)",
    "  landed rows  34 from 3 files: 17 rated, 1 unallocated, 14 quarantined, 2 duplicates",
    "  other feeds  12 rows from 4 files: 0 bank lines, 5 dispute versions, 2 SLA measurements, "
    "3 quarantined, 2 duplicates",
    "  disputes     2 awaiting_resolution, 1 not_required, 1 refused",
    "  SLA credits  30.25 USD for 1 breach(es)",
    "  reconciled   0 feed, month and SKU difference(s) flagged",
    # one day of August 2025 against February 2026: nothing to learn from, nothing to beat
    "  backtest     WAPE 101.00 % vs naive 100.99 % from 2025-08",
    "  planning     7 budget alert(s), 0 cost anomaly day(s)",
    "    UNKNOWN_SKU                      2",
    "    NO_RATE                          1",
]


def test_summary_on_duckdb(fixture_duckdb, monkeypatch):
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(fixture_duckdb))
    lines = build_summary().splitlines()
    for line in EXPECTED_LINES:
        assert line in lines


@pytest.mark.postgres
def test_summary_on_postgres(fixture_postgres, monkeypatch):
    monkeypatch.setenv("CHARGEBACK_TARGET", "postgres")
    monkeypatch.setenv("CHARGEBACK_SCHEMA", fixture_postgres)
    lines = build_summary().splitlines()
    for line in EXPECTED_LINES:
        assert line in lines


def test_summary_without_a_warehouse_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(tmp_path / "none.duckdb"))
    assert main() == 1
    assert "No warehouse at" in capsys.readouterr().err
