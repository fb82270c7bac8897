"""The month-end close: a job partitioned by billing month, and its monthly schedule.

For its month the job lands any new files and rebuilds the warehouse, closes the month
(`dbt run-operation close_billing_period`: the invoices are numbered and copied into the
append-only register, macros/close/), then rebuilds again so the marts show the issued
invoices and move any later correction to the next open invoice. Closing is idempotent in
the only safe way: a month that is already closed is refused, with the reason, and nothing
changes, before anything is landed or built; so is a month while an earlier one is still
open.
"""

import json
import re

import dagster as dg
from dagster_dbt import DbtCliResource

from chargeback.landing.loader import land
from chargeback.landing.warehouse import Warehouse
from chargeback.settings import export_dbt_env, load_settings

billing_months = dg.MonthlyPartitionsDefinition(start_date="2024-09-01", end_offset=0)


class CloseConfig(dg.Config):
    closed_by: str = "month_end_close"  # who closes: recorded in the register


def dbt_build(context: dg.OpExecutionContext, dbt: DbtCliResource, *args: str) -> None:
    export_dbt_env()
    invocation = dbt.cli(["build", *args], raise_on_error=False).wait()
    if not invocation.is_successful():
        raise dg.Failure(description="dbt build failed: see the dbt log above.")
    context.log.info("dbt build finished")


def run_operation(dbt: DbtCliResource, period: str, macro: str, args: dict) -> list[str]:
    """Run a close macro; its messages, or a Failure that gives the refusal's reason."""
    export_dbt_env()
    invocation = dbt.cli(["run-operation", macro, "--args", json.dumps(args)],
                         raise_on_error=False)  # fmt: skip
    lines = [e.raw_event.get("info", {}).get("msg", "") for e in invocation.stream_raw_events()]
    messages = [re.sub(r"\s+", " ", m).strip() for m in lines if m]
    if not invocation.is_successful():
        reason = next(
            (m for m in messages if "Billing period" in m or "Cannot close" in m or "period" in m),
            f"dbt run-operation {macro} failed",
        )
        if any("Could not set lock" in m for m in messages):  # DuckDB: one writer at a time
            reason = (
                "another process is writing the warehouse (a build or another close); "
                "nothing was closed. Run the close again when it has finished."
            )
        raise dg.Failure(description=f"Month-end close of {period} refused: {reason}")
    return messages


@dg.op
def refresh_before_close(context: dg.OpExecutionContext, dbt: DbtCliResource) -> str:
    """Refuse a month already closed at once; else land new files and rebuild, so the
    invoices to issue are current."""
    period = context.partition_key[:7]
    run_operation(dbt, period, "refuse_closed_billing_period", {"period": period})
    settings = load_settings()
    with Warehouse.open(settings) as wh:
        report = land(wh, settings.landing_dir)
    context.log.info(f"Landing: {report.summary()}")
    dbt_build(context, dbt)
    return period


@dg.op
def close_period(
    context: dg.OpExecutionContext, dbt: DbtCliResource, config: CloseConfig, period: str
) -> str:
    """Issue the month's invoices into the register (refused if already closed)."""
    args = {"period": period, "closed_by": config.closed_by}
    for message in run_operation(dbt, period, "close_billing_period", args):
        if message.startswith("Closed "):
            context.log.info(message)
    return period


@dg.op
def rebuild_after_close(context: dg.OpExecutionContext, dbt: DbtCliResource, period: str) -> None:
    """Rebuild what the close changed (the register and everything downstream of it): the
    marts now show the month as issued."""
    dbt_build(context, dbt, "--select", "source:register+")
    context.log.info(f"{period} is closed and the marts show its issued invoices")


@dg.job(
    partitions_def=billing_months,
    description="Month-end close of one billing month: refresh, issue the invoices into the "
    "register (gapless numbers, stored copies), rebuild. Refuses a month already closed.",
)
def month_end_close():
    rebuild_after_close(close_period(refresh_before_close()))


month_end_schedule = dg.build_schedule_from_partitioned_job(
    month_end_close, day_of_month=10, hour_of_day=6, name="month_end_close_schedule"
)

defs = dg.Definitions(jobs=[month_end_close], schedules=[month_end_schedule])
