"""`chargeback-export`: write a mart to CSV for finance systems.

    chargeback-export gl --month 2026-02 --out journal_2026-02.csv
    chargeback-export focus --month 2026-02 --out focus_2026-02.csv

`gl` is the balanced double-entry journal (fct_gl_journal), `focus` the FOCUS 1.2 rows of
what is billed (fct_focus_charges). Amounts are written exactly as stored (decimals, never
floats). Reads through short-lived read-only connections, like the dashboard.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

from dashboards.db import WarehouseUnavailable, query, relation

EXPORTS = {
    # name: (mart, month column, order by)
    "gl": ("fct_gl_journal", "period_month", "period_month, journal_entry_id, account_role"),
    "focus": ("fct_focus_charges", '"BillingPeriodStart"', '"InvoiceId", "x_InvoiceLineId"'),
}


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
            writer.writerow("" if value is None or value != value else value for value in row)
    return len(frame)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="chargeback-export",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("export", choices=sorted(EXPORTS))
    parser.add_argument("--month", type=month_start, help="billing month, YYYY-MM (default: all)")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    args = parser.parse_args(argv)
    try:
        rows = export(args.export, args.out, args.month)
    except WarehouseUnavailable as exc:
        print(f"chargeback-export: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {rows} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
