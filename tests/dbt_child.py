"""Run by tests/test_spark.py in a child process (`python -m tests.dbt_child JOB`): land a
folder, run dbt commands, then land another folder into a schema of its own through Spark's
readers in small blocks, all in this one process, with the settings of the environment; the
last line printed is what happened, as JSON.

On Spark the landings and dbt then share one session, so one JVM starts (and warms up) for
all of them instead of one per step: a JVM that starts Spark costs some 25 s of CPU before
it does anything, and CI has two cores. (Spark's metastore admits one process at a time, and
a session lives as long as its process, hence the child process.)

JOB is JSON: {"land": folder or null, "dbt": [[arg, ...], ...], "readers": null or
{"land": folder, "schema": name}}; the output is {"landing": summary or null, "dbt":
[{"code": exit code, "output": dbt's messages}, ...], "readers": null or {"summary": ...,
"not_by_spark": [files Spark's readers left to DuckDB's reader or records.py]}}.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

from chargeback.landing.run import land_here
from chargeback.settings import load_settings

from .dbt_in_process import dbt_in_process

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


def land_through_spark_readers(folder: Path, schema: str) -> dict:
    """Land `folder` into `schema` on Spark, in SPLIT_BYTES blocks: the summary, and the
    files Spark's readers did not read."""
    from chargeback.spark import session

    handler = _NotBySpark()
    logger = logging.getLogger("chargeback.landing.loader")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    settings = replace(load_settings(), schema=schema)
    session(settings).conf.set("spark.sql.files.maxPartitionBytes", str(SPLIT_BYTES))
    report, _ = land_here(settings, folder)
    return {"summary": report.summary(), "not_by_spark": sorted(handler.names)}


def main() -> None:
    job = json.loads(sys.argv[1])
    out: dict = {"landing": None, "dbt": [], "readers": None}
    if job.get("land"):
        report, _ = land_here(load_settings(), Path(job["land"]))
        out["landing"] = report.summary()
    for args in job.get("dbt", []):
        result = dbt_in_process(REPO_ROOT, *args)
        out["dbt"].append({"code": result.returncode, "output": result.stdout})
    if job.get("readers"):
        readers = job["readers"]
        out["readers"] = land_through_spark_readers(Path(readers["land"]), readers["schema"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
