"""Run by tests/test_spark.py in a child process (`python -m tests.dbt_child JOB`): land a
folder, then run dbt commands, all in this one process, with the settings of the
environment; the last line printed is what happened, as JSON.

On Spark the landing and dbt then share one session, so one JVM starts (and warms up) for
all of them instead of one per step: a JVM that starts Spark costs some 25 s of CPU before
it does anything, and CI has two cores. (Spark's metastore admits one process at a time, and
a session lives as long as its process, hence the child process.)

JOB is JSON: {"land": folder or null, "dbt": [[arg, ...], ...]}; the output is
{"landing": summary or null, "dbt": [{"code": exit code, "output": dbt's messages}, ...]}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from chargeback.landing.run import land_here
from chargeback.settings import load_settings

from .dbt_in_process import dbt_in_process

REPO_ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    job = json.loads(sys.argv[1])
    summary = None
    if job.get("land"):
        report, _ = land_here(load_settings(), Path(job["land"]))
        summary = report.summary()
    runs = []
    for args in job.get("dbt", []):
        result = dbt_in_process(REPO_ROOT, *args)
        runs.append({"code": result.returncode, "output": result.stdout})
    print(json.dumps({"landing": summary, "dbt": runs}))


if __name__ == "__main__":
    main()
