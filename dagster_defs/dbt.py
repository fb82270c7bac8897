"""dbt models, seeds and tests as Dagster assets and asset checks (dagster-dbt)."""

import os
import shutil
import sys
from collections.abc import Mapping
from functools import cached_property
from importlib.metadata import version
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from packaging.version import Version

from chargeback.settings import DBT_PROJECT_DIR, PROFILES_DIR, export_dbt_env


def dbt_executable() -> str:
    """The dbt beside this Python (the virtualenv's), else the one on PATH."""
    local = Path(sys.executable).with_name("dbt")
    return str(local) if local.exists() else (shutil.which("dbt") or "dbt")


# `dagster dev` prepares the project with a dbt found on PATH: make it the virtualenv's,
# so `.venv/bin/dagster dev` works without activating the virtualenv.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=PROFILES_DIR)
dbt_project.prepare_if_dev()


class ChargebackTranslator(DagsterDbtTranslator):
    """Groups assets by dbt layer: seeds, staging, intermediate, marts."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False  # rebuild incremental models from all landed history
    # dbt nodes to leave out of the build, space-separated dbt selectors (for example
    # "test_name:not_null test_name:unique": the tests CI does not repeat on Spark, where
    # each query costs about a second of CPU; docs/spark.md)
    exclude: str = ""


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=ChargebackTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    ),
)
def chargeback_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig
):
    """`dbt build`: seeds, models and their tests (as asset checks), in lineage order. (The
    landing step logs each feed's freshness first, with the dbt source's thresholds.)"""
    export_dbt_env()
    args = ["build", *(["--full-refresh"] if config.full_refresh else [])]
    if config.exclude.strip():  # one argument: dbt reads the spaces as a union
        args += ["--exclude", config.exclude.strip()]
    yield from dbt.cli(args, context=context).stream()


class ChargebackDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, which asks the dbt executable its version (`dbt --version`,
    2.3 s: a second dbt start) at every run. When the executable is this virtualenv's, the
    version is the installed dbt-core's: read from the package metadata instead."""

    @cached_property
    def _cli_version(self) -> Version:
        if Path(self.dbt_executable) == Path(sys.executable).with_name("dbt"):
            return Version(version("dbt-core"))
        return super()._cli_version


dbt_resource = ChargebackDbtCliResource(
    project_dir=dbt_project, profiles_dir=str(PROFILES_DIR), dbt_executable=dbt_executable()
)

defs = dg.Definitions(assets=[chargeback_dbt_assets], resources={"dbt": dbt_resource})
