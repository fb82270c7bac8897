"""`chargeback-export`: write a mart to CSV for finance systems, or a planner's workbook.

    chargeback-export gl --month 2026-02 --out journal_2026-02.csv
    chargeback-export focus --month 2026-02 --out focus_2026-02.csv
    chargeback-export lar --customer C01 --out-dir exports/
    chargeback-export budget --fiscal-year 2027 --out-dir exports/
    chargeback-export invoice --invoice C21-202602 --out-dir exports/
    chargeback-export invoice --month 2026-02 --out-dir exports/     (every invoice of a month)
    chargeback-export audit-package --customer C01 --month 2026-02 --out-dir exports/

`gl` is the balanced double-entry journal (fct_gl_journal), `focus` the FOCUS 1.2 rows of
what is billed (fct_focus_charges). `lar` is a customer's Legislative Appropriations Request
for the next biennium and `budget` the annual operating budget report, each as a formatted
.xlsx and a .csv (chargeback/outputs/planning.py). `invoice` writes an invoice's PDF and its lines
as CSV and Excel (chargeback/outputs/documents.py); `audit-package` one zip with everything behind
a customer's month, with a sha256 manifest (chargeback/outputs/audit_package.py). Everything is read
as CHARGEBACK_DASHBOARD_USER (docs/access-control.md). Amounts are written exactly as stored
(decimals, never floats). Reads through short-lived read-only connections, like the dashboard.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

from chargeback.db import WarehouseUnavailable, query, relation
from chargeback.outputs.cell_safety import csv_row

EXPORTS = {
    # name: (mart, month column, order by)
    "gl": ("fct_gl_journal", "period_month", "period_month, journal_entry_id, account_role"),
    "focus": ("fct_focus_charges", '"BillingPeriodStart"', '"InvoiceId", "x_InvoiceLineId"'),
}


# Every command; each is also a dbt exposure (dbt_project/models/_exposures.yml).
COMMANDS = sorted([*EXPORTS, "lar", "budget", "invoice", "audit-package"])


def month_start(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a month as YYYY-MM, not {text!r}") from None


def export(name: str, out: Path, month: dt.date | None = None) -> int:
    """Write the export to `out`; return the number of data rows."""
    mart, month_column, order_by = EXPORTS[name]
    sql = f"select * from {relation(mart)}"
    params: tuple = ()
    if month is not None:
        sql += f" where cast({month_column} as date) = ?"
        params = (month,)
    frame = query(f"{sql} order by {order_by}", params)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(frame.columns)
        for row in frame.itertuples(index=False):
            writer.writerow(csv_row(row))
    return len(frame)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="chargeback-export",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("export", choices=COMMANDS)
    parser.add_argument("--month", type=month_start, help="billing month, YYYY-MM (default: all)")
    parser.add_argument("--out", type=Path, help="CSV file to write (gl, focus)")
    parser.add_argument("--customer", help="customer id (lar, audit-package), for example C01")
    parser.add_argument("--invoice", help="invoice id or number (invoice), e.g. C21-202602")
    parser.add_argument("--fiscal-year", type=int, help="fiscal year (budget), for example 2027")
    parser.add_argument(
        "--out-dir", type=Path, help="folder to write to (lar, budget, invoice, audit-package)"
    )
    args = parser.parse_args(argv)
    if args.export in EXPORTS and args.out is None:
        parser.error(f"{args.export} needs --out FILE")
    if args.export == "lar" and not (args.customer and args.out_dir):
        parser.error("lar needs --customer ID and --out-dir FOLDER")
    if args.export == "budget" and not (args.fiscal_year and args.out_dir):
        parser.error("budget needs --fiscal-year YEAR and --out-dir FOLDER")
    if args.export == "invoice" and not ((args.invoice or args.month) and args.out_dir):
        parser.error("invoice needs --invoice ID (or --month YYYY-MM) and --out-dir FOLDER")
    if args.export == "audit-package" and not (args.customer and args.month and args.out_dir):
        parser.error("audit-package needs --customer ID, --month YYYY-MM and --out-dir FOLDER")
    from . import audit_package, documents
    from .planning import NoData, write_lar, write_operating_budget

    try:
        if args.export == "invoice" and args.invoice:
            paths = documents.write_documents(args.invoice.strip(), args.out_dir)
        elif args.export == "invoice":
            paths = documents.write_month(args.month, args.out_dir)
        elif args.export == "audit-package":
            customer = args.customer.strip().upper()
            paths = [audit_package.write(customer, args.month, args.out_dir)]
        elif args.export == "lar":
            paths = write_lar(args.customer.strip().upper(), args.out_dir)
        elif args.export == "budget":
            paths = write_operating_budget(args.fiscal_year, args.out_dir)
        else:
            rows = export(args.export, args.out, args.month)
            print(f"wrote {rows} rows to {args.out}")
            return 0
    except (
        WarehouseUnavailable,
        NoData,
        documents.NoInvoice,
        audit_package.NothingToAudit,
    ) as exc:
        print(f"chargeback-export: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
