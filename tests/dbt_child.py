"""Run by tests/test_spark.py in a child process (`python -m tests.dbt_child JOB`): every
Spark step of the suite in this one process, in order, each with the environment it adds:
land a folder, run dbt commands, land a folder through Spark's readers in small blocks.
The last line printed is what happened, as JSON.

On Spark the landings and dbt then share one session, so one JVM starts (and warms up) for
the whole suite instead of one per step: a JVM that starts Spark costs some 25 s of CPU
before it does anything, its compilers some 80 s more while a first build warms it up, and
CI has two cores (docs/spark.md). (Spark's metastore admits one process at a time, and a
session lives as long as its process, hence the child process.)

JOB is JSON: {"steps": [{"env": {name: value, or null to unset}, "land": folder or null,
"dbt": [[arg, ...], ...], "readers": null or folder}, ...]}. The output is {"steps":
[{"landing": summary or null, "dbt": [{"code": exit code, "output": dbt's messages}, ...],
"readers": null or {"summary": ..., "not_by_spark": [files Spark's readers left to DuckDB's
reader or records.py]}, "seconds": [how long the landing, each dbt command and the readers'
landing took]}, ...], "nodes": [the dbt nodes and unit tests of the first parse]}.
A failed dbt command does not stop the job: the test reads its code and messages.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from chargeback.landing.run import land_here
from chargeback.settings import load_settings

from . import dbt_in_process as in_process
from . import partial_parse

REPO_ROOT = Path(__file__).resolve().parents[1]
# small blocks, so that a file of a few hundred kB is read by several tasks and its line
# numbers must add up across blocks (as a file of gigabytes would on a cluster)
SPLIT_BYTES = 64 * 1024


class _NotBySpark(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.names: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.endswith(" is not read by Spark's reader"):
            self.names.append(message.removesuffix(" is not read by Spark's reader"))


def land_through_spark_readers(folder: Path) -> dict:
    """Land `folder` on Spark in SPLIT_BYTES blocks: the summary, and the files Spark's
    readers did not read."""
    from chargeback.spark import session

    handler = _NotBySpark()
    logger = logging.getLogger("chargeback.landing.loader")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    settings = load_settings()
    session(settings).conf.set("spark.sql.files.maxPartitionBytes", str(SPLIT_BYTES))
    report, _ = land_here(settings, folder)
    return {"summary": report.summary(), "not_by_spark": sorted(handler.names)}


def run_step(step: dict) -> dict:
    for name, value in step.get("env", {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    out: dict = {"landing": None, "dbt": [], "readers": None, "seconds": []}
    started = time.monotonic()
    if step.get("land"):
        report, _ = land_here(load_settings(), Path(step["land"]))
        out["landing"] = report.summary()
        out["seconds"].append(round(time.monotonic() - started, 1))
    for args in step.get("dbt", []):
        started = time.monotonic()
        result = in_process.dbt_in_process(REPO_ROOT, *args)
        out["dbt"].append({"code": result.returncode, "output": result.stdout})
        out["seconds"].append(round(time.monotonic() - started, 1))
    if step.get("readers"):
        started = time.monotonic()
        out["readers"] = land_through_spark_readers(Path(step["readers"]))
        out["seconds"].append(round(time.monotonic() - started, 1))
    return out


def main() -> None:
    job = json.loads(sys.argv[1])
    out: dict = {"steps": [], "nodes": []}
    try:
        for step in job["steps"]:
            out["steps"].append(run_step(step))
            if not out["nodes"] and in_process.last_parsed() is not None:
                manifest = in_process.last_parsed()
                out["nodes"] = sorted(set(manifest.nodes) | set(manifest.unit_tests))
    finally:
        shutil.rmtree(partial_parse.stage(), ignore_errors=True)  # this process's links
    print(json.dumps(out))


if __name__ == "__main__":
    main()
