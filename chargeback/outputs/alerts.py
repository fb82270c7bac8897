"""Budget alerts: each new alert of fct_budget_alerts is delivered once to the
notifications outbox as an e-mail-ready message (the Dagster sensor and job that call this
are in dagster_defs/alerts.py).

The outbox is a folder (CHARGEBACK_OUTBOX_DIR, default data/outbox): one RFC 5322 message
per alert, `<alert_id>.eml`, that any mail relay or a person can send. An alert's id is its
customer, fiscal year, threshold and basis (dbt), so however often the warehouse is rebuilt
or the job runs, an alert is delivered once: a message already in the outbox is never
written again.
"""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from chargeback.db import query, relation

SENDER = "IT Chargeback Warehouse <chargeback-alerts@sdcs.example.gov>"
ALERT_COLUMNS = (
    "alert_id", "customer_id", "customer_name", "fiscal_year", "basis", "threshold_percent",
    "severity", "is_throttling_review", "crossed_month", "budget_amount", "currency",
    "notify_email", "subject", "body",
)  # fmt: skip


def budget_alerts() -> list[dict]:
    """Every alert in the warehouse (fct_budget_alerts), in a stable order."""
    frame = query(
        f"select {', '.join(ALERT_COLUMNS)} from {relation('fct_budget_alerts')} "
        "order by customer_id, fiscal_year, basis, threshold_percent"
    )
    return frame.to_dict("records")


def delivered_ids(outbox: Path) -> set[str]:
    return {path.stem for path in outbox.glob("*.eml")} if outbox.is_dir() else set()


def message_for(alert: dict) -> EmailMessage:
    """The e-mail of one alert."""
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = alert["notify_email"] or "budget.office@sdcs.example.gov"
    message["Subject"] = alert["subject"]
    message["Message-ID"] = make_msgid(idstring=alert["alert_id"], domain="sdcs.example.gov")
    message["X-Chargeback-Alert-Id"] = alert["alert_id"]
    message["X-Chargeback-Severity"] = alert["severity"]
    message["Date"] = format_datetime(_utc_now())
    lines = [
        alert["body"],
        "",
        f"Customer: {alert['customer_name']} ({alert['customer_id']})",
        f"Fiscal year: FY{alert['fiscal_year']}",
        f"Budget: {alert['budget_amount']} {alert['currency']}",
        f"Threshold: {alert['threshold_percent']} % ({alert['basis']})",
        f"Month: {str(alert['crossed_month'])[:7]}",
    ]
    if alert["is_throttling_review"]:
        lines.append("Action: the customer is marked for a throttling review.")
    lines += ["", "Details: fct_budget_vs_actual and fct_budget_alerts in the warehouse."]
    message.set_content("\n".join(lines) + "\n")
    return message


def _utc_now():
    import datetime as dt

    return dt.datetime.now(dt.UTC)


def deliver(alerts: list[dict], outbox: Path) -> list[str]:
    """Write each alert not yet in the outbox; return the ids written (in order)."""
    outbox.mkdir(parents=True, exist_ok=True)
    already = delivered_ids(outbox)
    written = []
    for alert in alerts:
        if alert["alert_id"] in already:
            continue
        final = outbox / f"{alert['alert_id']}.eml"
        partial = outbox / f".{alert['alert_id']}.eml.partial"
        partial.write_bytes(bytes(message_for(alert)))
        partial.replace(final)  # atomic: a reader never sees half a message
        written.append(alert["alert_id"])
        already.add(alert["alert_id"])
    return written
