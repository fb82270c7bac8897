"""`python -m dagster_defs.summary`: a short report of what the warehouse holds.

Periods, customers, invoices, total billed, the unallocated bucket, and rows quarantined by
reason. It reads the marts through the dashboard's short-lived read-only connections.
"""

from __future__ import annotations

import sys

from dashboards.db import WarehouseUnavailable, query, relation


def _money(value) -> str:
    return f"{value:,.2f}" if value is not None else "0.00"


def build_summary() -> str:
    totals = query(
        "select count(distinct billing_month) as periods, min(billing_month) as first_month, "
        "max(billing_month) as last_month, count(distinct customer_id) as customers, "
        "count(*) as invoices "
        f"from {relation('fct_invoices')}"
    ).iloc[0]
    # amounts in different currencies are never added together
    billed = query(
        "select currency, sum(total_amount) as billed "
        f"from {relation('fct_invoices')} group by currency order by currency desc"
    )
    files = query(
        "select count(*) as files, sum(landed_rows) as landed, sum(rated_rows) as rated, "
        "sum(unallocated_rows) as unallocated, sum(quarantined_rows) as quarantined, "
        "sum(duplicate_rows) as duplicates, "
        "sum(case when is_balanced then 0 else 1 end) as unbalanced "
        f"from {relation('fct_landing_reconciliation')}"
    ).iloc[0]
    showback = query(
        "select count(*) as statements, sum(total_amount) as shown "
        f"from {relation('fct_showback_statements')}"
    ).iloc[0]
    unallocated = query(
        f"select sum(rated_amount) as amount from {relation('fct_unallocated_charges')}"
    ).iloc[0]
    reasons = query(
        f"select reason_code, count(*) as row_count from {relation('fct_quarantined_usage')} "
        "group by reason_code order by row_count desc, reason_code"
    )
    lines = [
        "Chargeback warehouse summary",
        f"  periods      {totals.periods} ({totals.first_month} to {totals.last_month})",
        f"  customers    {totals.customers}",
        f"  invoices     {totals.invoices}",
        "  total billed "
        + (" + ".join(f"{_money(r.billed)} {r.currency}" for r in billed.itertuples()) or "0.00"),
        f"  showback     {showback.statements} statements, "
        f"{_money(showback.shown)} shown, not billed",
        f"  unallocated  {_money(unallocated.amount)} (cloud spend with no owner, not invoiced)",
        f"  landed rows  {int(files.landed or 0):,} from {files.files} files: "
        f"{int(files.rated or 0):,} rated, {int(files.unallocated or 0):,} unallocated, "
        f"{int(files.quarantined or 0):,} quarantined, {int(files.duplicates or 0):,} duplicates"
        + ("" if not files.unbalanced else f"  ({files.unbalanced} FILES UNBALANCED)"),
        "  quarantined by reason:",
    ]
    lines += [f"    {r.reason_code:<24}{int(r.row_count):>10,}" for r in reasons.itertuples()]
    if reasons.empty:
        lines.append("    (none)")
    return "\n".join(lines)


def main() -> int:
    try:
        print(build_summary())
    except WarehouseUnavailable as exc:
        print(f"summary: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
