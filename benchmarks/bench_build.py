"""Benchmark: generate N usage rows, land them and run the full dbt build on DuckDB.

Not a test. Prints, for each phase, the wall time, rows per second and the peak resident
memory of the process that did the work (each phase runs as its own child process and its
rusage is read with os.wait4). Then the floor (bench_floor.py: bare DuckDB doing the core of
the usage path on the same files) and our land + build time as a ratio to it. Usage:

    .venv/bin/python benchmarks/bench_build.py --rows 1000000 [--keep DIR] [--threads 2]
        [--target postgres]

With --target postgres the rows land in and build on PostgreSQL (CHARGEBACK_PG_*), in the
schemas bench, bench_raw and bench_register, which the run drops first. With --target spark
they land in and build on Spark in local mode (docs/spark.md), its tables and metastore in
<work>/spark. The floor stays bare DuckDB, so the ratio then compares the target with it.
On Spark the peak memory is the larger of the process's and its children's (the JVM that
pyspark starts).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def tree_rss_mb(root: int) -> float:
    """The resident memory of a process and all its descendants (/proc), in MB."""
    parents, rss = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {root}, True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return sum(rss.get(pid, 0) for pid in tree) / 1e6


def run(name: str, cmd: list[str], env: dict, rows: int) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    # the process tree's memory, sampled: on Spark most of it is the JVM pyspark starts,
    # which the process's own rusage does not count
    peak_tree = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            peak_tree[0] = max(peak_tree[0], tree_rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.stdout.read().decode(errors="replace")
    done.set()
    sampler.join()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        print(output[-4000:])
        raise SystemExit(f"{name} failed")
    result = {
        "phase": name,
        "seconds": seconds,
        "rows_per_s": rows / seconds if seconds else 0.0,
        "peak_mb": max(usage.ru_maxrss / 1024, peak_tree[0]),
    }
    print(f"{name:<10} {seconds:9.1f} s {result['rows_per_s']:12,.0f} rows/s "
          f"peak {result['peak_mb']:8,.0f} MB", flush=True)  # fmt: skip
    return result


def drop_postgres_schemas(env: dict, schema: str) -> None:
    """Start the PostgreSQL run from empty schemas."""
    import psycopg2

    with (
        psycopg2.connect(
            host=env.get("CHARGEBACK_PG_HOST", "127.0.0.1"),
            port=int(env.get("CHARGEBACK_PG_PORT", "5432")),
            user=env.get("CHARGEBACK_PG_USER", "postgres"),
            password=env.get("CHARGEBACK_PG_PASSWORD") or None,
            dbname=env.get("CHARGEBACK_PG_DATABASE", "test"),
        ) as con,
        con.cursor() as cur,
    ):
        for name in (schema, f"{schema}_raw", f"{schema}_register"):
            cur.execute(f'drop schema if exists "{name}" cascade')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, help="dbt threads (2; 4 on Spark)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--target", choices=("duckdb", "postgres", "spark"), default="duckdb")
    parser.add_argument("--skip-floor", action="store_true", help="do not run the floor")
    args = parser.parse_args(argv)
    args.threads = args.threads or (4 if args.target == "spark" else 2)

    work = args.keep or Path(tempfile.mkdtemp(prefix="chargeback-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    landing, db = work / "landing", work / "warehouse.duckdb"
    shutil.rmtree(landing, ignore_errors=True)
    for stale in (db, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    env = {
        **os.environ,
        "CHARGEBACK_TARGET": args.target,
        "CHARGEBACK_DUCKDB_PATH": str(db),
        "CHARGEBACK_LANDING_DIR": str(landing),
        "DBT_THREADS": str(args.threads),
    }
    if args.target == "postgres":
        env["CHARGEBACK_SCHEMA"] = "bench"
        drop_postgres_schemas(env, "bench")
    if args.target == "spark":
        env["CHARGEBACK_SPARK_DIR"] = str(work / "spark")
        shutil.rmtree(work / "spark", ignore_errors=True)
    print(f"benchmark: {args.rows:,} usage rows, seed {args.seed}, on {args.target}, in {work} "
          f"({os.cpu_count()} cores)")  # fmt: skip
    dbt_dirs = ["--project-dir", str(REPO / "dbt_project"), "--profiles-dir", str(REPO)]
    phases = [
        run("generate", [str(BIN / "chargeback-demo-data"), "--out", str(landing),
                         "--rows", str(args.rows), "--seed", str(args.seed)], env, args.rows),
        # make pipeline's prerequisite (the Makefile's manifest.json), here with this run's
        # profile: the project's parse, the same at any row count, outside the ratio. Without
        # it the build would parse the whole project again (a new warehouse path in the
        # profile invalidates dbt's partial parsing): about 4 s more (results/2026-12-06)
        run("dbt parse", [str(BIN / "dbt"), "parse", *dbt_dirs, "--quiet"], env, args.rows),
        run("land", [str(BIN / "chargeback-land"), "--landing", str(landing)], env, args.rows),
        run("dbt build", [str(BIN / "dbt"), "build", *dbt_dirs, "--threads", str(args.threads),
                          "--quiet"], env, args.rows),
    ]  # fmt: skip
    build = sum(p["seconds"] for p in phases[2:])
    print(
        f"{'build':<10} {build:9.1f} s {args.rows / build:12,.0f} rows/s "
        f"peak {max(p['peak_mb'] for p in phases[2:]):8,.0f} MB  (land + dbt build)"
    )
    if not args.skip_floor:
        floor = run("floor", [str(BIN / "python"), str(REPO / "benchmarks" / "bench_floor.py"),
                              "--landing", str(landing), "--threads", str(args.threads)],
                    env, args.rows)  # fmt: skip
        print(
            f"{'ratio':<10} {build / floor['seconds']:9.1f} x the floor (land + dbt build / floor)"
        )
    if db.exists():
        print(f"warehouse file: {db.stat().st_size / 1e6:,.0f} MB")
    if (work / "spark").exists():
        size = sum(f.stat().st_size for f in (work / "spark").rglob("*") if f.is_file())
        print(f"spark warehouse and metastore: {size / 1e6:,.0f} MB")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
