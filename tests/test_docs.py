"""Lineage docs for auditors: every model and seed, and every column the warehouse really
has, is described (checked against dbt's catalog of the built fixture warehouse)."""

from __future__ import annotations

import json
import shutil

from .conftest import PARSED_MANIFEST, REPO_ROOT, use_duckdb
from .dbt_in_process import dbt_in_process


def test_every_model_and_column_is_described(fixture_duckdb, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(fixture_duckdb, db)
    target = tmp_path / "target"
    use_duckdb(monkeypatch, db)
    generated = dbt_in_process(REPO_ROOT, "docs", "generate", "--target-path", str(target))
    assert generated.returncode == 0, generated.stdout[-3000:]
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    seeds = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "seed"}
    problems = []
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] not in ("model", "seed", "snapshot"):
            continue
        if not node.get("description", "").strip():
            problems.append(f"{unique_id}: no description")
        columns = dict(node["columns"])
        if node["resource_type"] == "snapshot":  # a snapshot repeats its seed's columns
            columns = {**seeds[node["name"].removesuffix("_snapshot")]["columns"], **columns}
        documented = {
            name.lower(): column.get("description", "").strip() for name, column in columns.items()
        }
        built = catalog["nodes"].get(unique_id, {}).get("columns", {})
        if not built:
            problems.append(f"{unique_id}: not in the catalog (not built?)")
        for column in built:
            if not documented.get(column.lower()):
                problems.append(f"{unique_id}.{column}: no description")
    assert problems == []


def test_every_macro_is_described():
    """Analysts and auditors read the macros in the dbt docs: each one says what it does."""
    manifest = json.loads(PARSED_MANIFEST.read_text())
    undescribed = sorted(
        name
        for name, macro in manifest["macros"].items()
        if macro["package_name"] == "chargeback" and not macro.get("description", "").strip()
    )
    assert undescribed == []
