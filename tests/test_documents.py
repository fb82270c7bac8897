"""Invoice documents (PDF, lines as CSV and Excel) and the audit package, read back.

The PDFs are parsed with pypdf: the text must hold the reference and the total exactly as
the invoice has them (tests/expected.py). The issued invoice, with its number and a PPA
section, is checked in the close scenario (tests/test_month_end_close.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from chargeback.db import WarehouseUnavailable
from chargeback.outputs import audit_package, documents
from tests.conftest import use_duckdb
from tests.expected import INVOICE_LINE_COUNTS, INVOICE_TOTALS


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def warehouse(fixture_duckdb, monkeypatch):
    use_duckdb(monkeypatch, fixture_duckdb)
    monkeypatch.delenv("CHARGEBACK_DASHBOARD_USER", raising=False)
    return fixture_duckdb


def test_every_invoice_pdf_reads_back_with_its_total(warehouse):
    for invoice_id, total in INVOICE_TOTALS.items():
        doc = documents.load(invoice_id)
        text = pdf_text(documents.render_pdf(doc))
        assert invoice_id in text
        assert f"{documents.amount_text(total, doc.language)} {doc.header['currency']}" in text


def test_english_invoice(warehouse):
    text = pdf_text(documents.render_pdf(documents.load("C01-202602")))
    assert "INVOICE" in text and "DRAFT" in text  # February is not closed in the fixture
    assert "Total due 910.21 USD" in text
    assert "Tax 0 % 0.00 USD" in text
    assert "Bill to" in text and "Department of Public Safety (C01)" in text
    for section in ("Compute", "Public Cloud", "Storage", "Support"):
        assert section in text
    assert "Subtotal 862.00" in text  # Support: 294.00 + 408.00 + 160.00
    assert "EIN 74-6000000" in text


def test_french_invoice_has_the_legal_mentions(warehouse):
    text = pdf_text(documents.render_pdf(documents.load("C21-202602")))
    assert "FACTURE" in text and "PROJET" in text
    assert "Total HT 364,01 EUR" in text
    assert "TVA 20 % 72,80 EUR" in text
    assert "Total TTC 436,81 EUR" in text
    assert "Date d'échéance 07/04/2026" in text
    assert "N° de TVA intracommunautaire: FR45532198765" in text
    flat = " ".join(text.split())
    for mention in (
        "SIREN 912 345 678",
        "SIRET 912 345 678 00019",
        "VAT FR12912345678",
        "pénalités au taux annuel de 10 %",
        "indemnité forfaitaire pour frais de recouvrement de 40 EUR",
        "TVA au taux normal de 20 %",
    ):
        assert mention in flat


def test_lines_csv_and_excel_add_up_to_the_invoice(warehouse):
    files = documents.documents("C03-202602")
    assert sorted(files) == [
        "invoice_C03-202602.pdf",
        "invoice_C03-202602_lines.csv",
        "invoice_C03-202602_lines.xlsx",
    ]
    rows = list(csv.DictReader(io.StringIO(files["invoice_C03-202602_lines.csv"].decode())))
    assert len(rows) == INVOICE_LINE_COUNTS["C03-202602"]
    assert sum(Decimal(r["line_amount"]) for r in rows) == Decimal("589.56")
    assert {r["charge_type"] for r in rows} >= {"usage", "sla_credit"}
    sheet = load_workbook(io.BytesIO(files["invoice_C03-202602_lines.xlsx"])).active
    assert sheet["B1"].value == "C03-202602"
    table = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(table) if r[0] == "invoice_line_id")
    amount_col = table[header].index("line_amount")
    body = table[header + 1 : header + 1 + INVOICE_LINE_COUNTS["C03-202602"]]
    values = [r[amount_col] for r in body]
    assert all(r[1] == "C03-202602" for r in body)
    assert sum(Decimal(str(v)) for v in values) == Decimal("589.56")
    total_row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Total")
    assert str(total_row[amount_col]).startswith("=SUM(")


def test_unknown_invoice(warehouse):
    with pytest.raises(documents.NoInvoice, match="No invoice 'C99-202602'"):
        documents.load("C99-202602")


def test_audit_package(warehouse):
    name, data = audit_package.build("C01", documents.pd.Timestamp("2026-02-01").date())
    assert name == "audit_package_C01_2026-02.zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert names == {
        "manifest.json",
        "invoices/invoice_C01-202602.pdf",
        "invoices/invoice_C01-202602_lines.csv",
        "invoices/invoice_C01-202602_lines.xlsx",
        "usage_events.csv",
        "raw_events_cloud.csv",
        "raw_events_ru.csv",
        "raw_events_labour.csv",
        "rate_cards.csv",
        "adjustments_and_credits.csv",
        "manual_adjustments.csv",
        "disputes.csv",
        "dispute_audit_trail.csv",
        "sla_service_credits.csv",
    }
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["customer_id"] == "C01" and manifest["billing_month"] == "2026-02"
    assert manifest["generated_by"].startswith("finance_admin")
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == names - {"manifest.json"}
    for path, entry in listed.items():
        content = archive.read(path)
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], path
        assert len(content) == entry["bytes"]

    def rows(path: str) -> list[dict]:
        return list(csv.DictReader(io.StringIO(archive.read(path).decode())))

    events = rows("usage_events.csv")
    assert len(events) == 11  # the invoice's usage_event_count
    raw = sum(len(rows(f"raw_events_{feed}.csv")) for feed in ("cloud", "ru", "labour"))
    assert raw == len({(e["file_id"], e["source_row"]) for e in events})
    rates = rows("rate_cards.csv")
    assert {(r["rate_version"], r["sku_id"]) for r in rates} >= {("FY2026.1", "STO-T1-GBM")}
    assert all(r["approved_by"] and r["approved_at"] and r["is_approved"] == "True" for r in rates)
    disputes = rows("disputes.csv")
    assert [d["dispute_id"] for d in disputes] == ["DSP0001001"]
    assert disputes[0]["maker"] == "a.rivera"
    trail = rows("dispute_audit_trail.csv")
    assert {t["event_type"] for t in trail} >= {"version", "approval", "decision"}
    # the same data gives the same files (but the manifest's generated_at and the workbook,
    # whose own zip records when it was written)
    again = zipfile.ZipFile(io.BytesIO(audit_package.build("C01", events_month())[1]))
    for path in names - {"manifest.json", "invoices/invoice_C01-202602_lines.xlsx"}:
        assert again.read(path) == archive.read(path), path


def events_month():
    return documents.pd.Timestamp("2026-02-01").date()


def test_audit_package_is_refused_to_a_viewer(warehouse, monkeypatch):
    monkeypatch.setenv("CHARGEBACK_DASHBOARD_USER", "viewer_dps")
    with pytest.raises(WarehouseUnavailable) as refused:
        audit_package.build("C01", events_month())
    assert refused.value.reason == "forbidden"
    monkeypatch.setenv("CHARGEBACK_DASHBOARD_USER", "auditor")
    assert audit_package.build("C01", events_month())[0] == "audit_package_C01_2026-02.zip"


def test_export_cli(warehouse, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "chargeback.outputs.export", "invoice", "--invoice", "C21-202602",
         "--out-dir", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Total TTC 436,81 EUR" in pdf_text((out / "invoice_C21-202602.pdf").read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "chargeback.outputs.export", "invoice", "--month", "2026-02",
         "--out-dir", str(out / "month")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "month").glob("*.pdf")) == [
        "invoice_C01-202602.pdf",
        "invoice_C03-202602.pdf",
        "invoice_C21-202602.pdf",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "chargeback.outputs.export", "audit-package", "--customer", "C03",
         "--month", "2026-02", "--out-dir", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert zipfile.ZipFile(out / "audit_package_C03_2026-02.zip").testzip() is None
    result = subprocess.run(
        [sys.executable, "-m", "chargeback.outputs.export", "audit-package", "--customer", "C03",
         "--month", "2025-08", "--out-dir", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "chargeback-export: No invoice for customer 'C03' in 2025-08 (or none you may read)."
    )
