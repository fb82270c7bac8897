"""The refresh job, its daily schedule and the landing-folder sensor."""

import hashlib

import dagster as dg

from chargeback.landing.feeds import FEEDS
from chargeback.landing.loader import discover
from chargeback.settings import load_settings

refresh_job = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="Land new files, then dbt build: seeds, models, tests, invoices.",
    executor_def=dg.in_process_executor,  # DuckDB allows one writer process at a time
)

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh", job=refresh_job, cron_schedule="0 6 * * *", execution_timezone="UTC"
)


def landing_fingerprint() -> str:
    """A digest of every landing file's path, size and mtime: it changes when a file does."""
    settings = load_settings()
    digest = hashlib.sha256()
    for feed in FEEDS.values():
        for path in discover(settings.landing_dir, feed):
            stat = path.stat()
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(
    job=refresh_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED
)
def landing_folder_sensor(context: dg.SensorEvaluationContext):
    """Start a refresh when files appear or change in the landing folder."""
    fingerprint = landing_fingerprint()
    if fingerprint == context.cursor:
        return dg.SkipReason("No new or changed files in the landing folder.")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)


defs = dg.Definitions(
    jobs=[refresh_job], schedules=[daily_refresh], sensors=[landing_folder_sensor]
)
