"""The audit package: everything behind one customer's bill for one month, in one zip.

    chargeback-export audit-package --customer C01 --month 2026-02 --out-dir exports/

    invoices/<invoice>.pdf, _lines.csv, _lines.xlsx   the invoice documents (documents.py)
    usage_events.csv         every rated usage event behind those lines (fct_rated_usage),
                             with its rate version, source file and row
    raw_events_<feed>.csv    the landed rows those events were read from, as text
    rate_cards.csv           the rate card versions in force for the lines, with approvals
    adjustments_and_credits.csv   the lines that adjust (PPAs, credits, re-bills, SLA credits)
    manual_adjustments.csv   the billing desk's adjustments of the month, who asked and why
    disputes.csv             the customer's disputes of the month, maker, checker and outcome
    dispute_audit_trail.csv  every version and approval of those disputes
    sla_service_credits.csv  the SLA evaluations of the month and their credits
    manifest.json            what the package is, and the sha256 and size of every file

Everything is read as the signed-in principal, so a package never holds rows its reader
could not see (a viewer cannot read the rate cards or dispute trails: packages are for the
finance admin and auditors). Files carry a fixed timestamp inside the zip and the PDF is
dated with the invoice date, so the same data gives the same files, except the manifest's
`generated_at` and the workbook (its own zip records when it was written).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pandas as pd

from chargeback.db import current_principal, describe, query, relation
from chargeback.landing.feeds import USAGE_RAW_TABLES
from chargeback.outputs import documents
from chargeback.outputs.cell_safety import csv_row

ADJUSTING_CHARGE_TYPES = (
    "ppa",
    "ppa_interest",
    "credit",
    "deferral",
    "activity_cancellation",
    "dispute_credit",
    "dispute_rebill",
    "sla_credit",
)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


class NothingToAudit(LookupError):
    """No invoice for that customer and month (or none the principal may read)."""


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow(csv_row(documents._plain(v) for v in row))
    return buffer.getvalue().encode("utf-8")


def _in(values) -> str:
    return ", ".join("?" for _ in values)


def package_files(customer_id: str, month: dt.date) -> dict[str, bytes]:
    """The files of the package, by path inside the zip (the manifest excluded)."""
    invoices = query(
        f"""
        select invoice_id from {relation("fct_invoices")}
        where customer_id = ? and billing_month = ?
        order by invoice_id
        """,
        (customer_id, month),
    )
    if invoices.empty:
        raise NothingToAudit(
            f"No invoice for customer {customer_id!r} in {month:%Y-%m} (or none you may read)."
        )
    ids = list(invoices["invoice_id"])
    files: dict[str, bytes] = {}
    for invoice_id in ids:
        for name, data in documents.documents(invoice_id).items():
            files[f"invoices/{name}"] = data

    events = query(
        f"""
        select * from {relation("fct_rated_usage")}
        where invoice_id in ({_in(ids)})
        order by invoice_id, invoice_line_id, charge_date, source_file, source_row, usage_id
        """,
        ids,
    )
    files["usage_events.csv"] = _csv(events)
    for feed, table in USAGE_RAW_TABLES.items():
        mine = events[events["feed"] == feed]
        if mine.empty:
            continue
        raw = query(
            f"""
            select raw.*
            from {relation(table, raw=True)} as raw
            where exists (
                select 1 from {relation("fct_rated_usage")} as rated
                where rated.invoice_id in ({_in(ids)})
                    and rated.file_id = raw._file_id and rated.source_row = raw._source_row
            )
            order by raw._source_file, raw._source_row
            """,
            ids,
        )
        files[f"raw_events_{feed}.csv"] = _csv(raw)

    files["rate_cards.csv"] = _csv(
        query(
            f"""
            select rate_cards.*
            from {relation("dim_rate_cards")} as rate_cards
            where exists (
                select 1 from {relation("fct_invoice_lines")} as lines
                where lines.invoice_id in ({_in(ids)})
                    and lines.sku_id = rate_cards.sku_id
                    and lines.rate_version = rate_cards.rate_version
            )
            order by rate_cards.sku_id, rate_cards.rate_version
            """,
            ids,
        )
    )
    files["adjustments_and_credits.csv"] = _csv(
        query(
            f"""
            select * from {relation("fct_invoice_lines")}
            where invoice_id in ({_in(ids)})
                and (charge_type in ({_in(ADJUSTING_CHARGE_TYPES)})
                    or original_invoice_id is not null)
            order by invoice_id, charge_type, invoice_line_id
            """,
            [*ids, *ADJUSTING_CHARGE_TYPES],
        )
    )
    files["manual_adjustments.csv"] = _csv(
        query(
            f"""
            select * from {relation("fct_billing_adjustments")}
            where customer_id = ? and billing_month = ?
            order by adjustment_id
            """,
            (customer_id, month),
        )
    )
    disputes = query(
        f"""
        select * from {relation("fct_disputes")}
        where customer_id = ? and (billing_month = ? or billed_on_invoice_id in ({_in(ids)}))
        order by dispute_id
        """,
        [customer_id, month, *ids],
    )
    files["disputes.csv"] = _csv(disputes)
    dispute_ids = list(disputes["dispute_id"])
    trail = (
        query(
            f"""
            select * from {relation("fct_dispute_audit_trail")}
            where dispute_id in ({_in(dispute_ids)})
            order by dispute_id, event_sequence
            """,
            dispute_ids,
        )
        if dispute_ids
        else pd.DataFrame(columns=["dispute_id"])
    )
    files["dispute_audit_trail.csv"] = _csv(trail)
    files["sla_service_credits.csv"] = _csv(
        query(
            f"""
            select * from {relation("fct_sla_service_credits")}
            where customer_id = ? and billing_month = ?
            order by sla_evaluation_id
            """,
            (customer_id, month),
        )
    )
    return files


def manifest(customer_id: str, month: dt.date, files: dict[str, bytes]) -> bytes:
    """manifest.json: the package's subject, who made it from which warehouse, and the sha256
    and size of every other file."""
    who = current_principal()
    body = {
        "package": "chargeback audit package",
        "customer_id": customer_id,
        "billing_month": f"{month:%Y-%m}",
        "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "generated_by": who.describe(),
        "warehouse": describe(),
        "files": [
            {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for path, data in sorted(files.items())
        ],
    }
    return (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build(customer_id: str, month: dt.date) -> tuple[str, bytes]:
    """The zip's file name and bytes."""
    files = package_files(customer_id, month)
    files["manifest.json"] = manifest(customer_id, month, files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[path])
    return f"audit_package_{customer_id}_{month:%Y-%m}.zip", buffer.getvalue()


def write(customer_id: str, month: dt.date, out_dir: Path) -> Path:
    name, data = build(customer_id, month)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / name
    path.write_bytes(data)
    return path
