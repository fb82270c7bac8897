"""Shared fixtures: real DuckDB files, a real PostgreSQL schema, real dbt and Dagster runs.

The hand-computed fixture is landed and built through Dagster once per test run and per
adapter, and shared by every pytest-xdist worker (`fixture_duckdb`, `fixture_postgres`):
the first worker that needs it builds it under a file lock, the others wait and reuse it.
Tests only read the shared warehouses; a test that changes a warehouse works on a copy
(`fixture_duckdb_copy`, `project`, `copy_postgres_fixture`). Every PostgreSQL schema a run
creates is named `t_<run>_...` and dropped when the run ends.

PostgreSQL tests skip with a clear message when no server answers, unless
CHARGEBACK_REQUIRE_POSTGRES=1 (set by `make test` in CI through .ci/run): then they fail.
Spark tests likewise skip when pyspark or Java is missing, and fail with
CHARGEBACK_REQUIRE_SPARK=1 (.ci/run).
"""

from __future__ import annotations

import csv
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from . import partial_parse
from .dbt_in_process import dbt_in_process

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURE_LANDING = REPO_ROOT / "tests" / "fixtures" / "landing"
FOCUS_SAMPLE = REPO_ROOT.parent / "shared" / "data" / "focus-sample-1.0" / "focus_sample.csv"
DBT = str(Path(sys.executable).with_name("dbt"))

# One id per test run, shared by the pytest-xdist workers (they inherit the environment).
RUN_ID = os.environ.setdefault("CHARGEBACK_TEST_RUN", uuid.uuid4().hex[:6])
# The run's parse (pytest_configure) writes here, not to dbt_project/target/: tests that run
# dbt in the project itself (test_hardening) would rewrite target/manifest.json while other
# workers read it, and the partial parse `make` left there (for the Makefile's settings)
# then still serves `make pipeline` and `make docs` after `make test` (CI's demo).
PARSED_TARGET = Path(tempfile.gettempdir()) / f"chargeback-parsed-{RUN_ID}"
PARSED_MANIFEST = PARSED_TARGET / "manifest.json"
# dbt unit tests check the SQL's logic, whatever the data: they run in the two fixture builds
# (once per adapter and test run), and every other build of the run skips them.
os.environ["DBT_EXCLUDE_RESOURCE_TYPES"] = "unit_test"
# Table and column comments (persist_docs) cost about 15% of a small build: written in the
# two fixture builds, where test_docs reads them, and skipped in every other build.
USER_PERSIST_DOCS = os.environ.get("CHARGEBACK_PERSIST_DOCS")
os.environ["CHARGEBACK_PERSIST_DOCS"] = "false"
# dbt's debug log file (logs/dbt.log: every query of every node) costs about 13% of a small
# build; a test shows dbt's messages when it fails, and nothing reads the file.
os.environ["DBT_LOG_LEVEL_FILE"] = "none"

PG = {
    "host": os.environ.get("CHARGEBACK_PG_HOST", "127.0.0.1"),
    "port": int(os.environ.get("CHARGEBACK_PG_PORT", "5432")),
    "user": os.environ.get("CHARGEBACK_PG_USER", "postgres"),
    "dbname": os.environ.get("CHARGEBACK_PG_DATABASE", "test"),
}


# the same server for pg_dump and psql
PG_ENV = {"PGHOST": PG["host"], "PGPORT": str(PG["port"]), "PGUSER": PG["user"],
          "PGDATABASE": PG["dbname"]}  # fmt: skip


def postgres_error() -> str | None:
    """None when PostgreSQL answers, else why not."""
    import psycopg2

    try:
        psycopg2.connect(connect_timeout=3, **PG).close()
    except psycopg2.OperationalError as exc:
        return str(exc).strip()
    return None


def require_postgres() -> None:
    error = postgres_error()
    if error is None:
        return
    message = (
        f"PostgreSQL is not reachable at {PG['host']}:{PG['port']} "
        f"(database {PG['dbname']}, user {PG['user']}): {error}"
    )
    if os.environ.get("CHARGEBACK_REQUIRE_POSTGRES") == "1":
        pytest.fail(message + " — CHARGEBACK_REQUIRE_POSTGRES=1, so this is a failure.")
    pytest.skip(message + " — set CHARGEBACK_PG_* to point at a server to run these tests.")


def spark_error() -> str | None:
    """None when a local Spark can start here (pyspark installed, Java on the PATH), else
    why not. Starting one takes seconds, so only what it needs is checked."""
    import importlib.util

    if (
        importlib.util.find_spec("pyspark") is None
        or importlib.util.find_spec("dbt.adapters.spark") is None
    ):
        return "pyspark and dbt-spark are not installed (pip install -e '.[dev,spark]')"
    if shutil.which("java") is None:
        return "Java is not installed (apt-get install -y openjdk-17-jre-headless)"
    return None


def require_spark() -> None:
    error = spark_error()
    if error is None:
        return
    if os.environ.get("CHARGEBACK_REQUIRE_SPARK") == "1":
        pytest.fail(f"Spark cannot start here: {error} — CHARGEBACK_REQUIRE_SPARK=1.")
    pytest.skip(f"Spark cannot start here: {error}.")


def pg_query(sql: str, params=None) -> list[tuple]:
    import psycopg2

    with psycopg2.connect(**PG) as con, con.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []


def drop_pg_schemas(schema: str) -> None:
    """Drop a test schema with its raw and register schemas."""
    pg_query(
        f'drop schema if exists "{schema}" cascade; drop schema if exists "{schema}_raw" cascade; '
        f'drop schema if exists "{schema}_register" cascade'
    )


def pg_schema(label: str = "") -> str:
    """A fresh PostgreSQL schema name of this test run (dropped at the end of the run)."""
    return f"t_{RUN_ID}_{label or uuid.uuid4().hex[:8]}"


def pytest_configure(config):
    """dagster-dbt reads target/manifest.json when dagster_defs.dbt is imported, which
    happens while tests are collected: parse the dbt project first (once: pytest-xdist's
    workers start after the controller has parsed it, and inherit its run id)."""
    if hasattr(config, "workerinput"):
        # Any dbt this worker starts without its own --target-path writes here, never to the
        # project's target/: two dbt processes writing one manifest.json leave it corrupt
        # (CI once failed on that after the tests, in `dagster definitions validate`).
        worker = config.workerinput["workerid"]
        target = Path(tempfile.gettempdir()) / f"chargeback-target-{RUN_ID}-{worker}"
        os.environ["DBT_TARGET_PATH"] = str(target)
        target.mkdir(parents=True, exist_ok=True)
        # (no partial parse here: the run's dbt commands keep theirs per setting, which the
        # run's first parse, on the Makefile's settings, is not: tests/partial_parse.py)
        return
    # From the partial parse `make` left (`make test` parses first): with the same settings
    # (the user's, which dbt checks), dbt finds nothing to parse again, where a full parse
    # costs some 14 s before any worker starts. The Dagster definitions need only the nodes.
    PARSED_TARGET.mkdir(parents=True, exist_ok=True)
    made = REPO_ROOT / "dbt_project" / "target" / "partial_parse.msgpack"
    if made.exists():
        shutil.copy(made, PARSED_TARGET)
    # the Makefile's default warehouse (its path is part of dbt's profile check)
    default_duckdb = str(REPO_ROOT / "data" / "warehouse.duckdb")
    env = {"CHARGEBACK_DUCKDB_PATH": default_duckdb, **os.environ, "CHARGEBACK_TARGET": "duckdb"}
    env.pop("CHARGEBACK_PERSIST_DOCS")
    if USER_PERSIST_DOCS is not None:
        env["CHARGEBACK_PERSIST_DOCS"] = USER_PERSIST_DOCS
    subprocess.run(
        [
            DBT,
            "parse",
            "--project-dir",
            str(REPO_ROOT / "dbt_project"),
            "--profiles-dir",
            str(REPO_ROOT),
            "--target-path",
            str(PARSED_TARGET),
            "--quiet",
        ],
        cwd=REPO_ROOT,
        check=True,
        env=env,
    )
    (REPO_ROOT / "dbt_project" / "target").mkdir(exist_ok=True)
    shutil.copy(PARSED_MANIFEST, REPO_ROOT / "dbt_project" / "target" / "manifest.json")


def pytest_unconfigure(config):
    """Remove what pytest_configure and this process's dbt runs left in the temporary
    directory."""
    shutil.rmtree(partial_parse.stage(), ignore_errors=True)
    if hasattr(config, "workerinput"):
        shutil.rmtree(os.environ["DBT_TARGET_PATH"], ignore_errors=True)
    else:
        shutil.rmtree(PARSED_TARGET, ignore_errors=True)


def warehouse_env(tmp: Path, target: str, landing: Path, schema: str | None = None) -> dict:
    env = {
        "CHARGEBACK_TARGET": target,
        "CHARGEBACK_LANDING_DIR": str(landing),
        "CHARGEBACK_DUCKDB_PATH": str(tmp / "warehouse.duckdb"),
        "CHARGEBACK_SPARK_DIR": str(tmp / "spark"),
        "DAGSTER_HOME": str(tmp / "dagster_home"),
    }
    if schema:
        env["CHARGEBACK_SCHEMA"] = schema
    (tmp / "dagster_home").mkdir(parents=True, exist_ok=True)
    return env


def run_pipeline(
    env: dict,
    full_refresh: bool = False,
    unit_tests: bool = False,
    data_tests: bool = True,
):
    """Run every asset (landing, then dbt build) with dagster.materialize, in process; the dbt
    unit tests and the table and column comments too when `unit_tests`, and without the dbt
    data tests unless `data_tests` (for a rebuild of a warehouse whose data the fixture
    build already tested: left out with the Dagster job's `exclude` setting)."""
    import dagster as dg

    from dagster_defs.dbt import ChargebackDbtCliResource, chargeback_dbt_assets, dbt_executable
    from dagster_defs.landing import land_files

    exclude = "" if data_tests else "resource_type:test"
    config = {"full_refresh": full_refresh, "exclude": exclude}
    run_config = {"ops": {chargeback_dbt_assets.op.name: {"config": config}}}
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        if unit_tests:  # the fixture builds: comments too (test_pipeline reads them)
            mp.delenv("DBT_EXCLUDE_RESOURCE_TYPES")
            mp.setenv("CHARGEBACK_PERSIST_DOCS", "true")
        # the project and the DuckDB file through this process's links: dbt's partial parse
        # then applies from one run to the next (tests/partial_parse.py), and os.environ is
        # as before afterwards (the Dagster op exports the settings into it)
        with partial_parse.dagster_run(REPO_ROOT) as project:
            dbt_resource = ChargebackDbtCliResource(
                project_dir=str(project / "dbt_project"),
                profiles_dir=str(project),
                dbt_executable=dbt_executable(),
            )
            result = dg.materialize(
                [land_files, chargeback_dbt_assets],
                resources={"dbt": dbt_resource},
                run_config=run_config,
                raise_on_error=False,
            )
    assert result.success, "the Dagster run failed; see the captured log above"
    return result


def duck_query(path: Path | str, sql: str, params=None) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# -- warehouses built once per run and shared by every worker --------------------------------
def shared_dir(tmp_path_factory) -> Path:
    """A folder every pytest-xdist worker of this run sees (the run's base temp folder)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared"
    shared.mkdir(exist_ok=True)
    return shared


@contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    with lock.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """`build(folder)` once per test run, whichever worker asks first; the others wait for
    it. A failed build is tried again by the next test that needs it (and fails it too)."""
    root = shared_dir(tmp_path_factory)
    folder = root / name
    with exclusive(root / f"{name}.lock"):
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


@pytest.fixture(scope="session")
def fixture_duckdb(tmp_path_factory) -> Path:
    """The hand-computed fixture landed and built through Dagster on a DuckDB file, shared
    by the whole run: read it only (fixture_duckdb_copy to change it)."""

    def build(folder: Path) -> None:
        run_pipeline(warehouse_env(folder, "duckdb", FIXTURE_LANDING), unit_tests=True)

    return built_once(tmp_path_factory, "fixture_duckdb", build) / "warehouse.duckdb"


@pytest.fixture
def fixture_duckdb_copy(fixture_duckdb: Path, tmp_path: Path) -> Path:
    """A private copy of the built fixture warehouse, to change or to open read-write."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(fixture_duckdb, copy)
    return copy


@pytest.fixture(scope="session")
def fixture_postgres(tmp_path_factory) -> str:
    """The same fixture built through Dagster on PostgreSQL, in a schema of this run shared
    by every worker: read it only."""
    require_postgres()
    schema = pg_schema("fixture")

    def build(folder: Path) -> None:
        drop_pg_schemas(schema)  # a failed earlier attempt
        run_pipeline(warehouse_env(folder, "postgres", FIXTURE_LANDING, schema), unit_tests=True)

    built_once(tmp_path_factory, "fixture_postgres", build)
    return schema


@pytest.fixture(scope="session")
def fixture_postgres_dump(fixture_postgres, tmp_path_factory) -> Path:
    """pg_dump of the built PostgreSQL fixture's three schemas (taken once, before any test
    reads it), for copy_postgres_fixture."""

    def dump(folder: Path) -> None:
        for tool in ("pg_dump", "psql"):
            if shutil.which(tool) is None:
                pytest.fail(f"{tool} is not installed: it comes with PostgreSQL's client "
                            "(Debian: apt-get install postgresql-client)")  # fmt: skip
        schemas = [f"--schema={fixture_postgres}{suffix}" for suffix in ("", "_raw", "_register")]
        done = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", *schemas, "-f", str(folder / "dump.sql")],
            env={**os.environ, **PG_ENV}, capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

    return built_once(tmp_path_factory, "fixture_postgres_dump", dump) / "dump.sql"


def copy_postgres_fixture(dump: Path, schema: str) -> None:
    """A private copy of the built PostgreSQL fixture in `schema` (with its _raw and
    _register schemas), restored from fixture_postgres_dump: a few seconds, where a landing
    and a build take some forty. The fixture's schema names are renamed (they are unique to
    the run: pg_schema("fixture"))."""
    fixture = pg_schema("fixture")
    sql = dump.read_text().replace(fixture, schema)
    done = subprocess.run(
        ["psql", "--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=1"],
        input=sql, text=True, env={**os.environ, **PG_ENV}, capture_output=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def spark_q(folder: Path, schema: str = "chargeback") -> Callable[[str], list[tuple]]:
    """Query a Spark warehouse's tables as the dashboards do (chargeback/db.py: its Parquet
    files through DuckDB); `{s}` in the SQL is the schema."""
    from dataclasses import replace

    from chargeback import db
    from chargeback.settings import load_settings

    def q(sql: str) -> list[tuple]:
        settings = replace(load_settings(), target="spark", spark_dir=folder / "spark",
                           schema=schema)  # fmt: skip
        con = db._spark_connect(settings)
        try:
            con.execute("use warehouse")
            return con.execute(sql.format(s=f'"{schema}".')).fetchall()
        finally:
            con.close()

    return q


# -- CI guard: PostgreSQL tests must run, not skip -----------------------------------------
_skipped_postgres: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "postgres" in report.keywords:
        _skipped_postgres.append(report.nodeid)


def drop_run_schemas() -> None:
    """Drop every PostgreSQL schema this run created (t_<run>_...), whatever failed."""
    if postgres_error() is not None:
        return
    for (schema,) in pg_query(
        "select nspname from pg_namespace where nspname like %s", (f"t_{RUN_ID}_%",)
    ):
        pg_query(f'drop schema if exists "{schema}" cascade')


def pytest_sessionfinish(session, exitstatus):
    if not hasattr(session.config, "workerinput"):  # the controller, after every worker
        drop_run_schemas()
    if os.environ.get("CHARGEBACK_REQUIRE_POSTGRES") == "1" and _skipped_postgres:
        print(
            f"\nCHARGEBACK_REQUIRE_POSTGRES=1 but {len(_skipped_postgres)} "
            "PostgreSQL test(s) skipped:"
        )
        for nodeid in _skipped_postgres:
            print(f"  {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# -- a copy of the dbt project, for tests that edit seeds as analysts do -------------------
def use_duckdb(monkeypatch, path: Path | str) -> None:
    """Point the settings, and the dbt this process runs, at the DuckDB file `path` and its
    default schema."""
    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(path))
    monkeypatch.delenv("CHARGEBACK_SCHEMA", raising=False)


def copy_project(copy: Path) -> Path:
    """A copy of dbt_project/ and seeds/ (and profiles.yml), for tests that edit seeds."""
    shutil.copytree(REPO_ROOT / "dbt_project", copy / "dbt_project",
                    ignore=shutil.ignore_patterns("target", "logs"))  # fmt: skip
    shutil.copytree(REPO_ROOT / "seeds", copy / "seeds")
    shutil.copy(REPO_ROOT / "profiles.yml", copy / "profiles.yml")
    return copy


@pytest.fixture
def project(fixture_duckdb_copy, tmp_path, monkeypatch) -> Path:
    """A copy of the dbt project and seeds, pointed at a copy of the built fixture warehouse:
    an analyst's edit then rebuilds only what depends on it (`dbt build --select seed+`)."""
    use_duckdb(monkeypatch, fixture_duckdb_copy)
    return copy_project(tmp_path / "repo")


def dbt(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`dbt <args>` on a project copy, in this process (tests/dbt_in_process.py: no dbt
    start-up and no parse per call); what it returns looks like the dbt subprocess's."""
    return dbt_in_process(project, *args)


def edit_seed(project: Path, seed: str, edit) -> None:
    """Rewrite seeds/<seed>.csv of a project copy: edit(rows) returns the new rows."""
    path = project / "seeds" / f"{seed}.csv"
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    rows = edit(rows)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def failing_tests(dbt_stdout: str) -> set[str]:
    """Names of the dbt tests a build reported as failing."""
    return {
        line.split("Failure in test ")[1].split()[0]
        for line in dbt_stdout.splitlines()
        if "Failure in test " in line
    }
