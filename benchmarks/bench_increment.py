"""Benchmark: the daily increment. One new day of files on a warehouse that holds months of
history, then the plain `land` and `dbt build` an operator runs every day.

Not a test. Run it on the folder that `bench_build.py --keep DIR` left (its landing zone and
warehouse), with the row count that built it:

    .venv/bin/python benchmarks/bench_increment.py --work DIR --rows 10000000 [--months 18]

A day is rows / (months x 30) usage rows, generated with another seed for the latest month
of the landing zone (so they are new records of the open month, in every feed) and landed
next to the month's files as `<name>_day<N>.csv`. Prints each phase as bench_build.py does,
and the increment as a share of the full build when --full-seconds (land + dbt build of the
whole history) is given.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from bench_build import BIN, REPO, run


def latest_month(landing: Path) -> str:
    months = sorted(
        m.group(1)
        for p in (landing / "ru").glob("ru_usage_*.csv")
        if (m := re.match(r"ru_usage_(\d{4}-\d{2})", p.name))
    )
    if not months:
        raise SystemExit(f"no ru/ru_usage_<YYYY-MM>.csv in {landing}: run bench_build --keep")
    return months[-1]


def add_day(landing: Path, month: str, rows: int, day: int) -> int:
    """Generate `rows` usage rows of `month` and put them in the landing zone as a new day."""
    out = Path(tempfile.mkdtemp(prefix="chargeback-day-"))
    try:
        run("generate", [str(BIN / "chargeback-demo-data"), "--out", str(out), "--rows",
                         str(rows), "--months", "1", "--end-month", month,
                         "--seed", str(1000 + day)], dict(os.environ), rows)  # fmt: skip
        files = 0
        for path in sorted(out.rglob("*.csv")):
            target = landing / path.relative_to(out)
            target = target.with_name(f"{target.stem}_day{day}.csv")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            target.with_name(target.name + ".sha256").write_text(f"{digest}  {target.name}\n")
            files += 1
        return files
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--work", type=Path, required=True, help="bench_build.py --keep DIR")
    parser.add_argument("--rows", type=int, required=True, help="rows of the full history")
    parser.add_argument("--months", type=int, default=18)
    parser.add_argument("--day", type=int, default=1, help="which new day this is (1, 2, ...)")
    parser.add_argument("--threads", type=int, default=2, help="dbt threads")
    parser.add_argument("--full-seconds", type=float, help="land + dbt build of the history")
    args = parser.parse_args(argv)

    landing, db = args.work / "landing", args.work / "warehouse.duckdb"
    if not db.exists():
        raise SystemExit(f"no warehouse at {db}: run bench_build.py --keep {args.work} first")
    env = {
        **os.environ,
        "CHARGEBACK_TARGET": "duckdb",
        "CHARGEBACK_DUCKDB_PATH": str(db),
        "CHARGEBACK_LANDING_DIR": str(landing),
        "DBT_THREADS": str(args.threads),
    }
    rows = max(args.rows // (args.months * 30), 1)
    month = latest_month(landing)
    print(f"increment: day {args.day} of {month}, {rows:,} usage rows, on {args.rows:,} rows "
          f"of history in {args.work} ({os.cpu_count()} cores)")  # fmt: skip
    files = add_day(landing, month, rows, args.day)
    print(f"{files} new files")
    phases = [
        run("land", [str(BIN / "chargeback-land"), "--landing", str(landing)], env, rows),
        run("dbt build", [str(BIN / "dbt"), "build", "--project-dir", str(REPO / "dbt_project"),
                          "--profiles-dir", str(REPO), "--threads", str(args.threads), "--quiet"],
            env, rows),
    ]  # fmt: skip
    total = sum(p["seconds"] for p in phases)
    print(f"{'increment':<10} {total:9.1f} s  (land + dbt build)")
    if args.full_seconds:
        share = 100 * total / args.full_seconds
        print(f"{'share':<10} {share:9.1f} % of the full build ({args.full_seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
