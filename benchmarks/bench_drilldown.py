"""Benchmark: the dashboard's drill-down, invoice → lines → usage events → raw landed row.

Not a test. Runs the dashboard's own query functions (chargeback.queries, through
chargeback.db.query: a fresh read-only connection per query, exactly as a page does on a
cache miss) against a built DuckDB warehouse, for a sample of invoices, as the finance
admin and as a viewer (whose connection first builds its filtered catalog). Prints the time
of each step (median, 95th percentile, max), the whole drill-down, rows/s of the usage
table, and the peak memory.

    .venv/bin/python benchmarks/bench_build.py --rows 10000000 --keep /tmp/bench10m
    .venv/bin/python benchmarks/bench_drilldown.py --warehouse /tmp/bench10m/warehouse.duckdb

`make bench-drilldown ROWS=10000000` does both, in data/bench (the build takes minutes).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def summary(name: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"{name:<22} median {statistics.median(ordered) * 1000:7.0f} ms   "
        f"p95 {p95 * 1000:7.0f} ms   max {ordered[-1] * 1000:7.0f} ms"
    )


def drill_down(queries, invoice) -> dict[str, float]:
    """One drill-down as the Invoices page does it; the time of each step."""
    times = {}
    _, times["invoices (month)"] = timed(queries.invoices, month=invoice.billing_month)
    lines, times["invoice lines"] = timed(queries.invoice_lines, invoice.invoice_id)
    usage = lines[lines["charge_type"] == "usage"]
    if usage.empty:
        return times
    line = usage.sort_values("usage_event_count").iloc[-1]  # the line with the most events
    events, times["usage events (500)"] = timed(
        queries.usage_events, line["invoice_line_id"], 500, queries.event_month(line)
    )
    event = events.iloc[0]
    raw, times["raw landed row"] = timed(
        queries.raw_event, event["feed"], event["file_id"], int(event["source_row"])
    )
    assert len(raw) == 1, "the raw row of an event must be found"
    times["whole drill-down"] = sum(times.values())
    return times


def run(principal: str, invoices, samples: int, seed: int) -> None:
    from chargeback import queries

    os.environ["CHARGEBACK_DASHBOARD_USER"] = principal
    rng = random.Random(seed)
    chosen = invoices.sample(n=min(samples, len(invoices)), random_state=rng.randint(0, 10**6))
    results: dict[str, list[float]] = {}
    for invoice in chosen.itertuples(index=False):
        for step, seconds in drill_down(queries, invoice).items():
            results.setdefault(step, []).append(seconds)
    print(f"\nas {principal} ({len(chosen)} invoices)")
    for step, seconds in results.items():
        print(summary(step, seconds))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--warehouse", type=Path, required=True, help="a built DuckDB file")
    parser.add_argument("--samples", type=int, default=30, help="invoices to drill into")
    parser.add_argument("--viewer", default="viewer_dps", help="a viewer principal")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        parser.error(f"no warehouse at {args.warehouse}: build one with bench_build.py --keep")
    os.environ["CHARGEBACK_TARGET"] = "duckdb"
    os.environ["CHARGEBACK_DUCKDB_PATH"] = str(args.warehouse)
    os.environ.pop("CHARGEBACK_SCHEMA", None)
    os.environ["CHARGEBACK_DASHBOARD_USER"] = "finance_admin"

    from chargeback import db, queries

    ((usage_rows,),) = db.query(
        f"select count(*) from {db.relation('fct_rated_usage')}"
    ).itertuples(index=False, name=None)
    invoices = queries.invoices()
    print(
        f"drill-down benchmark: {args.warehouse} ({args.warehouse.stat().st_size / 1e6:,.0f} MB)"
        f", {usage_rows:,} rated usage rows, {len(invoices):,} invoices"
    )
    run("finance_admin", invoices, args.samples, args.seed)
    os.environ["CHARGEBACK_DASHBOARD_USER"] = args.viewer
    visible = queries.invoices()
    run(args.viewer, visible, args.samples, args.seed)
    # a full scan for scale: how fast the usage table itself is read
    os.environ["CHARGEBACK_DASHBOARD_USER"] = "finance_admin"
    _, seconds = timed(db.query, f"select sum(rated_amount) from {db.relation('fct_rated_usage')}")
    print(f"\nfull scan of fct_rated_usage: {seconds:.2f} s, {usage_rows / seconds:,.0f} rows/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
