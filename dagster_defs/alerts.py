"""Budget alerts in Dagster: a sensor requests a delivery when fct_budget_alerts has alerts
the outbox does not, and the job writes each new one once (chargeback.outputs.alerts)."""

import hashlib

import dagster as dg

from chargeback.db import WarehouseUnavailable
from chargeback.outputs.alerts import budget_alerts, deliver, delivered_ids
from chargeback.settings import load_settings


@dg.op
def deliver_budget_alerts(context: dg.OpExecutionContext) -> None:
    """Write every budget alert not yet delivered to the notifications outbox."""
    outbox = load_settings().outbox_dir
    written = deliver(budget_alerts(), outbox)
    context.log.info(f"{len(written)} new budget alert(s) written to {outbox}")


@dg.job(description="Deliver new budget alerts to the notifications outbox, once each.")
def budget_alerts_job():
    deliver_budget_alerts()


@dg.sensor(
    job=budget_alerts_job,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def budget_alert_sensor(context: dg.SensorEvaluationContext):
    """Request a delivery when the warehouse has budget alerts the outbox does not."""
    try:
        alerts = budget_alerts()
    except WarehouseUnavailable as exc:
        return dg.SkipReason(f"The warehouse cannot be read: {exc}")
    delivered = delivered_ids(load_settings().outbox_dir)
    pending = sorted(a["alert_id"] for a in alerts if a["alert_id"] not in delivered)
    if not pending:
        return dg.SkipReason("Every budget alert is in the outbox already.")
    digest = hashlib.sha256("\n".join(pending).encode()).hexdigest()[:16]
    return dg.RunRequest(run_key=f"budget-alerts-{digest}", tags={"alerts": str(len(pending))})


defs = dg.Definitions(jobs=[budget_alerts_job], sensors=[budget_alert_sensor])
