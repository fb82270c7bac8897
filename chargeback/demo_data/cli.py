"""The command line: ``python -m chargeback.demo_data`` and ``chargeback-demo-data``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .feeds import FEEDS
from .generation import generate
from .options import DEFAULTS, validate_args

_DESCRIPTION = """\
Generate a deterministic demo landing zone for the chargeback warehouse.

Reads the customers, cost centers, cloud sub-accounts and SKUs from the repository's
seeds/ folder and writes, for each of --months months ending with --end-month:

  focus/aws/focus_aws_<YYYY-MM>.csv              cloud usage, FOCUS 1.2 columns (AWS)
  focus/microsoft/focus_microsoft_<YYYY-MM>.csv  cloud usage, FOCUS 1.2 columns (Microsoft)
  ru/ru_usage_<YYYY-MM>.csv                      data-center resource units
  labour/servicedesk_<YYYY-MM>.csv               service-desk labour activities

Files are UTF-8, comma-separated, header row, "\\n" line ends, minimal quoting; empty
fields are nulls.  Each data file has a sha256sum-style sidecar <file>.sha256.  A file
with more than 500,000 data rows is split into _part01, _part02, ...  About 55% of
--rows are resource units, 40% cloud (55/45 AWS/Microsoft) and 5% labour.

A fraction --dirt-rate of the rows is deliberately dirty, spread over these kinds (each
dirty row has exactly one defect):
  duplicate            exact copy of an earlier line (same file or next month's file)
  unknown_sku          RU sku SRV-UNKNOWN/SRV-VM-XXL/STO-T9-GBM, labour code TELEPATHY,
                       cloud ProviderName "Acme Cloud"
  negative_quantity    RU quantity / labour hours below zero (not cloud)
  absurd_quantity      RU quantity >= 1000 x the SKU's max_quantity_per_row, labour
                       hours 999, cloud BilledCost 9999999
  unknown_cost_center  RU / labour cost_center_id ZZZ-999 (not cloud)
  late_arriving        valid row dated in the previous month (only counted, not an error)
  malformed            too few fields, too many fields, a non-numeric quantity/hours/
                       BilledCost, or an impossible date (2026-02-29, 2026-04-31,
                       2026-05-32: the day after the month's last)
A fraction --untagged-rate of the cloud rows has no department tag (empty Tags or Tags
without "department"); 5% of those also sit in a "Shared sandbox" sub-account that is
not in the seeds.

The exact counts are printed and written to <out>/_meta/generation.json.  Files from a
previous run (the names above, the sample copy and _meta/generation.json) are replaced;
nothing else in --out is touched.  Same arguments -> byte-identical files.
"""

_EPILOG = """\
examples:
  python -m chargeback.demo_data
  python -m chargeback.demo_data --out /tmp/landing --rows 10000000 --seed 7
  python -m chargeback.demo_data --dirt-rate 0 --focus-sample \\
      /work/shared/data/focus-sample-1.0/focus_sample.csv
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m chargeback.demo_data",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d = DEFAULTS
    p.add_argument(
        "--out",
        type=Path,
        default=Path(d["out"]),
        metavar="DIR",
        help=f"landing folder to write into (default: {d['out']})",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=d["seed"],
        help=f"random seed, a non-negative integer (default: {d['seed']})",
    )
    p.add_argument(
        "--customers",
        type=int,
        default=d["customers"],
        metavar="N",
        help="use the first N customers of seeds/customers.csv (default: all 21)",
    )
    p.add_argument(
        "--months",
        type=int,
        default=d["months"],
        metavar="N",
        help=f"months of history (default: {d['months']})",
    )
    p.add_argument(
        "--end-month",
        default=d["end_month"],
        metavar="YYYY-MM",
        help=f"last month of history (default: {d['end_month']})",
    )
    p.add_argument(
        "--rows",
        type=int,
        default=d["rows"],
        metavar="N",
        help="total data rows over all feeds and months, dirt included; "
        f"generated in bounded memory, 10 million is fine (default: {d['rows']})",
    )
    p.add_argument(
        "--dirt-rate",
        type=float,
        default=d["dirt_rate"],
        metavar="RATE",
        help=f"fraction of dirty rows, 0 to 0.5 (default: {d['dirt_rate']})",
    )
    p.add_argument(
        "--untagged-rate",
        type=float,
        default=d["untagged_rate"],
        metavar="RATE",
        help="fraction of cloud rows without a department tag, 0 to 1 "
        f"(default: {d['untagged_rate']})",
    )
    p.add_argument(
        "--focus-sample",
        type=Path,
        default=None,
        metavar="PATH",
        help="also copy this FOCUS sample file byte-for-byte to "
        "focus/sample/focus_sample.csv (no sidecar)",
    )
    return p


def format_summary(summary: dict[str, Any], out_dir: Path, seconds: float | None = None) -> str:
    rb = summary["rows_by_feed"]
    lines = [
        f"Wrote {summary['total_rows']:,} rows in {len(summary['files'])} files under "
        f"{out_dir} (seed {summary['seed']}, {summary['period']['first_month']} .. "
        f"{summary['period']['last_month']}, {len(summary['customers'])} customers)",
        "  rows:      " + ", ".join(f"{k} {rb[k]:,}" for k in FEEDS),
        f"  dirt:      {summary['dirt_rows']:,} rows: "
        + ", ".join(f"{k} {v:,}" for k, v in summary["dirt"].items()),
        "  malformed: " + ", ".join(f"{k} {v:,}" for k, v in summary["malformed_by_kind"].items()),
        f"  cloud:     {summary['untagged_cloud_rows']:,} untagged rows, "
        f"{summary['unmapped_cloud_rows']:,} of them in the unmapped sandbox sub-account",
    ]
    if summary["focus_sample_rows"]:
        n = summary["focus_sample_rows"]
        lines.append(f"  sample:    focus/sample/focus_sample.csv ({n:,} rows, in the cloud total)")
    if seconds is not None and seconds > 0:
        lines.append(
            f"  time:      {seconds:.1f} s ({summary['generated_rows'] / seconds:,.0f} rows/s)"
        )
    lines.append(f"  summary:   {out_dir / '_meta' / 'generation.json'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    ns = parser.parse_args(argv)
    kwargs = {
        "seed": ns.seed,
        "customers": ns.customers,
        "months": ns.months,
        "end_month": ns.end_month,
        "rows": ns.rows,
        "dirt_rate": ns.dirt_rate,
        "untagged_rate": ns.untagged_rate,
        "focus_sample": ns.focus_sample,
    }
    try:
        validate_args(out_dir=ns.out, **kwargs)
    except ValueError as exc:
        parser.error(str(exc))  # exits with status 2
    started = time.perf_counter()
    try:
        summary = generate(ns.out, **kwargs)
    except (OSError, ValueError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 1
    print(format_summary(summary, ns.out, time.perf_counter() - started))
    return 0
