"""The dbt project's structure, read from dbt's own manifest (parsed by conftest before the
tests run, and copied: PARSED_MANIFEST): data flows staging → intermediate → marts, marts sit in
domain folders with their own YAML, every model has an owner, the invoice-line models
carry an enforced contract, and dbt-score stays at 9.0 or more."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PARSED_MANIFEST, REPO_ROOT

PROJECT = REPO_ROOT / "dbt_project"
MART_DOMAINS = {
    "billing",
    "allocation",
    "close_and_receivables",
    "disputes_and_credits",
    "planning",
    "data_quality",
}
# where invoice lines meet (macro invoice_line_shape): each has an enforced contract
CONTRACTED = {
    "int_invoice_lines_unioned",
    "int_invoice_lines_converted",
    "int_invoice_lines_drafted",
    "int_prior_period_adjustments",
    "fct_invoice_lines",
}


@pytest.fixture(scope="module")
def models() -> dict[str, dict]:
    manifest = json.loads(PARSED_MANIFEST.read_text())
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == "chargeback"
    }


def layer(node: dict) -> str:
    return Path(node["original_file_path"]).parts[1]  # models/<layer>/...


def test_no_intermediate_model_reads_a_mart(models):
    backwards = sorted(
        f"{name} reads {parent.split('.')[-1]}"
        for name, node in models.items()
        if layer(node) == "intermediate"
        for parent in node["depends_on"]["nodes"]
        if parent.startswith("model.") and layer(models[parent.split(".")[-1]]) == "marts"
    )
    assert backwards == []


def test_sources_are_read_in_staging_only(models):
    assert (
        sorted(n for n, node in models.items() if node["sources"] and layer(node) != "staging")
        == []
    )
    assert all(n.startswith("stg_") for n, node in models.items() if layer(node) == "staging")


def test_marts_are_in_domain_folders_with_their_own_yaml(models):
    folders = {Path(node["original_file_path"]).parts[2] for node in models.values()
               if layer(node) == "marts"}  # fmt: skip
    assert folders == MART_DOMAINS
    for domain in MART_DOMAINS:
        assert (PROJECT / "models" / "marts" / domain / f"_{domain}__models.yml").is_file()
    assert not list((PROJECT / "models" / "marts").glob("*.sql"))


def test_every_model_has_an_owner(models):
    assert sorted(n for n, node in models.items() if not node["config"]["meta"].get("owner")) == []


def test_the_invoice_line_models_have_an_enforced_contract(models):
    enforced = {n for n, node in models.items() if node["config"]["contract"]["enforced"]}
    assert enforced >= CONTRACTED
    for name in CONTRACTED:
        assert all(c.get("data_type") for c in models[name]["columns"].values()), name


def test_dbt_score_is_at_least_9(tmp_path):
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dbt-score")), "lint", "--manifest",
         str(PARSED_MANIFEST), "--format", "json"],
        cwd=PROJECT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    score = json.loads(result.stdout)["project"]["score"]
    assert score >= 9.0, f"dbt-score {score:.2f} < 9.0: run `make score` to see what fails"
