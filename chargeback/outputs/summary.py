"""`python -m chargeback.outputs.summary`: a short report of what the warehouse holds.

Periods, customers, invoices, total billed, the unallocated bucket, and rows quarantined by
reason. It reads the marts through the dashboard's short-lived read-only connections.
"""

from __future__ import annotations

import sys

from chargeback.db import WarehouseUnavailable, query, relation


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
        f"from {relation('fct_landing_reconciliation')} where feed in ('cloud', 'ru', 'labour')"
    ).iloc[0]
    other = query(
        "select count(*) as files, sum(landed_rows) as landed, sum(payment_rows) as payments, "
        "sum(dispute_version_rows) as versions, sum(sla_measurement_rows) as measurements, "
        "sum(quarantined_rows) as quarantined, sum(duplicate_rows) as duplicates "
        f"from {relation('fct_landing_reconciliation')} "
        "where feed not in ('cloud', 'ru', 'labour')"
    ).iloc[0]
    disputes = query(
        f"select approval_status, count(*) as disputes from {relation('fct_disputes')} "
        "group by approval_status order by approval_status"
    )
    credits = query(
        "select currency, count(*) as breaches, sum(credit_amount) as credited "
        f"from {relation('fct_sla_service_credits')} where sla_status = 'breached' "
        "group by currency order by currency desc"
    )
    accuracy = query(
        "select forecast_wape_percent, naive_wape_percent, backtest_origin_month "
        f"from {relation('fct_forecast_accuracy')} where service_name = 'All services'"
    )
    planning = query(
        f"select (select count(*) from {relation('fct_budget_alerts')}) as alerts, "
        f"(select count(*) from {relation('fct_cost_anomalies')}) as anomalies"
    ).iloc[0]
    flags = query(
        f"select count(*) as flagged from {relation('fct_feed_reconciliation')} where is_flagged"
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
        f"  other feeds  {int(other.landed or 0):,} rows from {other.files} files: "
        f"{int(other.payments or 0):,} bank lines, {int(other.versions or 0):,} dispute versions, "
        f"{int(other.measurements or 0):,} SLA measurements, "
        f"{int(other.quarantined or 0):,} quarantined, {int(other.duplicates or 0):,} duplicates",
        "  disputes     "
        + (
            ", ".join(f"{int(r.disputes)} {r.approval_status}" for r in disputes.itertuples())
            or "none"
        ),
        "  SLA credits  "
        + (
            " + ".join(
                f"{_money(r.credited)} {r.currency} for {int(r.breaches)} breach(es)"
                for r in credits.itertuples()
            )
            or "no breach"
        ),
        f"  reconciled   {int(flags.flagged)} feed, month and SKU difference(s) flagged",
        "  backtest     "
        + (
            f"WAPE {accuracy.iloc[0].forecast_wape_percent} % vs naive "
            f"{accuracy.iloc[0].naive_wape_percent} % from "
            f"{str(accuracy.iloc[0].backtest_origin_month)[:7]}"
            if not accuracy.empty
            else "no history to test"
        ),
        f"  planning     {int(planning.alerts)} budget alert(s), "
        f"{int(planning.anomalies)} cost anomaly day(s)",
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
