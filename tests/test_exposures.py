"""Lineage to the pages: every dashboard page and every export is a dbt exposure, so the dbt
docs trace each one back to the landed files (dbt_project/models/_exposures.yml)."""

from __future__ import annotations

import json

from chargeback.outputs.export import COMMANDS

from .conftest import PARSED_MANIFEST, REPO_ROOT

MANIFEST = PARSED_MANIFEST  # parsed in conftest
PAGES = REPO_ROOT / "dashboards" / "app_pages"


def exposures() -> dict:
    manifest = json.loads(MANIFEST.read_text())
    return manifest, {e["name"]: e for e in manifest["exposures"].values()}


def test_every_page_and_export_is_an_exposure():
    _, found = exposures()
    pages = {e["meta"]["page"] for e in found.values() if "page" in e["meta"]}
    assert pages == {f"dashboards/app_pages/{p.name}" for p in PAGES.glob("*.py")}
    exports = {e["meta"]["export"] for e in found.values() if "export" in e["meta"]}
    assert exports == {*COMMANDS, "budget-alerts"}
    for exposure in found.values():
        assert exposure["description"].strip(), exposure["name"]
        assert exposure["owner"]["email"], exposure["name"]


def test_lineage_runs_from_the_landed_files_to_the_invoices_page():
    manifest, found = exposures()
    parents = {**manifest["parent_map"]}

    def upstream(node: str) -> set[str]:
        seen, todo = set(), [node]
        while todo:
            for parent in parents.get(todo.pop(), []):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    invoices = upstream(found["dashboard_invoices"]["unique_id"])
    for feed in ("focus_usage", "ru_usage", "labour_activities"):
        assert f"source.chargeback.landing.{feed}" in invoices
    assert "seed.chargeback.rate_cards" in invoices
    package = upstream(found["export_audit_package"]["unique_id"])
    assert {"seed.chargeback.dispute_approvals", "seed.chargeback.rate_cards"} <= package
