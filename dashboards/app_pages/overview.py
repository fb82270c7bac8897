"""Where the money goes: spend by service, customer, department and project, per month.

Service and customer come from the invoice lines (every charge type, tax excluded);
department (cost center) and project (the project tag) from the rated usage, the level where
they are recorded. Each currency is shown on its own: amounts are never added across them.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from chargeback.queries import SPEND_DIMENSIONS
from dashboards import cache, figures, ui
from dashboards import formatting as fmt

LABELS = {
    "service": "Service category",
    "customer": "Customer",
    "department": "Department (cost center)",
    "project": "Project (tag)",
}


def summary_table(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Total per group over the months shown, biggest first, with its share."""
    totals = df.groupby("group_name")["amount"].agg(lambda s: sum(s, Decimal(0)))
    whole = sum(totals, Decimal(0))
    table = pd.DataFrame(
        {
            LABELS[dimension]: list(totals.index),
            "Amount": list(totals),
            "Share %": [
                float((value / whole * 100).quantize(Decimal("0.1"))) if whole else 0.0
                for value in totals
            ],
        }
    )
    return table.sort_values("Amount", ascending=False, ignore_index=True)


def render() -> None:
    st.title("Overview")
    ui.caption()
    currencies = cache.run("spend_currencies")
    if currencies.empty:
        st.info("No spend yet: land usage files and run the pipeline (`make demo`).")
        return
    left, right = st.columns(2)
    currency = left.selectbox("Currency", list(currencies["currency"]), key="currency")
    dimension = right.radio(
        "Spend by",
        list(SPEND_DIMENSIONS),
        format_func=LABELS.get,
        horizontal=True,
        key="dimension",
    )
    spend = cache.run("spend_by_month", dimension, currency)
    if spend.empty:
        st.info(f"No {currency} spend to show by {dimension}.")
        return
    months = sorted(spend["billing_month"].unique())
    total = sum(spend["amount"], Decimal(0))
    a, b, c = st.columns(3)
    a.metric("Spend shown", fmt.money(total, currency))
    b.metric("Months", len(months))
    c.metric(LABELS[dimension], spend["group_name"].nunique())
    st.plotly_chart(figures.spend_by_month(spend, dimension, currency))
    source = (
        "invoice lines, tax excluded"
        if SPEND_DIMENSIONS[dimension][0] == "fct_invoice_lines"
        else "rated usage, before rounding, contract lines and tax"
    )
    st.caption(f"From the {source}.")
    st.dataframe(
        summary_table(spend, dimension),
        hide_index=True,
        column_config=ui.money_columns("Amount"),
    )


ui.page(render)
