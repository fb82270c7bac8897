"""The Python layout: imports run one way.

    dashboards ──► chargeback ◄── dagster_defs

`chargeback` is the library (no Dagster, no Streamlit); `dagster_defs` is the Dagster wiring
and `dashboards` the Streamlit app, both above it, and neither imports the other. Every
import is checked, including the ones inside functions.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

# package -> the top-level modules it must never import
FORBIDDEN = {
    "chargeback": {"dagster", "dagster_dbt", "dagster_webserver", "streamlit", "dagster_defs",
                   "dashboards"},
    "dagster_defs": {"dashboards", "streamlit"},
    "dashboards": {"dagster_defs", "dagster", "dagster_dbt"},
}  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    """The absolute top-level modules a file imports (relative imports stay in its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def violations(package: str) -> list[str]:
    return sorted(
        f"{path.relative_to(REPO_ROOT)} imports {module}"
        for path in (REPO_ROOT / package).rglob("*.py")
        for module in imported_modules(path) & FORBIDDEN[package]
    )


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_run_one_way(package):
    assert violations(package) == []


def test_the_checker_sees_an_import_inside_a_function(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    import streamlit as st\n    from dagster_defs import dbt\n")
    assert imported_modules(bad) == {"streamlit", "dagster_defs"}


def test_the_whole_library_imports_without_dagster_or_streamlit():
    """Import every module of the library in a fresh interpreter: neither framework loads."""
    modules = sorted(
        ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (REPO_ROOT / "chargeback").rglob("*.py")
        if path.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'dagster', 'streamlit'})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert {"chargeback.db", "chargeback.outputs.documents", "chargeback.landing.loader"} <= set(
        modules
    )
    assert result.stdout.strip() == ""
