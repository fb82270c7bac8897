"""dbt's partial parse, for the suite's many warehouses and copies of the project.

dbt parses the whole project again (10 to 17 s of CPU on CI's machine) unless its last
parse had the same profile and the same project folder, and DuckDB's file path is part of
the profile it compares. Every test has a warehouse of its own and many have their own copy
of the project, so every dbt run of the suite parsed in full: 29 parses, 371 s of CPU.

Here a test process reaches them through fixed paths instead: symbolic links in a folder
of its own (`stage()`), pointed at the project and the DuckDB file of the moment before
dbt runs (`staged`). dbt then sees one project folder and one profile per setting, keeps
its parse in a target folder per setting (`target_dir`), and parses only the files that
differ from the last parse: a test's edited seed, or nothing. Which files it reads is
dbt's own check (their checksums), as when an analyst edits a seed and runs dbt again.

PostgreSQL's schema is part of the profile too, and of every node: a new schema is a new
setting, parsed in full.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

# What dbt's parse depends on besides the project's files: the target, its database and
# schema (every node's are resolved when parsing; DuckDB names the database after the
# file), and the variables dbt_project.yml reads.
PARSE_ENV = ("CHARGEBACK_TARGET", "CHARGEBACK_SCHEMA", "CHARGEBACK_PG_DATABASE",
             "CHARGEBACK_PERSIST_DOCS", "CHARGEBACK_SPARK_FILE_FORMAT")  # fmt: skip


_STAGES: dict[int, Path] = {}


def stage() -> Path:
    """This process's folder of links and target folders (removed when the process ends:
    tests/conftest.py, tests/dbt_child.py)."""
    pid = os.getpid()
    if pid not in _STAGES:
        name = f"chargeback-stage-{pid}-{uuid.uuid4().hex[:6]}"
        _STAGES[pid] = Path(tempfile.gettempdir()) / name
    return _STAGES[pid]


def _link(name: str, to: Path) -> Path:
    """stage()/name, a symbolic link to `to` (pointed again if it points elsewhere)."""
    path = stage() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink():
        if Path(os.readlink(path)) == to:
            return path
        # DuckDB writes its log beside the path it opened: one a process left (it did not
        # close the file) belongs to the file the link pointed at
        wal = path.with_name(path.name + ".wal")
        if wal.exists():
            shutil.move(wal, Path(os.readlink(path)).with_name(path.name + ".wal"))
    new = path.with_name(path.name + ".new")
    new.unlink(missing_ok=True)
    new.symlink_to(to)
    os.replace(new, path)
    return path


def duckdb_target(env: Mapping[str, str]) -> bool:
    """Whether `env` runs dbt on a DuckDB file it names."""
    return env.get("CHARGEBACK_TARGET", "duckdb") == "duckdb" and "CHARGEBACK_DUCKDB_PATH" in env


def staged_env(env: Mapping[str, str]) -> dict:
    """`env` with its DuckDB file (if any) reached through this process's link."""
    if not duckdb_target(env):
        return dict(env)
    real = Path(env["CHARGEBACK_DUCKDB_PATH"]).resolve()
    # the same file name: DuckDB names the database after it, and the views name it
    return {**env, "CHARGEBACK_DUCKDB_PATH": str(_link(f"duckdb/{real.name}", real))}


def target_dir(env: Mapping[str, str]) -> Path:
    """The target folder of dbt's parses with this setting (its partial_parse.msgpack)."""
    setting = [env.get(name) or "" for name in PARSE_ENV]
    if duckdb_target(env):
        setting[PARSE_ENV.index("CHARGEBACK_PG_DATABASE")] = ""  # not DuckDB's
        setting.append(Path(env["CHARGEBACK_DUCKDB_PATH"]).name)
    key = hashlib.sha256("\0".join(setting).encode()).hexdigest()[:12]
    folder = stage() / f"target-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def project_link(project: Path) -> Path:
    """The project copy `project` (its dbt_project/, seeds/ and profiles.yml) through this
    process's link: every dbt run of a test process reads the project there, so that each
    partial parse names one folder (dbt keeps the folder of every file it parsed)."""
    return _link("project", Path(project).resolve())


@contextmanager
def staged(project: Path) -> Iterator[Path]:
    """project_link(project), with os.environ's DuckDB file through its link, for one dbt
    call in this process."""
    link = project_link(project)
    saved = os.environ.get("CHARGEBACK_DUCKDB_PATH")
    os.environ.update(staged_env(dict(os.environ)))
    try:
        yield link
    finally:
        if saved is not None:
            os.environ["CHARGEBACK_DUCKDB_PATH"] = saved


@contextmanager
def dagster_run(project: Path) -> Iterator[Path]:
    """staged(project) for one Dagster run of dbt (a subprocess) in this process, with
    DBT_TARGET_PATH the setting's target folder: dagster-dbt gives each run a folder of its
    own there, starting from the folder's partial_parse.msgpack, and the run's parse then
    becomes the next run's start. os.environ is as before afterwards (the Dagster ops
    export the settings into it)."""
    saved = dict(os.environ)
    try:
        with staged(project) as link:
            target = target_dir(os.environ)
            os.environ["DBT_TARGET_PATH"] = str(target)
            yield link
    finally:
        os.environ.clear()
        os.environ.update(saved)
    runs = sorted(target.glob("*/partial_parse.msgpack"), key=lambda p: p.stat().st_mtime_ns)
    if runs:
        shutil.copy(runs[-1], target / "partial_parse.msgpack")
