"""`st.cache_data(ttl=60)` wrappers over `chargeback.queries`, for the pages.

Each cached function takes the warehouse key first, so results never leak between warehouses
(another CHARGEBACK_DUCKDB_PATH, target or schema). Exceptions such as
`db.WarehouseUnavailable` are not cached: the next rerun tries the warehouse again.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from chargeback import db, queries

TTL_SECONDS = 60


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _invoice_months(key: str) -> pd.DataFrame:
    return queries.invoice_months()


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _customers(key: str) -> pd.DataFrame:
    return queries.customers()


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _invoices(key: str, month: dt.date | None, customer_id: str | None) -> pd.DataFrame:
    return queries.invoices(month=month, customer_id=customer_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _invoice_lines(key: str, invoice_id: str) -> pd.DataFrame:
    return queries.invoice_lines(invoice_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _usage_events(key: str, invoice_line_id: str, limit: int, month) -> pd.DataFrame:
    return queries.usage_events(invoice_line_id, limit=limit, billing_month=month)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _pool_allocation(key: str, pool_id: str, billing_month: dt.date) -> pd.DataFrame:
    return queries.pool_allocation(pool_id, billing_month)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _raw_event(key: str, feed: str, file_id: str, source_row: int) -> pd.DataFrame:
    return queries.raw_event(feed, file_id, source_row)


def invoice_months() -> pd.DataFrame:
    return _invoice_months(db.warehouse_key())


def customers() -> pd.DataFrame:
    return _customers(db.warehouse_key())


def invoices(month: dt.date | None = None, customer_id: str | None = None) -> pd.DataFrame:
    return _invoices(db.warehouse_key(), month, customer_id)


def invoice_lines(invoice_id: str) -> pd.DataFrame:
    return _invoice_lines(db.warehouse_key(), invoice_id)


def usage_events(invoice_line_id: str, limit: int = 500, billing_month=None) -> pd.DataFrame:
    return _usage_events(db.warehouse_key(), invoice_line_id, int(limit), billing_month)


def raw_event(feed: str, file_id: str, source_row: int) -> pd.DataFrame:
    return _raw_event(db.warehouse_key(), feed, file_id, int(source_row))


def pool_allocation(pool_id: str, billing_month: dt.date) -> pd.DataFrame:
    return _pool_allocation(db.warehouse_key(), pool_id, billing_month)


# --- forecasts, budgets and the LAR -------------------------------------------------------
PLANNING_QUERIES = {
    "forecast_customers": queries.forecast_customers,
    "forecast_accuracy": queries.forecast_accuracy,
    "forecast_by_month": queries.forecast_by_month,
    "budget_status": queries.budget_status,
    "budget_years": queries.budget_years,
    "lar_summary": queries.lar_summary,
}


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _planning(key: str, name: str, customer_id: str | None) -> pd.DataFrame:
    function = PLANNING_QUERIES[name]
    return function() if customer_id is None else function(customer_id)


def planning(name: str, customer_id: str | None = None) -> pd.DataFrame:
    """One of the forecast queries (PLANNING_QUERIES), cached per warehouse."""
    return _planning(db.warehouse_key(), name, customer_id)


# --- the other pages: one registry, one cached runner ---------------------------------------
PAGE_QUERIES = {
    "current_principal": db.current_principal,
    "spend_currencies": queries.spend_currencies,
    "spend_by_month": queries.spend_by_month,
    "variances": queries.variances,
    "variance_months": queries.variance_months,
    "disputes": queries.disputes,
    "dispute_trail": queries.dispute_trail,
    "sla_credits": queries.sla_credits,
    "credit_lines": queries.credit_lines,
    "feed_reconciliation": queries.feed_reconciliation,
    "payments": queries.payments,
    "receivables": queries.receivables,
    "quarantine_by_reason": queries.quarantine_by_reason,
    "quarantined_rows": queries.quarantined_rows,
    "landing_manifest": queries.landing_manifest,
    "landing_refusals": queries.landing_refusals,
    "fx_rate_fallbacks": queries.fx_rate_fallbacks,
    "feed_freshness": queries.feed_freshness,
}


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _run(key: str, name: str, args: tuple):
    return PAGE_QUERIES[name](*args)


def run(name: str, *args):
    """One of PAGE_QUERIES with its arguments (plain values), cached per warehouse and
    principal for TTL_SECONDS."""
    return _run(db.warehouse_key(), name, tuple(args))


# --- documents: built once per warehouse, principal and invoice ------------------------------
@st.cache_data(ttl=TTL_SECONDS, show_spinner="Rendering the invoice documents…")
def _invoice_documents(key: str, invoice_id: str) -> dict[str, bytes]:
    from chargeback.outputs import documents

    return documents.documents(invoice_id)


def invoice_documents(invoice_id: str) -> dict[str, bytes]:
    """The PDF, CSV and Excel of an invoice, by file name."""
    return _invoice_documents(db.warehouse_key(), invoice_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner="Building the audit package…")
def _audit_package(key: str, customer_id: str, month: dt.date) -> tuple[str, bytes]:
    from chargeback.outputs import audit_package

    return audit_package.build(customer_id, month)


def audit_package(customer_id: str, month: dt.date) -> tuple[str, bytes]:
    """The audit package zip of a customer's month: (file name, bytes)."""
    return _audit_package(db.warehouse_key(), customer_id, month)
