"""The only module that touches the warehouse.

Every `query()` opens a short-lived, read-only connection and closes it before returning, so a
dashboard left open never holds a DuckDB lock that would block the next `dbt build`, and never
writes. SQL is written with `?` placeholders (DuckDB style) and values are always passed as
parameters; identifiers (schema names) come only from the settings, through `relation()`.

Every query runs as the signed-in principal (`CHARGEBACK_DASHBOARD_USER`, see
`chargeback.access`): on PostgreSQL the connection does `SET ROLE <principal>` and row-level
security filters the rows; on DuckDB a viewer's connection sees only filtered views.

Rows are turned into a DataFrame from the driver's Python values, so both backends give the
same types: DECIMAL/NUMERIC columns hold `decimal.Decimal` (money stays exact) and DATE columns
hold `datetime.date`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from chargeback import access
from chargeback.settings import Settings, load_settings

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be read right now; the message is meant for a person.

    `reason` is one of 'missing' (no DuckDB file), 'locked' (a build holds the DuckDB lock),
    'not_built' (the file or schema is there but the models are not), 'unreachable'
    (PostgreSQL does not answer), 'unreadable' (the file is not a DuckDB database) or
    'forbidden' (the signed-in principal may not read it).
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
        return f"duckdb:{s.duckdb_path}:{s.schema}:as:{s.dashboard_user}"
    if s.target == "spark":
        return f"spark:{s.spark_dir}:{s.schema}:as:{s.dashboard_user}"
    return (
        f"postgres:{s.pg_user}@{s.pg_host}:{s.pg_port}/{s.pg_database}:{s.schema}"
        f":as:{s.dashboard_user}"
    )


def describe(settings_: Settings | None = None) -> str:
    """A short human description of the warehouse, for captions."""
    s = settings_ or settings()
    if s.target == "duckdb":
        return f"DuckDB {s.duckdb_path} (schema {s.schema})"
    if s.target == "spark":
        return f"Spark tables under {s.spark_dir / 'warehouse'} (schema {s.schema})"
    return f"PostgreSQL {s.pg_host}:{s.pg_port}/{s.pg_database} (schema {s.schema})"


def query(sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run one SELECT, as the signed-in principal, on a fresh read-only connection and return
    all its rows."""
    s = settings()
    if s.target in ("duckdb", "spark"):
        columns, rows = _duckdb_query(s, sql, tuple(params))
    else:
        columns, rows = _postgres_query(s, sql, tuple(params))
    return pd.DataFrame.from_records(rows, columns=columns)


def current_principal() -> access.Principal:
    """The signed-in principal with its role and scope (WarehouseUnavailable 'forbidden' when
    it has no valid grant)."""
    frame = query(
        f"""
        select role, customer_id, cost_center_id
        from {relation("dim_access_grants")}
        where principal = ? and is_valid
        """,
        (settings().dashboard_user,),
    )
    try:
        return access.principal_from_grants(
            settings().dashboard_user, list(frame.itertuples(index=False, name=None))
        )
    except access.AccessDenied as exc:
        raise WarehouseUnavailable(str(exc), "forbidden") from exc


_GRANTS_SQL = """
    select role, customer_id, cost_center_id
    from {relation}
    where principal = ? and is_valid
"""


def _duckdb_connect(s: Settings):
    """An in-memory connection with the warehouse file attached read-only as
    access.WAREHOUSE_ALIAS (the same cost as opening the file itself)."""
    import duckdb

    file = s.duckdb_path
    if not file.exists():
        raise WarehouseUnavailable(
            f"No warehouse at {file}: run `make demo` to build one "
            "(or point CHARGEBACK_DUCKDB_PATH at a built warehouse).",
            "missing",
        )
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach ? as {access.WAREHOUSE_ALIAS} (read_only)", (str(file),))
        return con
    except duckdb.IOException as exc:
        con.close()
        if "lock" in str(exc).lower():
            raise WarehouseUnavailable(
                "The warehouse is being refreshed; try again in a minute.", "locked"
            ) from exc
        raise WarehouseUnavailable(
            f"Cannot open the warehouse at {file}: {exc}", "unreadable"
        ) from exc
    except (
        duckdb.ConnectionException,
        duckdb.BinderException,
        getattr(duckdb, "ResourceInUseException", duckdb.ConnectionException),
    ) as exc:
        # The same process holds a read-write connection (an in-process build).
        con.close()
        raise WarehouseUnavailable(
            "The warehouse is being refreshed; try again in a minute.", "locked"
        ) from exc


def _spark_connect(s: Settings):
    """Spark: an in-memory DuckDB connection whose database WAREHOUSE_ALIAS has a view on
    each table of the Spark warehouse, read from its Parquet files.

    The dashboards and exports read the Spark warehouse's files, not Spark itself: no JVM
    to start (6 s), and no hold on Spark's metastore, which admits one process at a time
    and would keep the next `dbt build` out (docs/spark.md). Parquet is the table format
    this reading needs (CHARGEBACK_SPARK_FILE_FORMAT=parquet, the default)."""
    import duckdb

    file_format = os.environ.get("CHARGEBACK_SPARK_FILE_FORMAT", "parquet")
    if file_format != "parquet":
        raise WarehouseUnavailable(
            f"The dashboards read the Spark warehouse's Parquet files; its tables are "
            f"{file_format} (CHARGEBACK_SPARK_FILE_FORMAT), whose folders also hold files "
            "that are no longer part of the table. Query them through Spark SQL instead.",
            "unreadable",
        )
    root = s.spark_dir / "warehouse"
    register = f"{s.schema}_register"
    schemas = {schema: root / f"{schema}.db" for schema in (s.schema, s.raw_schema, register)}
    if not schemas[s.schema].is_dir():
        raise WarehouseUnavailable(
            f"No Spark warehouse at {schemas[s.schema]}: run "
            "`CHARGEBACK_TARGET=spark make pipeline` to build one.",
            "missing",
        )
    con = duckdb.connect(":memory:")
    con.execute(f"attach ':memory:' as {access.WAREHOUSE_ALIAS}")
    for schema, folder in schemas.items():
        con.execute(f"create schema {access.WAREHOUSE_ALIAS}.{_quote(schema)}")
        for table in sorted(folder.iterdir()) if folder.is_dir() else []:
            if not _IDENTIFIER.match(table.name) or not any(table.glob("*.parquet")):
                continue  # a table Spark is writing for the first time
            files = str(table / "*.parquet").replace("'", "''")
            con.execute(
                f"create view {access.WAREHOUSE_ALIAS}.{_quote(schema)}.{_quote(table.name)} "
                f"as select * from read_parquet('{files}')"
            )
    return con


def _duckdb_principal(con, s: Settings) -> access.Principal:
    import duckdb

    grants = f"{access.WAREHOUSE_ALIAS}.{relation('dim_access_grants', settings_=s)}"
    try:
        con.execute(_GRANTS_SQL.format(relation=grants), (s.dashboard_user,))
        rows = con.fetchall()
    except duckdb.CatalogException as exc:
        raise WarehouseUnavailable(
            f"The warehouse at {s.duckdb_path} is not built yet (run `make demo`): "
            f"{_first_line(exc)}",
            "not_built",
        ) from exc
    try:
        return access.principal_from_grants(s.dashboard_user, rows)
    except access.AccessDenied as exc:
        raise WarehouseUnavailable(str(exc), "forbidden") from exc


def _duckdb_scope(con, s: Settings, who: access.Principal) -> None:
    """Staff read the warehouse itself; a viewer's connection gets a catalog of filtered
    views under the warehouse's relation names (chargeback.access)."""
    if who.is_staff:
        con.execute(f"use {access.WAREHOUSE_ALIAS}")
        return
    con.execute("create table me as select cast(? as varchar) as principal", (who.name,))
    con.execute("create table access_scope (customer_id varchar, cost_center_id varchar)")
    con.executemany("insert into access_scope values (?, ?)", list(who.grants))
    con.execute(
        """
        select schema_name, table_name, list(column_name)
        from duckdb_columns()
        where database_name = ? and schema_name in (?, ?)
        group by schema_name, table_name
        """,
        (access.WAREHOUSE_ALIAS, s.schema, s.raw_schema),
    )
    relations = {(r[0], r[1]): set(r[2]) for r in con.fetchall()}
    for statement in access.viewer_catalog_statements(s.schema, s.raw_schema, relations):
        con.execute(statement)


def _duckdb_query(s: Settings, sql: str, params: tuple) -> tuple[list[str], list[tuple]]:
    import duckdb

    con = _spark_connect(s) if s.target == "spark" else _duckdb_connect(s)
    try:
        who = _duckdb_principal(con, s)
        _duckdb_scope(con, s, who)
        try:
            con.execute(sql, params)
        except duckdb.CatalogException as exc:
            if not who.is_staff:
                missing = re.search(r"with name (\S+) does not exist", str(exc))
                what = missing.group(1) if missing else "this"
                raise WarehouseUnavailable(f"{who.name} may not read {what}.", "forbidden") from exc
            raise WarehouseUnavailable(
                f"The warehouse at {s.duckdb_path} is not built yet (run `make demo`): "
                f"{_first_line(exc)}",
                "not_built",
            ) from exc
        columns = [d[0] for d in con.description]
        # fetchall() consumes the whole result, so nothing is left pending on the connection.
        return columns, con.fetchall()
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
    who = None
    try:
        con.set_session(readonly=True)
        with con.cursor() as cur:
            who = _postgres_principal(cur, s)
            _postgres_set_role(cur, s)
            cur.execute(_to_pyformat(sql), params)
            columns = [d[0] for d in cur.description]
            return columns, cur.fetchall()
    except psycopg2.errors.InsufficientPrivilege as exc:
        denied = re.search(r"permission denied for (?:table|view|schema) (\S+)", str(exc))
        what = denied.group(1) if denied else "this"
        con.rollback()
        if who is not None and _postgres_may_read(con, s, who, what):
            # a table that dbt has just rebuilt has no grants until the end of the build
            # (apply_row_level_security, on-run-end): the principal may read it, soon
            raise WarehouseUnavailable(
                "The warehouse is being refreshed; try again in a minute.", "locked"
            ) from exc
        raise WarehouseUnavailable(f"{s.dashboard_user} may not read {what}.", "forbidden") from exc
    except (psycopg2.errors.UndefinedTable, psycopg2.errors.InvalidSchemaName) as exc:
        raise WarehouseUnavailable(
            f"The warehouse in schema {s.schema} is not built yet (run `make demo`): "
            f"{_first_line(exc)}",
            "not_built",
        ) from exc
    finally:
        con.close()


def _postgres_principal(cur, s: Settings) -> access.Principal:
    """The principal, resolved from its valid grants only (dim_access_grants, built from
    seeds/access_grants.csv), before the connection takes its role: a name with no grant,
    such as the service user itself (`postgres`) or any other database role, is refused."""
    cur.execute(
        _to_pyformat(_GRANTS_SQL.format(relation=relation("dim_access_grants", settings_=s))),
        (s.dashboard_user,),
    )
    try:
        return access.principal_from_grants(s.dashboard_user, cur.fetchall())
    except access.AccessDenied as exc:
        raise WarehouseUnavailable(str(exc), "forbidden") from exc


def _postgres_may_read(con, s: Settings, who: access.Principal, table: str) -> bool:
    """Would the grants let `who` read `table` (of the warehouse's schemas) once it is
    built? Staff read every table; a viewer the marts with a customer_id and the landing
    tables (the same rule as apply_row_level_security)."""
    if who.is_staff:
        return True
    if table in access.LANDING_TABLES:
        return True
    with con.cursor() as cur:
        cur.execute(
            "select column_name from information_schema.columns "
            "where table_schema = %s and table_name = %s",
            (s.schema, table),
        )
        columns = {row[0] for row in cur.fetchall()}
    con.rollback()
    return access.is_viewer_relation(table, columns)


def _postgres_set_role(cur, s: Settings) -> None:
    """Become the principal's role for the rest of the transaction: from here on the
    database's grants and row-level security policies decide what is visible."""
    import psycopg2.errors
    from psycopg2 import sql as pgsql

    try:
        cur.execute(pgsql.SQL("set local role {}").format(pgsql.Identifier(s.dashboard_user)))
    except (psycopg2.errors.InvalidParameterValue, psycopg2.errors.InsufficientPrivilege) as exc:
        raise WarehouseUnavailable(
            f"{s.dashboard_user!r} has no access to the billing warehouse on PostgreSQL "
            f"({_first_line(exc)}): a finance admin grants it in seeds/access_grants.csv "
            "and rebuilds.",
            "forbidden",
        ) from exc


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
