"""The only module that touches the warehouse.

Every `query()` opens a short-lived, read-only connection and closes it before returning, so a
dashboard left open never holds a DuckDB lock that would block the next `dbt build`, and never
writes. SQL is written with `?` placeholders (DuckDB style) and values are always passed as
parameters; identifiers (schema names) come only from the settings, through `relation()`.

Rows are turned into a DataFrame from the driver's Python values, so both backends give the
same types: DECIMAL/NUMERIC columns hold `decimal.Decimal` (money stays exact) and DATE columns
hold `datetime.date`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from dagster_defs.settings import Settings, load_settings

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be read right now; the message is meant for a person.

    `reason` is one of 'missing' (no DuckDB file), 'locked' (a build holds the DuckDB lock),
    'not_built' (the file or schema is there but the models are not), 'unreachable'
    (PostgreSQL does not answer) or 'unreadable' (the file is not a DuckDB database).
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def settings() -> Settings:
    """The settings, read from the environment on every call (cheap; nothing is cached)."""
    return load_settings()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def relation(name: str, raw: bool = False, settings_: Settings | None = None) -> str:
    """The quoted `schema.name` of a model (schema from settings) or, with raw=True, of a
    landing table in `<schema>_raw`. `name` must be a plain identifier written in our code."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a relation name: {name!r}")
    s = settings_ or settings()
    schema = s.raw_schema if raw else s.schema
    return f"{_quote(schema)}.{_quote(name)}"


def warehouse_key(settings_: Settings | None = None) -> str:
    """Which warehouse the settings point at (no password), to key caches by."""
    s = settings_ or settings()
    if s.target == "duckdb":
        return f"duckdb:{s.duckdb_path}:{s.schema}"
    return f"postgres:{s.pg_user}@{s.pg_host}:{s.pg_port}/{s.pg_database}:{s.schema}"


def describe(settings_: Settings | None = None) -> str:
    """A short human description of the warehouse, for captions."""
    s = settings_ or settings()
    if s.target == "duckdb":
        return f"DuckDB {s.duckdb_path} (schema {s.schema})"
    return f"PostgreSQL {s.pg_host}:{s.pg_port}/{s.pg_database} (schema {s.schema})"


def query(sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run one SELECT on a fresh read-only connection and return all its rows."""
    s = settings()
    if s.target == "duckdb":
        columns, rows = _duckdb_query(s, sql, tuple(params))
    else:
        columns, rows = _postgres_query(s, sql, tuple(params))
    return pd.DataFrame.from_records(rows, columns=columns)


def _duckdb_query(s: Settings, sql: str, params: tuple) -> tuple[list[str], list[tuple]]:
    import duckdb

    path = s.duckdb_path
    if not path.exists():
        raise WarehouseUnavailable(
            f"No warehouse at {path}: run `make demo` to build one "
            "(or point CHARGEBACK_DUCKDB_PATH at a built warehouse).",
            "missing",
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseUnavailable(
                "The warehouse is being refreshed; try again in a minute.", "locked"
            ) from exc
        raise WarehouseUnavailable(
            f"Cannot open the warehouse at {path}: {exc}", "unreadable"
        ) from exc
    except duckdb.ConnectionException as exc:
        # The same process holds a read-write connection (an in-process build).
        raise WarehouseUnavailable(
            "The warehouse is being refreshed; try again in a minute.", "locked"
        ) from exc
    try:
        con.execute(sql, params)
        columns = [d[0] for d in con.description]
        # fetchall() consumes the whole result, so nothing is left pending on the connection.
        return columns, con.fetchall()
    except duckdb.CatalogException as exc:
        raise WarehouseUnavailable(
            f"The warehouse at {path} is not built yet (run `make demo`): {_first_line(exc)}",
            "not_built",
        ) from exc
    finally:
        con.close()


def _to_pyformat(sql: str) -> str:
    """`?` placeholders to psycopg2's `%s` (a literal `%` becomes `%%`).

    Our SQL never has a `?` inside a string literal or a JSON operator."""
    return sql.replace("%", "%%").replace("?", "%s")


def _postgres_query(s: Settings, sql: str, params: tuple) -> tuple[list[str], list[tuple]]:
    import psycopg2
    import psycopg2.errors

    try:
        con = psycopg2.connect(
            host=s.pg_host,
            port=s.pg_port,
            user=s.pg_user,
            password=s.pg_password or None,
            dbname=s.pg_database,
            connect_timeout=5,
            application_name="chargeback-dashboard",
        )
    except psycopg2.OperationalError as exc:
        raise WarehouseUnavailable(
            f"Cannot reach PostgreSQL at {s.pg_host}:{s.pg_port} "
            f"(database {s.pg_database}): {_first_line(exc)}",
            "unreachable",
        ) from exc
    try:
        con.set_session(readonly=True)
        with con.cursor() as cur:
            cur.execute(_to_pyformat(sql), params)
            columns = [d[0] for d in cur.description]
            return columns, cur.fetchall()
    except (psycopg2.errors.UndefinedTable, psycopg2.errors.InvalidSchemaName) as exc:
        raise WarehouseUnavailable(
            f"The warehouse in schema {s.schema} is not built yet (run `make demo`): "
            f"{_first_line(exc)}",
            "not_built",
        ) from exc
    finally:
        con.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
