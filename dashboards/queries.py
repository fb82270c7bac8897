"""Plain query functions: each returns a DataFrame and knows nothing about Streamlit.

The pages call them through `dashboards.cache`. SQL text here is fixed: relation names come
from `db.relation()` (settings) and every value is a `?` parameter.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboards import db
from dashboards.db import relation

# The landing table of each feed (raw rows, one per source line, with lineage columns).
RAW_TABLES = {
    "cloud": "focus_usage",
    "ru": "ru_usage",
    "labour": "labour_activities",
}

# Lineage columns every landing table starts with.
RAW_LINEAGE_COLUMNS = (
    "_file_id",
    "_source_file",
    "_source_row",
    "_source_line",
    "_loaded_at",
    "_parse_error",
    "_raw_line",
    "_extra",
)


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


def invoice_lines(invoice_id: str) -> pd.DataFrame:
    """The lines of one invoice, by service → product → component, with the rate behind each."""
    return db.query(
        f"""
        select invoice_line_id, invoice_id, customer_id, billing_month, charge_type,
               service_category, service_name, product_name, component_name,
               sku_id, pricing_unit, rate_version, unit_price, currency,
               usage_event_count, quantity, unrounded_amount, line_amount
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


def usage_events(invoice_line_id: str, limit: int = 500) -> pd.DataFrame:
    """The rated usage events behind one invoice line (at most `limit`), with their rate and
    the landed source row they came from."""
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
        where invoice_line_id = ?
        order by charge_date, source_file, source_row, usage_id
        limit ?
        """,
        (invoice_line_id, limit),
    )


def raw_table(feed: str) -> str:
    """The landing table of a feed; ValueError for an unknown feed."""
    try:
        return RAW_TABLES[feed]
    except KeyError:
        known = ", ".join(sorted(RAW_TABLES))
        raise ValueError(f"unknown feed {feed!r} (known feeds: {known})") from None


def raw_event(feed: str, file_id: str, source_row: int) -> pd.DataFrame:
    """The landed row a usage event was read from: its lineage columns, then the feed's own
    text columns exactly as they were in the file."""
    table = raw_table(feed)
    return db.query(
        f"""
        select *
        from {relation(table, raw=True)}
        where _file_id = ? and _source_row = ?
        """,
        (file_id, int(source_row)),
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
