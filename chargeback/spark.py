"""Apache Spark as the warehouse (CHARGEBACK_TARGET=spark): the session the landing opens.

dbt starts its own Spark session from profiles.yml (the `session` method: Spark in local
mode inside dbt's process). Landing runs in another process, so it starts a session with
the same settings: the same warehouse folder (Parquet files) and the same metastore (the
catalog of tables: an embedded Derby database, one process at a time), or nothing the two
write would meet. tests/test_spark.py checks that `spark_conf()` and profiles.yml agree.

pyspark is an optional dependency (`pip install -e ".[spark]"`), imported only here.
"""

from __future__ import annotations

import os

from .settings import Settings


class SparkUnavailable(RuntimeError):
    """Spark cannot start here; the message says why and what to install."""


def spark_conf(settings: Settings) -> dict[str, str]:
    """The session's settings: profiles.yml's `server_side_parameters` for the spark target."""
    home = settings.spark_dir
    return {
        "spark.master": settings.spark_master,
        "spark.sql.shuffle.partitions": os.environ.get("CHARGEBACK_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.sql.warehouse.dir": f"{home}/warehouse",
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={home}/metastore;create=true"
        ),
        "spark.driver.extraJavaOptions": (
            f"-Dderby.system.home={home} {os.environ.get('CHARGEBACK_SPARK_JAVA_OPTIONS', '')}"
        ),
        "spark.driver.memory": settings.spark_driver_memory,
        "spark.ui.enabled": "false",
        "spark.sql.decimalOperations.allowPrecisionLoss": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.timestampType": "TIMESTAMP_NTZ",
        "spark.log.level": "ERROR",
    }


def session(settings: Settings):
    """A Spark session with the warehouse's settings (the process's one, once started)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable(
            "CHARGEBACK_TARGET=spark needs pyspark: pip install -e '.[spark]' "
            "(and Java 17: apt-get install -y openjdk-17-jre-headless)."
        ) from exc
    settings.spark_dir.mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.appName("chargeback-landing").enableHiveSupport()
    for key, value in spark_conf(settings).items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # no Java, or the metastore is held by another process
        raise SparkUnavailable(
            f"Cannot start Spark (metastore {settings.spark_dir}/metastore): "
            f"{str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}. "
            "Spark needs Java 17 (apt-get install -y openjdk-17-jre-headless), and its "
            "metastore admits one process at a time: stop any other dbt or landing run."
        ) from exc
