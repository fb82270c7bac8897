"""Plain query functions: each returns a DataFrame and knows nothing about Streamlit.

The dashboard pages call them through `dashboards.cache`. SQL text here is fixed: relation
names come from `db.relation()` (settings) and every value is a `?` parameter.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from chargeback import db
from chargeback.db import relation
from chargeback.landing.feeds import LINEAGE_COLUMNS, USAGE_RAW_TABLES
from chargeback.landing.native import PENDING

# The landing table of each usage feed (raw rows, one per source line, with lineage columns).
RAW_TABLES = USAGE_RAW_TABLES

# Lineage columns every landing table starts with.
RAW_LINEAGE_COLUMNS = tuple(name for name, _ in LINEAGE_COLUMNS)


def _as_month(month: dt.date | dt.datetime | str) -> dt.date:
    """A billing month as the first day of the month: accepts a date or 'YYYY-MM[-DD]'."""
    if isinstance(month, dt.datetime):
        month = month.date()
    if isinstance(month, dt.date):
        return month.replace(day=1)
    if isinstance(month, str):
        text = month.strip()
        try:
            return dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01").replace(day=1)
        except ValueError:
            pass
    raise ValueError(f"not a billing month: {month!r} (use a date or 'YYYY-MM')")


def invoice_months() -> pd.DataFrame:
    """The billing months that have invoices, newest first: billing_month, invoice_count."""
    return db.query(
        f"""
        select billing_month, count(*) as invoice_count
        from {relation("fct_invoices")}
        group by billing_month
        order by billing_month desc
        """
    )


def customers() -> pd.DataFrame:
    """Every customer with how many invoices they have: customer_id, customer_name,
    invoice_count (0 for customers never invoiced)."""
    return db.query(
        f"""
        select c.customer_id, c.customer_name, count(i.invoice_id) as invoice_count
        from {relation("dim_customers")} as c
        left join {relation("fct_invoices")} as i on i.customer_id = c.customer_id
        group by c.customer_id, c.customer_name
        order by c.customer_id
        """
    )


def invoices(
    month: dt.date | dt.datetime | str | None = None, customer_id: str | None = None
) -> pd.DataFrame:
    """Invoices, newest month first, optionally for one billing month and/or one customer."""
    where: list[str] = []
    params: list[object] = []
    if month is not None:
        where.append("billing_month = ?")
        params.append(_as_month(month))
    if customer_id is not None:
        where.append("customer_id = ?")
        params.append(customer_id)
    where_sql = ("where " + " and ".join(where)) if where else ""
    return db.query(
        f"""
        select invoice_id, customer_id, customer_name, billing_month, currency, invoice_status,
               line_count, usage_event_count, total_amount
        from {relation("fct_invoices")}
        {where_sql}
        order by billing_month desc, customer_id, invoice_id
        """,
        params,
    )


# The columns of fct_invoice_lines a reader sees (the page, and the documents' CSV and Excel),
# in this order: what the line is, the rate and quantity behind it, the amount before and
# after conversion and rounding, and for a prior-period adjustment what it corrects.
INVOICE_LINE_COLUMNS = (
    "invoice_line_id", "invoice_id", "invoice_number", "customer_id", "billing_month",
    "charge_type", "service_category", "service_name", "product_name", "component_name",
    "sku_id", "rate_version", "unit_price", "rate_multiplier", "pricing_unit", "quantity",
    "usage_event_count", "rate_currency", "unrounded_amount", "fx_rate", "currency",
    "line_amount", "original_invoice_id", "original_billing_month", "invoice_status",
)  # fmt: skip


def invoice_lines(invoice_id: str) -> pd.DataFrame:
    """The lines of one invoice, by service → product → component, with the rate behind each."""
    return db.query(
        f"""
        select {", ".join(INVOICE_LINE_COLUMNS)}
        from {relation("fct_invoice_lines")}
        where invoice_id = ?
        order by service_category, service_name, product_name, component_name,
                 sku_id, rate_version, invoice_line_id
        """,
        (invoice_id,),
    )


def pool_allocation(pool_id: str, billing_month) -> pd.DataFrame:
    """How one shared cost pool was split in one month: every customer's weight and amount."""
    return db.query(
        f"""
        select pool_id, pool_name, allocation_method, driver, billing_month, customer_id,
               weight_units, total_weight_units, pool_amount, allocated_amount, currency
        from {relation("fct_shared_cost_allocations")}
        where pool_id = ? and billing_month = ?
        order by allocated_amount desc, customer_id
        """,
        (pool_id, billing_month),
    )


def usage_events(invoice_line_id: str, limit: int = 500, billing_month=None) -> pd.DataFrame:
    """The rated usage events behind one invoice line (at most `limit`), with their rate and
    the landed source row they came from. `billing_month` (the month the line's usage was
    charged in: event_month(line)) lets DuckDB's zone maps skip the other months' row groups
    of the usage table, which stays in landing order; every event of a line has that month."""
    limit = int(limit)
    if limit < 1:
        raise ValueError(f"limit must be positive, not {limit}")
    return db.query(
        f"""
        select usage_id, invoice_id, invoice_line_id, feed, charge_date, charge_category,
               charge_description, resource_id, cost_center_id, sub_account_id,
               tag_department, tag_project, tag_application, site, shift, ticket_id,
               sku_id, source_sku_id, quantity, pricing_unit, billed_quantity, billed_unit,
               rate_version, unit_price, currency, rated_amount, source_cost,
               file_id, source_file, source_row, source_line, landed_at
        from {relation("fct_rated_usage")}
        where invoice_line_id = ?{" and billing_month = ?" if billing_month else ""}
        order by charge_date, source_file, source_row, usage_id
        limit ?
        """,
        (invoice_line_id, *([billing_month] if billing_month else []), limit),
    )


def event_month(line) -> object:
    """The month of the usage events behind an invoice line: its original month for a
    prior-period adjustment, else its billing month."""
    original = line.get("original_billing_month")
    return original if original is not None and not pd.isna(original) else line["billing_month"]


def raw_table(feed: str) -> str:
    """The landing table of a feed; ValueError for an unknown feed."""
    try:
        return RAW_TABLES[feed]
    except KeyError:
        known = ", ".join(sorted(RAW_TABLES))
        raise ValueError(f"unknown feed {feed!r} (known feeds: {known})") from None


def raw_event(feed: str, file_id: str, source_row: int) -> pd.DataFrame:
    """The landed row a usage event was read from: its lineage columns, then the feed's own
    text columns exactly as they were in the file (never a landing placeholder: native.py)."""
    table = raw_table(feed)
    return db.query(
        f"""
        select *
        from {relation(table, raw=True)}
        where _file_id = ? and _source_row = ? and _parse_error is distinct from ?
        """,
        (file_id, int(source_row), PENDING),
    )


# --- forecasts, budgets and the LAR (docs/forecasting.md) -------------------------------
def forecast_customers() -> pd.DataFrame:
    """Customers with a forecast: customer_id, customer_name, currency."""
    return db.query(
        f"""
        select customer_id, max(customer_name) as customer_name, max(currency) as currency
        from {relation("fct_forecasts")}
        group by customer_id
        order by customer_id
        """
    )


def forecast_by_month(customer_id: str) -> pd.DataFrame:
    """A customer's forecast per month and service category: billing_month, fiscal_year,
    service_category, is_rolling_horizon, currency, amount (Decimal)."""
    return db.query(
        f"""
        select billing_month, fiscal_year, service_category, is_rolling_horizon, currency,
            sum(amount) as amount
        from {relation("fct_forecasts")}
        where customer_id = ?
        group by billing_month, fiscal_year, service_category, is_rolling_horizon, currency
        order by billing_month, service_category
        """,
        (customer_id,),
    )


def forecast_accuracy() -> pd.DataFrame:
    """The backtest per service (fct_forecast_accuracy)."""
    return db.query(
        f"""
        select service_name, backtest_origin_month, backtest_last_month, point_count,
            actual_amount, forecast_amount, naive_amount, forecast_wape_percent,
            naive_wape_percent, forecast_mape_percent, naive_mape_percent,
            is_better_than_naive
        from {relation("fct_forecast_accuracy")}
        order by service_name = 'All services' desc, service_name
        """
    )


def budget_status(customer_id: str) -> pd.DataFrame:
    """A customer's budgets per fiscal year (fct_budget_vs_actual)."""
    return db.query(
        f"""
        select fiscal_year, currency, budget_amount, actual_amount, forecast_amount,
            projected_amount, actual_percent_of_budget, projected_percent_of_budget,
            is_throttling_review
        from {relation("fct_budget_vs_actual")}
        where customer_id = ?
        order by fiscal_year
        """,
        (customer_id,),
    )


def lar_summary(customer_id: str) -> pd.DataFrame:
    """The LAR per fiscal year (fct_lar_forecasts): fiscal_year, fiscal_year_role,
    is_requested_biennium, requested_biennium, currency, actual, forecast, total."""
    return db.query(
        f"""
        select fiscal_year, fiscal_year_role, is_requested_biennium, requested_biennium,
            currency, sum(actual_amount) as actual_amount,
            sum(forecast_amount) as forecast_amount, sum(total_amount) as total_amount
        from {relation("fct_lar_forecasts")}
        where customer_id = ?
        group by fiscal_year, fiscal_year_role, is_requested_biennium, requested_biennium,
            currency
        order by fiscal_year
        """,
        (customer_id,),
    )


def budget_years() -> pd.DataFrame:
    """The fiscal years with a budget (fct_budget_vs_actual), newest first."""
    return db.query(
        f"""
        select distinct fiscal_year
        from {relation("fct_budget_vs_actual")}
        order by fiscal_year desc
        """
    )


# --- Overview: spend by service, customer, department, project and month ------------------
# dimension → (mart, SQL expression of the group, what the amount is). Fixed text: the page
# passes a key of this dict, never SQL.
SPEND_DIMENSIONS = {
    "service": ("fct_invoice_lines", "service_category", "line_amount"),
    "customer": ("fct_invoice_lines", "customer_id", "line_amount"),
    "department": (
        "fct_rated_usage",
        "coalesce(cost_center_id, '(no cost center)')",
        "rated_amount",
    ),
    "project": ("fct_rated_usage", "coalesce(tag_project, '(untagged)')", "rated_amount"),
}


def spend_currencies() -> pd.DataFrame:
    """The currencies billed (invoice lines) or rated (usage), most used first."""
    return db.query(
        f"""
        with currencies as (
            select currency from {relation("fct_invoice_lines")}
            union all
            select currency from {relation("fct_rated_usage")}
        )
        select currency, count(*) as row_count
        from currencies
        where currency is not null
        group by currency
        order by row_count desc, currency
        """
    )


def spend_by_month(dimension: str, currency: str) -> pd.DataFrame:
    """Spend per billing month and group of `dimension` (a key of SPEND_DIMENSIONS), in one
    currency: billing_month, group_name, amount (Decimal).

    service and customer: the invoice lines without tax (every charge type, PPAs in the month
    they are billed); department and project: the rated usage (unrounded, before contract
    lines and tax), the level where cost centers and project tags live."""
    try:
        mart, expression, amount = SPEND_DIMENSIONS[dimension]
    except KeyError:
        known = ", ".join(SPEND_DIMENSIONS)
        raise ValueError(f"unknown dimension {dimension!r} (known: {known})") from None
    usage_only = "and is_invoiced" if mart == "fct_rated_usage" else "and charge_type <> 'tax'"
    return db.query(
        f"""
        select billing_month, {expression} as group_name, sum({amount}) as amount
        from {relation(mart)}
        where currency = ? {usage_only}
        group by billing_month, {expression}
        order by billing_month, group_name
        """,
        (currency,),
    )


# --- Variance ----------------------------------------------------------------------------
def variances(month: dt.date | None = None, flagged_only: bool = False) -> pd.DataFrame:
    """Month-over-month change per customer and service (fct_billing_variances), biggest
    changes first, optionally for one month and only those over their threshold."""
    where, params = ["1 = 1"], []
    if month is not None:
        where.append("billing_month = ?")
        params.append(_as_month(month))
    if flagged_only:
        where.append("is_flagged")
    return db.query(
        f"""
        select variance_id, customer_id, service_category, service_name, currency,
            billing_month, previous_volume, volume, volume_change, previous_amount, amount,
            amount_change, amount_change_percent, min_amount_change, min_percent_change,
            is_flagged, is_explained, explanation, explained_by, explained_at
        from {relation("fct_billing_variances")}
        where {" and ".join(where)}
        order by abs(amount_change) desc, customer_id, service_name, billing_month
        """,
        params,
    )


def variance_months() -> pd.DataFrame:
    """The months with a variance row, newest first."""
    return db.query(
        f"""
        select distinct billing_month
        from {relation("fct_billing_variances")}
        order by billing_month desc
        """
    )


# --- Disputes and credits ----------------------------------------------------------------
CREDIT_CHARGE_TYPES = ("dispute_credit", "dispute_rebill", "sla_credit", "credit", "ppa",
                       "ppa_interest")  # fmt: skip


def disputes() -> pd.DataFrame:
    """Every dispute with its state, SLA timers, outcome, approval and billing (fct_disputes)."""
    return db.query(
        f"""
        select dispute_id, intake_channel, customer_id, customer_name, billing_month,
            invoice_number, description, disputed_amount, currency, priority_name, state,
            owner, opened_at, resolved_at, root_cause_description, outcome, outcome_amount,
            acknowledge_sla_status, investigate_sla_status, resolve_sla_status,
            is_above_materiality, maker, checker, approval_status, refusal_reason,
            is_billed, billing_route, billed_on_invoice_id, billed_line_amount
        from {relation("fct_disputes")}
        order by opened_at desc, dispute_id
        """
    )


def dispute_trail(dispute_id: str) -> pd.DataFrame:
    """The audit trail of one dispute, in order (fct_dispute_audit_trail)."""
    return db.query(
        f"""
        select *
        from {relation("fct_dispute_audit_trail")}
        where dispute_id = ?
        order by event_sequence
        """,
        (dispute_id,),
    )


def sla_credits() -> pd.DataFrame:
    """Every SLA-month evaluated, met or breached, with its credit (fct_sla_service_credits)."""
    return db.query(
        f"""
        select sla_evaluation_id, sla_id, customer_id, customer_name, contract_id,
            billing_month, service_name, metric, target_value, measured_value, sla_status,
            credit_percent, credit_cap_percent, charged_amount, currency, credit_amount,
            is_credited, invoice_id
        from {relation("fct_sla_service_credits")}
        order by billing_month desc, customer_id, service_name
        """
    )


def credit_lines() -> pd.DataFrame:
    """Credits, re-bills and prior-period adjustments on invoices (with their origin)."""
    placeholders = ", ".join("?" for _ in CREDIT_CHARGE_TYPES)
    return db.query(
        f"""
        select invoice_line_id, invoice_id, customer_id, billing_month, charge_type,
            service_name, product_name, component_name, currency, line_amount,
            original_invoice_id, original_billing_month, invoice_status
        from {relation("fct_invoice_lines")}
        where charge_type in ({placeholders})
        order by billing_month desc, invoice_id, charge_type, invoice_line_id
        """,
        CREDIT_CHARGE_TYPES,
    )


# --- Reconciliation and payments ---------------------------------------------------------
def feed_reconciliation() -> pd.DataFrame:
    """Per feed, month and SKU: landed → duplicates, quarantine, rated, billed, with every
    difference explained or flagged (fct_feed_reconciliation; staff only)."""
    return db.query(
        f"""
        select feed, billing_month, sku_id, landed_rows, duplicate_rows, quarantined_rows,
            unallocated_rows, rated_rows, unaccounted_rows, billed_line_count, rated_amount,
            billed_amount, ppa_line_count, is_month_closed, explanation, is_flagged
        from {relation("fct_feed_reconciliation")}
        order by is_flagged desc, billing_month desc, feed, sku_id
        """
    )


def payments() -> pd.DataFrame:
    """Bank payments and how each matched an invoice (fct_payments)."""
    return db.query(
        f"""
        select payment_id, booking_date, value_date, amount, currency, credit_debit,
            debtor_name, remittance_information, invoice_number, invoice_id, customer_id,
            match_status, invalid_reason, source_file, source_row
        from {relation("fct_payments")}
        order by booking_date desc, payment_id
        """
    )


def receivables() -> pd.DataFrame:
    """Issued invoices with paid and outstanding amounts and their aging (fct_receivables)."""
    return db.query(
        f"""
        select invoice_number, invoice_id, customer_id, billing_month, currency, invoice_date,
            due_date, total_amount, paid_amount, outstanding_amount, overpaid_amount,
            payment_count, last_payment_date, payment_status, days_past_due, aging_bucket
        from {relation("fct_receivables")}
        order by due_date, invoice_number
        """
    )


# --- Data quality -------------------------------------------------------------------------
def quarantine_by_reason() -> pd.DataFrame:
    """Quarantined rows per feed and reason (fct_quarantined_usage; staff only)."""
    return db.query(
        f"""
        select feed, reason_code, max(reason_description) as reason_description,
            count(*) as row_count, count(distinct source_file) as file_count
        from {relation("fct_quarantined_usage")}
        group by feed, reason_code
        order by row_count desc, feed, reason_code
        """
    )


def quarantined_rows(reason_code: str, limit: int = 200) -> pd.DataFrame:
    """The quarantined rows of one reason, with the file, line and raw text."""
    return db.query(
        f"""
        select usage_id, feed, quarantine_stage, reason_code, billing_month, sku_id,
            cost_center_id, quantity_text, source_cost_text, parse_error, source_file,
            source_line, source_row, raw_line
        from {relation("fct_quarantined_usage")}
        where reason_code = ?
        order by source_file, source_row
        limit ?
        """,
        (reason_code, int(limit)),
    )


def landing_manifest() -> pd.DataFrame:
    """Every landed file with its row balance (fct_landing_reconciliation), newest first."""
    return db.query(
        f"""
        select file_id, feed, source_file, landed_at, manifest_rows, landed_rows, rated_rows,
            unallocated_rows, payment_rows, dispute_version_rows, sla_measurement_rows,
            quarantined_rows, duplicate_rows, is_balanced
        from {relation("fct_landing_reconciliation")}
        order by landed_at desc, source_file
        """
    )


def fx_rate_fallbacks() -> pd.DataFrame:
    """Invoice lines converted at an FX rate dated before their month's last day (no rate
    that day: the latest earlier one applies), per month, currency pair and rate date."""
    return db.query(
        f"""
        select coalesce(original_billing_month, billing_month) as rate_month,
            rate_currency, currency, fx_rate_date, max(fx_rate) as fx_rate,
            count(*) as line_count, sum(line_amount) as line_amount
        from {relation("fct_invoice_lines")}
        where is_fx_rate_fallback
        group by coalesce(original_billing_month, billing_month), rate_currency, currency,
            fx_rate_date
        order by rate_month desc, rate_currency, currency
        """
    )


def landing_refusals() -> pd.DataFrame:
    """Files refused at the door (a checksum mismatch, an empty file, a header without the
    feed's columns, an error while landing), newest first."""
    return db.query(
        f"""
        select source_file, feed, reason, declared_sha256, actual_sha256, refused_at
        from {relation("landing_refusals", raw=True)}
        order by refused_at desc
        """
    )


def feed_freshness() -> pd.DataFrame:
    """Per feed: files landed, the last landing time and the newest billing month seen."""
    return db.query(
        f"""
        with manifest as (
            select feed, count(*) as file_count, sum(row_count) as row_count,
                max(loaded_at) as last_loaded_at
            from {relation("landing_manifest", raw=True)}
            group by feed
        ),
        months as (
            select feed, max(billing_month) as last_billing_month
            from {relation("fct_feed_reconciliation")}
            group by feed
        )
        select manifest.feed, manifest.file_count, manifest.row_count,
            manifest.last_loaded_at, months.last_billing_month
        from manifest
        left join months on months.feed = manifest.feed
        order by manifest.feed
        """
    )
