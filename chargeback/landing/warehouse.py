"""A thin connection to the warehouse (DuckDB file or PostgreSQL), for the landing code only.

It knows how to create the raw tables and append an Arrow batch. Everything else about
the warehouse is dbt's.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pyarrow as pa
import pyarrow.csv as pacsv

from ..settings import Settings
from .feeds import FEEDS, LINEAGE_COLUMNS, MANIFEST_TABLE, REFUSALS_TABLE

MANIFEST_COLUMNS = (
    ("file_id", "varchar"),
    ("feed", "varchar"),
    ("source_file", "varchar"),
    ("size_bytes", "bigint"),
    ("row_count", "bigint"),
    ("declared_sha256", "varchar"),
    ("header", "varchar"),
    ("loaded_at", "timestamp"),
)
REFUSAL_COLUMNS = (
    ("source_file", "varchar"),
    ("feed", "varchar"),
    ("actual_sha256", "varchar"),
    ("declared_sha256", "varchar"),
    ("reason", "varchar"),
    ("refused_at", "timestamp"),
)


class WarehouseError(RuntimeError):
    """The warehouse cannot be reached or used; the message says why and what to do."""


def _pg_type(sql_type: str) -> str:
    return {"varchar": "text", "bigint": "bigint", "timestamp": "timestamp"}[sql_type]


def _spark_type(sql_type: str) -> str:
    return {"varchar": "string", "bigint": "bigint", "timestamp": "timestamp"}[sql_type]


class Warehouse:
    """One open connection; use `Warehouse.open(settings)` as a context manager."""

    def __init__(self, settings: Settings, con) -> None:
        self.settings = settings
        self.con = con
        self.dialect = settings.target
        self._reader = None

    @property
    def reader(self):
        """A DuckDB connection that reads files (native.py): the warehouse's own on DuckDB,
        an in-memory one next to PostgreSQL, whose rows then go through COPY."""
        if self._reader is None:
            import duckdb

            self._reader = self.con if self.dialect == "duckdb" else duckdb.connect()
        return self._reader

    @classmethod
    @contextmanager
    def open(cls, settings: Settings) -> Iterator[Warehouse]:
        if settings.target == "duckdb":
            import duckdb

            settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
            try:
                con = duckdb.connect(str(settings.duckdb_path), config=settings.duckdb_config())
            except duckdb.IOException as exc:  # another process holds the write lock
                raise WarehouseError(
                    f"Cannot open the DuckDB warehouse {settings.duckdb_path}: {exc}. "
                    "Close dashboards or other sessions using it and try again."
                ) from exc
        elif settings.target == "spark":
            from ..spark import session

            con = _SparkConnection(session(settings))
        else:
            import psycopg2

            try:
                con = psycopg2.connect(
                    host=settings.pg_host,
                    port=settings.pg_port,
                    user=settings.pg_user,
                    password=settings.pg_password or None,
                    dbname=settings.pg_database,
                )
            except psycopg2.OperationalError as exc:
                raise WarehouseError(
                    f"Cannot connect to PostgreSQL at {settings.pg_host}:{settings.pg_port} "
                    f"(database {settings.pg_database}, user {settings.pg_user}): {exc}".strip()
                ) from exc
        wh = cls(settings, con)
        if settings.target == "duckdb":
            # one checkpoint when landing ends (Warehouse.checkpoint), not one per file: a
            # checkpoint compresses the tables the file's rows went into, every time
            con.execute("set checkpoint_threshold = '4GB'").fetchall()
        try:
            yield wh
        finally:
            if wh._reader is not None and wh._reader is not con:
                wh._reader.close()
            con.close()

    # -- statements ---------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence | None = None) -> None:
        if self.dialect == "spark":
            self.con.sql(sql, params)
        elif self.dialect == "duckdb":
            self.con.execute(sql, params or []).fetchall()
        else:
            with self.con.cursor() as cur:
                cur.execute(sql, params)

    def fetchall(self, sql: str, params: Sequence | None = None) -> list[tuple]:
        if self.dialect == "spark":
            return [tuple(row) for row in self.con.sql(sql, params)]
        if self.dialect == "duckdb":
            return self.con.execute(sql, params or []).fetchall()
        with self.con.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def begin(self) -> None:
        if self.dialect == "duckdb":
            self.con.execute("begin transaction")
        elif self.dialect == "spark":
            self.con.begin()

    def commit(self) -> None:
        if self.dialect == "duckdb":
            self.con.execute("commit")
        else:
            self.con.commit()

    def rollback(self) -> None:
        if self.dialect == "duckdb":
            self.con.execute("rollback")
        else:
            self.con.rollback()

    @property
    def param(self) -> str:
        return "%s" if self.dialect == "postgres" else "?"

    def qualified(self, table: str) -> str:
        if self.dialect == "spark":
            return f"`{self.settings.raw_schema}`.`{table}`"
        return f'"{self.settings.raw_schema}"."{table}"'

    # -- schema -------------------------------------------------------------------------
    def _ensure_table(self, table: str, columns: Sequence[tuple[str, str]]) -> None:
        if self.dialect == "spark":
            self.con.ensure_table(self.qualified(table), [(n, _spark_type(t)) for n, t in columns])
            return
        coltype = (lambda t: t) if self.dialect == "duckdb" else _pg_type
        cols = ", ".join(f'"{name}" {coltype(t)}' for name, t in columns)
        self.execute(f"create table if not exists {self.qualified(table)} ({cols})")
        existing = {r[0] for r in self.fetchall(
            "select column_name from information_schema.columns "
            f"where table_schema = {self.param} and table_name = {self.param}",
            [self.settings.raw_schema, table],
        )}  # fmt: skip
        for name, t in columns:
            if name not in existing:  # a feed learned a new column: add it, keep history
                self.execute(
                    f'alter table {self.qualified(table)} add column "{name}" {coltype(t)}'
                )

    def ensure_schema(self) -> None:
        """Create the raw schema and every landing table (idempotent)."""
        quote = "`" if self.dialect == "spark" else '"'
        self.execute(f"create schema if not exists {quote}{self.settings.raw_schema}{quote}")
        for feed in FEEDS.values():
            self._ensure_table(
                feed.table, [*LINEAGE_COLUMNS, *((c, "varchar") for c in feed.columns)]
            )
        self._ensure_table(MANIFEST_TABLE, MANIFEST_COLUMNS)
        self._ensure_table(REFUSALS_TABLE, REFUSAL_COLUMNS)
        if self.dialect == "postgres":
            # the dashboard finds a usage event's landed row by file and row; DuckDB needs no
            # index (rows land in file order, so its zone maps already narrow the scan)
            for feed in FEEDS.values():
                self.execute(
                    f'create index if not exists "{feed.table}__file_row_idx" '
                    f'on {self.qualified(feed.table)} ("_file_id", "_source_row")'
                )
            self.con.commit()

    # -- data ---------------------------------------------------------------------------
    def append(self, table: str, batch: pa.Table) -> None:
        """Append an Arrow table whose columns match the target table's by name."""
        if batch.num_rows == 0:
            return
        cols = ", ".join(f'"{c}"' for c in batch.column_names)
        if self.dialect == "spark":
            self.con.append(self.qualified(table), batch)
        elif self.dialect == "duckdb":
            self.con.register("_landing_batch", batch)
            try:
                target = self.qualified(table)
                self.con.execute(
                    f"insert into {target} ({cols}) select {cols} from _landing_batch"
                ).fetchall()
            finally:
                # in an aborted transaction this fails too: keep the first error, not this one
                with contextlib.suppress(Exception):
                    self.con.unregister("_landing_batch")
        else:
            buf = io.BytesIO()
            pacsv.write_csv(
                batch, buf, pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
            )
            buf.seek(0)
            with self.con.cursor() as cur:
                cur.copy_expert(
                    f"copy {self.qualified(table)} ({cols}) from stdin with (format csv)", buf
                )

    def append_frame(self, table: str, frame) -> None:
        """Spark only: append a Spark DataFrame (spark_reader.py) whose columns match the
        target table's by name; written with the transaction's other rows at commit."""
        self.con.append(self.qualified(table), frame)

    def checkpoint(self) -> None:
        """Write what landed into the DuckDB file's tables (PostgreSQL: nothing to do)."""
        if self.dialect == "duckdb":
            self.con.execute("checkpoint").fetchall()

    def loaded_file_ids(self) -> dict[str, str]:
        rows = self.fetchall(f"select file_id, source_file from {self.qualified(MANIFEST_TABLE)}")
        return {file_id: source_file for file_id, source_file in rows}

    def refusal_exists(self, source_file: str, actual_sha256: str) -> bool:
        rows = self.fetchall(
            f"select 1 from {self.qualified(REFUSALS_TABLE)} "
            f"where source_file = {self.param} and actual_sha256 = {self.param}",
            [source_file, actual_sha256],
        )
        return bool(rows)


class _SparkConnection:
    """The landing's view of a Spark session: SQL with `?` parameters, and appends that wait
    for commit().

    Spark's Parquet tables have no transactions. Between begin() and commit() the Arrow
    batches of each table are kept, and commit() writes each table's batches in one Spark
    job (whose output appears whole or not at all), the manifest last: a file whose landing
    fails before its commit leaves no row, as on DuckDB and PostgreSQL. A process killed
    between two tables' writes can leave a file's rows without their manifest row; the next
    landing then lands that file again, and validation counts the first copy's rows as
    duplicates (docs/spark.md).
    """

    def __init__(self, spark) -> None:
        self.spark = spark
        # the rows of each table waiting for commit(): Arrow tables and Spark DataFrames
        self.pending: dict[str, list] | None = None

    def sql(self, sql: str, params: Sequence | None = None) -> list:
        return self.spark.sql(sql, args=list(params) if params else None).collect()

    def ensure_table(self, table: str, columns: Sequence[tuple[str, str]]) -> None:
        cols = ", ".join(f"`{name}` {t}" for name, t in columns)
        self.sql(f"create table if not exists {table} ({cols}) using parquet")
        existing = set(self.spark.table(table).columns)
        missing = [(name, t) for name, t in columns if name not in existing]
        if missing:  # a feed learned a new column: add it, keep history
            added = ", ".join(f"`{name}` {t}" for name, t in missing)
            self.sql(f"alter table {table} add columns ({added})")
        if not self.sql(f"select 1 from {table} limit 1"):
            # an empty Parquet file with the table's columns: what reads the files
            # directly (chargeback.db, through DuckDB) finds the table even when it is empty
            schema = self.spark.table(table).schema
            self.spark.createDataFrame([], schema).write.insertInto(table)

    def begin(self) -> None:
        self.pending = {}

    def append(self, table: str, rows) -> None:
        """Append an Arrow table or a Spark DataFrame (columns by name)."""
        if self.pending is None:
            self._write(table, [rows])
        else:
            self.pending.setdefault(table, []).append(rows)

    def commit(self) -> None:
        pending, self.pending = self.pending or {}, None
        manifest = [t for t in pending if t.endswith(f"`{MANIFEST_TABLE}`")]
        for table in [t for t in pending if t not in manifest] + manifest:
            self._write(table, pending[table])

    def rollback(self) -> None:
        self.pending = None

    def _write(self, table: str, items: list) -> None:
        """Append Arrow tables and DataFrames to a Spark table in one Spark job, by column
        name (missing columns null)."""
        from pyspark.sql import functions as F

        target = self.spark.table(table).schema
        batches = [i for i in items if isinstance(i, pa.Table)]
        frames = [i for i in items if not isinstance(i, pa.Table)]
        if batches:
            columns = {}
            for field in target.fields:
                parts = [
                    b.column(field.name) if field.name in b.column_names
                    else pa.nulls(b.num_rows, pa.string())
                    for b in batches
                ]  # fmt: skip
                columns[field.name] = pa.chunked_array(
                    [c for p in parts
                     for c in (p.chunks if isinstance(p, pa.ChunkedArray) else [p])]
                )  # fmt: skip
            frames.insert(0, self.spark.createDataFrame(pa.table(columns)))
        aligned = [
            frame.select(*(
                (F.col(f"`{f.name}`") if f.name in frame.columns else F.lit(None))
                .cast(f.dataType).alias(f.name)
                for f in target.fields
            ))
            for frame in frames
        ]  # fmt: skip
        union = aligned[0]
        for frame in aligned[1:]:
            union = union.union(frame)
        union.write.insertInto(table)

    def close(self) -> None:
        """The session lives as long as the process (pyspark keeps one per process)."""
