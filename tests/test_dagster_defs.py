"""The Dagster code location: lineage, checks, job, schedule and the landing-folder sensor."""

from __future__ import annotations

import shutil

import dagster as dg

from dagster_defs.automation import landing_folder_sensor
from dagster_defs.definitions import defs
from dagster_defs.landing import landing_key

from .conftest import FIXTURE_LANDING


def test_lineage_runs_from_the_landing_files_to_the_invoices():
    graph = defs.resolve_asset_graph()
    upstream = graph.get(dg.AssetKey("fct_invoices")).parent_keys
    # drafts from the documents; issued invoices from the register, exactly as issued
    assert upstream == {
        dg.AssetKey("int_billing_documents_aggregated"),
        dg.AssetKey("stg_register__issued_invoices"),
        dg.AssetKey("issuing_entities"),
    }

    def ancestors(key, seen=None):
        seen = set() if seen is None else seen
        for parent in graph.get(key).parent_keys:
            if parent not in seen:
                seen.add(parent)
                ancestors(parent, seen)
        return seen

    roots = ancestors(dg.AssetKey("fct_invoices"))
    # the lines as they stand (the mart fct_invoice_lines shows the same model)
    assert dg.AssetKey("int_invoice_lines_resolved") in roots
    assert graph.get(dg.AssetKey("fct_invoice_lines")).parent_keys == {
        dg.AssetKey("int_invoice_lines_resolved")
    }
    for table in ("focus_usage", "ru_usage", "labour_activities"):
        assert landing_key(table) in roots
        assert graph.get(landing_key(table)).is_materializable  # landed by Python, not external
    assert dg.AssetKey("rate_cards") in roots
    assert dg.AssetKey("contracts") in roots
    assert dg.AssetKey(["register", "issued_invoice_lines"]) in roots


def test_dbt_tests_are_asset_checks():
    check_keys = {
        (key.asset_key.to_user_string(), key.name)
        for key in defs.resolve_asset_graph().asset_check_keys
    }
    for expected in [
        ("fct_invoices", "unique_fct_invoices_invoice_id"),
        ("fct_invoices", "assert_invoice_total_equals_sum_of_lines"),
        ("fct_landing_reconciliation", "assert_every_landed_row_is_accounted_for"),
        ("rate_cards", "assert_rate_card_versions_do_not_overlap"),
        ("landing/landing_refusals", "every_file_landed"),
    ]:
        assert expected in check_keys


def test_job_schedule_and_sensor_are_defined():
    job = defs.resolve_job_def("refresh_warehouse")
    assert job.executor_def is dg.in_process_executor
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert schedule.cron_schedule == "0 6 * * *"
    assert defs.resolve_sensor_def("landing_folder_sensor").job_name == "refresh_warehouse"


def test_the_sensor_requests_a_run_only_when_the_landing_folder_changes(tmp_path, monkeypatch):
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    monkeypatch.setenv("CHARGEBACK_LANDING_DIR", str(landing))
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance)
        first = landing_folder_sensor(context)
        assert isinstance(first, dg.RunRequest)
        context = dg.build_sensor_context(instance=instance, cursor=first.run_key)
        assert isinstance(landing_folder_sensor(context), dg.SkipReason)
        (landing / "ru" / "ru_usage_2026-03.csv").write_text("record_id\n")
        again = landing_folder_sensor(context)
        assert isinstance(again, dg.RunRequest) and again.run_key != first.run_key


def test_the_month_end_close_job_is_partitioned_by_month_and_scheduled():
    job = defs.resolve_job_def("month_end_close")
    assert isinstance(job.partitions_def, dg.MonthlyPartitionsDefinition)
    keys = job.partitions_def.get_partition_keys()
    assert keys[0] == "2024-09-01" and "2026-02-01" in keys
    schedule = defs.resolve_schedule_def("month_end_close_schedule")
    assert schedule.job_name == "month_end_close"
    assert schedule.cron_schedule == "0 6 10 * *"  # the 10th, for the month before


def test_the_budget_alert_job_and_its_sensor_are_defined():
    job = defs.resolve_job_def("budget_alerts_job")
    assert [node.name for node in job.nodes] == ["deliver_budget_alerts"]
    sensor = defs.resolve_sensor_def("budget_alert_sensor")
    assert sensor.job_name == "budget_alerts_job"
    assert sensor.minimum_interval_seconds == 300


def test_the_dbt_resource_knows_the_dbt_version_without_starting_dbt(tmp_path):
    """ChargebackDbtCliResource reads the installed dbt-core's version where dagster-dbt
    would run `dbt --version`: the same version; another executable is still asked."""
    from dagster_dbt import DbtCliResource

    from dagster_defs.dbt import ChargebackDbtCliResource, dbt_resource

    assert isinstance(dbt_resource, ChargebackDbtCliResource)
    where = {"project_dir": dbt_resource.project_dir, "dbt_executable": dbt_resource.dbt_executable}
    ours = ChargebackDbtCliResource(**where)._cli_version
    asked = DbtCliResource(**where)._cli_version
    assert ours == asked and ours.major == 1
    other = tmp_path / "dbt"
    other.write_text("#!/bin/sh\necho 'Core:'; echo '  - installed: 9.8.7'\n")
    other.chmod(0o755)
    where["dbt_executable"] = str(other)
    assert str(ChargebackDbtCliResource(**where)._cli_version) == "9.8.7"
