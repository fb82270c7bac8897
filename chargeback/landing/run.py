"""One landing run with the newest landed time of each checked table: in this process, or,
on Spark, in a child process.

Spark keeps its catalog in an embedded Derby metastore that one process opens at a time,
and a Spark session (a JVM) lives until its process ends. The landing's session must be
gone before dbt starts its own, so on Spark the landing runs as `python -m
chargeback.landing.run`, which prints its report as JSON, and exits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from ..freshness import freshness_checked_tables
from ..settings import Settings, load_settings
from .loader import FileResult, LandingReport, land
from .warehouse import Warehouse, WarehouseError

Newest = dict[str, dt.datetime | None]


def land_here(settings: Settings, landing_dir: Path) -> tuple[LandingReport, Newest]:
    """Land every new file and read each freshness-checked table's newest `_loaded_at`."""
    with Warehouse.open(settings) as wh:
        return land(wh, landing_dir), newest_landed(wh)


def newest_landed(wh: Warehouse) -> Newest:
    """The newest `_loaded_at` of each landing table whose freshness is checked."""
    return {
        table: wh.fetchall(f"select max(_loaded_at) from {wh.qualified(table)}")[0][0]
        for table in freshness_checked_tables()
    }


def land_run(settings: Settings, landing_dir: Path) -> tuple[LandingReport, Newest]:
    """land_here(), in a child process on Spark (see the module's docstring)."""
    if settings.target != "spark":
        return land_here(settings, landing_dir)
    child = subprocess.run(
        [sys.executable, "-m", "chargeback.landing.run", str(landing_dir)],
        env={**os.environ, **settings.dbt_env()},
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        lines = [line for line in child.stderr.splitlines() if line.strip()]
        raise WarehouseError(
            "Landing on Spark failed: " + (lines[-1] if lines else f"exit {child.returncode}")
        )
    out = json.loads(child.stdout.strip().splitlines()[-1])
    report = LandingReport([FileResult(**f) for f in out["files"]])
    newest = {k: v and dt.datetime.fromisoformat(v) for k, v in out["newest"].items()}
    return report, newest


def main() -> int:
    try:
        report, newest = land_here(load_settings(), Path(sys.argv[1]))
    except WarehouseError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(json.dumps({
        "files": [dataclasses.asdict(f) for f in report.files],
        "newest": {k: v and v.isoformat() for k, v in newest.items()},
    }))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
