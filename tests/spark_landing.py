"""Run by tests/test_spark.py in a child process (Spark's metastore admits one process, and
a Spark session lives as long as its process): land a folder on Spark with the settings of
the environment, then print as JSON the landing's summary and the files that Spark's own
reader did not read (chargeback/landing/spark_reader.py)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from chargeback.landing.run import land_here
from chargeback.settings import load_settings
from chargeback.spark import session

SPLIT_BYTES = 64 * 1024


class _NotBySpark(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.names: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.endswith(" is not read by Spark's reader"):
            self.names.append(message.removesuffix(" is not read by Spark's reader"))


def main() -> None:
    handler = _NotBySpark()
    logger = logging.getLogger("chargeback.landing.loader")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    settings = load_settings()
    # small blocks, so that a file of a few hundred kB is read by several tasks and its line
    # numbers must add up across blocks (as a file of gigabytes would on a cluster)
    session(settings).conf.set("spark.sql.files.maxPartitionBytes", str(SPLIT_BYTES))
    report, _ = land_here(settings, Path(sys.argv[1]))
    print(json.dumps({"summary": report.summary(), "not_by_spark": sorted(handler.names)}))


if __name__ == "__main__":
    main()
