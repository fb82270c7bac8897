"""Landing as Dagster assets: the raw tables that the dbt sources read."""

import datetime as dt

import dagster as dg

from chargeback.freshness import freshness_checked_tables, freshness_status
from chargeback.landing.feeds import FEEDS, MANIFEST_TABLE, REFUSALS_TABLE
from chargeback.landing.run import Newest, land_run
from chargeback.settings import load_settings

SOURCE_NAME = "landing"  # the dbt source name: dagster-dbt keys sources as [source, table]


def landing_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([SOURCE_NAME, table])


@dg.multi_asset(
    name="land_files",
    group_name="landing",
    specs=[
        *(
            dg.AssetSpec(landing_key(feed.table), description=feed.description, kinds={"python"})
            for feed in FEEDS.values()
        ),
        dg.AssetSpec(
            landing_key(MANIFEST_TABLE),
            description="One row per landed file: path, sha256, row count, loaded_at.",
            kinds={"python"},
        ),
        dg.AssetSpec(
            landing_key(REFUSALS_TABLE),
            description=(
                "Files refused, with the reason: a checksum that does not match its sidecar, "
                "an empty file, a header without the feed's columns, or an error while "
                "landing it (chargeback/landing/refusals.py)."
            ),
            kinds={"python"},
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "every_file_landed",
            asset=landing_key(REFUSALS_TABLE),
            description="Every file of the landing folder landed: none was refused.",
        )
    ],
)
def land_files(context: dg.AssetExecutionContext):
    """Load every new file of the landing folder into the raw tables (see landing/loader.py)."""
    settings = load_settings()
    report, newest = land_run(settings, settings.landing_dir)
    log_freshness(context, newest)
    context.log.info(f"Landing from {settings.landing_dir}: {report.summary()}")
    refused = report.by_status("refused")
    for result in refused:
        context.log.error(result.message)
    for feed in FEEDS.values():
        files = [f for f in report.files if f.feed == feed.name]
        loaded = [f for f in files if f.status == "loaded"]
        yield dg.MaterializeResult(
            asset_key=landing_key(feed.table),
            metadata={
                "files_loaded": len(loaded),
                "files_already_loaded": sum(f.status == "skipped" for f in files),
                "files_refused": sum(f.status == "refused" for f in files),
                "rows_loaded": sum(f.rows for f in loaded),
                "rows_with_parse_errors": sum(f.parse_errors for f in loaded),
            },
        )
    yield dg.MaterializeResult(
        asset_key=landing_key(MANIFEST_TABLE),
        metadata={"files_loaded": len(report.by_status("loaded"))},
    )
    yield dg.MaterializeResult(
        asset_key=landing_key(REFUSALS_TABLE), metadata={"files_refused": len(refused)}
    )
    yield dg.AssetCheckResult(
        check_name="every_file_landed",
        asset_key=landing_key(REFUSALS_TABLE),
        passed=not refused,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(r.message for r in refused) or "Every file landed.",
        metadata={"refused_files": [r.source_file for r in refused]},
    )


def log_freshness(context: dg.AssetExecutionContext, newest_rows: Newest) -> dict[str, str]:
    """Log each landing table's freshness (the age of its newest row) against the thresholds
    of the dbt landing source, as `dbt source freshness` (`make freshness`) reports it. A stale
    feed warns; it does not stop billing."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    statuses = {}
    for table in freshness_checked_tables():
        newest = newest_rows[table]
        statuses[table] = status = freshness_status(newest, now)
        message = f"source freshness {table}: {status}"
        if newest is not None:
            message += f" (newest row landed {(now - newest).total_seconds() / 3600:.1f} h ago)"
        (context.log.info if status == "fresh" else context.log.warning)(message)
    return statuses


defs = dg.Definitions(assets=[land_files])
