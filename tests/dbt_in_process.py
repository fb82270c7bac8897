"""dbt run inside the test process, through dbt's programmatic runner (`dbtRunner`), with
the project parsed once per project copy and environment.

A `dbt` subprocess spends about 2 s importing dbt and 10 to 17 s parsing the project (on
CI's machine) before it runs anything; the month-end close scenarios run dbt some thirty
times, mostly for small rebuilds and `run-operation`s. Here the parsed manifest is kept
and handed to the next call (dbt's documented way to skip the parse), as long as nothing
dbt parses has changed: the project's files (the seeds' too: their checksums are part of
the rules' fingerprint, macros/incremental_rules.sql), the target and schema, and the
variables dbt_project.yml reads (partial_parse.PARSE_ENV). When something has, dbt parses
only what changed: the project and the DuckDB file are reached through fixed links
(tests/partial_parse.py).

What a call returns looks like the subprocess's: a CompletedProcess whose stdout has the
messages dbt would print, and whose return code is the CLI's (0, 1 for failed nodes, 2 for
an error). The DuckDB file dbt-duckdb keeps open between calls in one process is closed
after each call, so the tests, Dagster's dbt and the landing can open it again.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from . import partial_parse

_PARSED: dict[tuple, object] = {}  # the last projects parsed: {key: Manifest}
_KEEP = 4  # manifests kept (a test process alternates between a few projects)


def _key(project: Path) -> tuple:
    files = []
    for folder in (project / "dbt_project", project / "seeds"):
        for path in folder.rglob("*"):
            if path.is_file() and not {"target", "logs"} & set(path.parts):
                stat = path.stat()
                files.append((str(path), stat.st_mtime_ns, stat.st_size))
    profile = (project / "profiles.yml").stat()
    env = tuple(os.environ.get(name) for name in partial_parse.PARSE_ENV)
    database = Path(os.environ.get("CHARGEBACK_DUCKDB_PATH", "warehouse.duckdb")).stem
    return str(project), profile.st_mtime_ns, tuple(sorted(files)), env, database


def last_parsed():
    """The manifest of the last parse, or None before any."""
    return next(reversed(_PARSED.values()), None)


def _close_duckdb() -> None:
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a dependency
        return
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def dbt_in_process(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`dbt <args>` on the project copy `project` (its dbt_project/ and profiles.yml),
    reached through this process's links (tests/partial_parse.py)."""
    with partial_parse.staged(project) as staged:
        return _dbt(staged, *args)


def _dbt(project: Path, *args: str) -> subprocess.CompletedProcess:
    from dbt.cli.main import dbtRunner

    common = ["--project-dir", str(project / "dbt_project"), "--profiles-dir", str(project),
              "--quiet", "--no-use-colors"]  # fmt: skip
    key = _key(project)
    lines: list[str] = []

    def collect(event) -> None:
        if event.info.level in ("info", "warn", "error") and event.info.msg:
            lines.append(event.info.msg)

    try:
        manifest = _PARSED.get(key)
        if manifest is None:
            # (no manifest.json: the Manifest object is what is kept; the partial parse is
            # kept in the setting's own target folder)
            target = partial_parse.target_dir(os.environ)
            parse = ["parse", "--no-write-json", "--target-path", str(target), *common]
            parsed = dbtRunner(callbacks=[collect]).invoke(parse)
            if not parsed.success:
                lines.append(str(parsed.exception))
                return subprocess.CompletedProcess(["dbt", *args], 2, "\n".join(lines), "")
            while len(_PARSED) >= _KEEP:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[key] = manifest = parsed.result
            lines.clear()
        result = dbtRunner(manifest=manifest, callbacks=[collect]).invoke([*args, *common])
    finally:
        _close_duckdb()
    if result.exception is not None:
        lines.append(str(result.exception))
    code = 0 if result.success else (2 if result.exception is not None else 1)
    return subprocess.CompletedProcess(["dbt", *args], code, "\n".join(lines), "")
