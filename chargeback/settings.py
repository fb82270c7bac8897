"""Where things are, read once from the environment.

Every setting has a default that works from a fresh clone. Relative paths are resolved
against the repository root, so commands behave the same from any working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
PROFILES_DIR = REPO_ROOT
SEEDS_DIR = REPO_ROOT / "seeds"


def _path(var: str, default: str) -> Path:
    path = Path(os.environ.get(var, default)).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path)


@dataclass(frozen=True)
class Settings:
    """The warehouse target and paths, as the environment sets them."""

    target: str
    duckdb_path: Path
    landing_dir: Path
    outbox_dir: Path
    schema: str
    pg_host: str
    pg_port: int
    pg_user: str
    pg_password: str
    pg_database: str
    # DuckDB's memory cap and where it spills past it (profiles.yml reads the same variables)
    duckdb_memory_limit: str = "5GB"
    duckdb_temp_dir: Path | None = None
    # Who reads the warehouse through the dashboards and exports (seeds/access_grants.csv,
    # docs/access-control.md). The local default is the finance admin.
    dashboard_user: str = "finance_admin"
    # Apache Spark (CHARGEBACK_TARGET=spark, chargeback/spark.py): its tables and metastore
    # live under spark_dir; profiles.yml reads the same variables
    spark_dir: Path | None = None
    spark_master: str = "local[2]"
    spark_driver_memory: str = "4g"

    @property
    def raw_schema(self) -> str:
        """Landing tables live beside the models, in `<schema>_raw` (dbt's source schema)."""
        return f"{self.schema}_raw"

    def dbt_env(self) -> dict[str, str]:
        """Environment for a dbt subprocess, with every path made absolute."""
        return {
            "CHARGEBACK_TARGET": self.target,
            "CHARGEBACK_DUCKDB_PATH": str(self.duckdb_path),
            "CHARGEBACK_SCHEMA": self.schema,
            "CHARGEBACK_PG_HOST": self.pg_host,
            "CHARGEBACK_PG_PORT": str(self.pg_port),
            "CHARGEBACK_PG_USER": self.pg_user,
            "CHARGEBACK_PG_PASSWORD": self.pg_password,
            "CHARGEBACK_PG_DATABASE": self.pg_database,
            "CHARGEBACK_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "CHARGEBACK_SPARK_DIR": str(self.spark_dir),
            "CHARGEBACK_SPARK_MASTER": self.spark_master,
            "CHARGEBACK_SPARK_DRIVER_MEMORY": self.spark_driver_memory,
            # only when set: otherwise profiles.yml puts it next to the DuckDB file, so a
            # dbt run on another file (tests, benchmarks) never shares a spill folder
            **(
                {"CHARGEBACK_DUCKDB_TEMP_DIR": str(self.duckdb_temp_dir)}
                if self.duckdb_temp_dir
                else {}
            ),
        }

    @property
    def duckdb_spill_dir(self) -> Path:
        """Where DuckDB spills what does not fit in its memory limit: `<warehouse>.tmp`."""
        return self.duckdb_temp_dir or Path(f"{self.duckdb_path}.tmp")

    def duckdb_config(self) -> dict[str, str]:
        """The settings every writing DuckDB connection opens with (landing, dbt)."""
        return {
            "memory_limit": self.duckdb_memory_limit,
            "temp_directory": str(self.duckdb_spill_dir),
        }


def load_settings() -> Settings:
    target = os.environ.get("CHARGEBACK_TARGET", "duckdb")
    if target not in ("duckdb", "postgres", "spark"):
        raise ValueError(
            f"CHARGEBACK_TARGET must be 'duckdb', 'postgres' or 'spark', not {target!r}"
        )
    default_schema = "main" if target == "duckdb" else "chargeback"
    return Settings(
        target=target,
        duckdb_path=_path("CHARGEBACK_DUCKDB_PATH", "data/warehouse.duckdb"),
        landing_dir=_path("CHARGEBACK_LANDING_DIR", "data/landing"),
        outbox_dir=_path("CHARGEBACK_OUTBOX_DIR", "data/outbox"),
        schema=os.environ.get("CHARGEBACK_SCHEMA", default_schema),
        pg_host=os.environ.get("CHARGEBACK_PG_HOST", "127.0.0.1"),
        pg_port=int(os.environ.get("CHARGEBACK_PG_PORT", "5432")),
        pg_user=os.environ.get("CHARGEBACK_PG_USER", "postgres"),
        pg_password=os.environ.get("CHARGEBACK_PG_PASSWORD", ""),
        pg_database=os.environ.get("CHARGEBACK_PG_DATABASE", "test"),
        dashboard_user=os.environ.get("CHARGEBACK_DASHBOARD_USER", "finance_admin"),
        duckdb_memory_limit=os.environ.get("CHARGEBACK_DUCKDB_MEMORY_LIMIT", "5GB"),
        spark_dir=_path("CHARGEBACK_SPARK_DIR", "data/spark"),
        spark_master=os.environ.get("CHARGEBACK_SPARK_MASTER", "local[2]"),
        spark_driver_memory=os.environ.get("CHARGEBACK_SPARK_DRIVER_MEMORY", "4g"),
        duckdb_temp_dir=(
            _path("CHARGEBACK_DUCKDB_TEMP_DIR", "")
            if os.environ.get("CHARGEBACK_DUCKDB_TEMP_DIR")
            else None
        ),
    )


def export_dbt_env(settings: Settings | None = None) -> Settings:
    """Put the absolute settings into os.environ so dbt (a subprocess) sees the same ones."""
    settings = settings or load_settings()
    os.environ.update(settings.dbt_env())
    return settings
