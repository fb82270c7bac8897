"""Month-over-month variance per customer and service, against the thresholds of
seeds/variance_thresholds.csv, with the explanations recorded for flagged changes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import cache, figures, ui
from dashboards import formatting as fmt

ALL = "All"


def variance_table(df: pd.DataFrame) -> None:
    table = pd.DataFrame(
        {
            "Month": df["billing_month"].map(fmt.month),
            "Customer": df["customer_id"],
            "Service": df["service_name"],
            "Previous": df["previous_amount"],
            "Amount": df["amount"],
            "Change": df["amount_change"],
            "Change %": df["amount_change_percent"].map(fmt.number),
            "Volume change": df["volume_change"].map(fmt.number),
            "Threshold": df["min_amount_change"].map(fmt.number)
            + " / "
            + df["min_percent_change"].map(fmt.number)
            + " %",
            "Flagged": df["is_flagged"],
            "Explained": df["is_explained"],
            "Explanation": df["explanation"],
            "By": df["explained_by"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config=ui.money_columns("Previous", "Amount", "Change"),
    )


def render() -> None:
    st.title("Variance")
    ui.caption()
    months = cache.run("variance_months")
    if months.empty:
        st.info("No variance yet: it needs two billed months.")
        return
    left, right = st.columns(2)
    month = left.selectbox(
        "Billing month",
        [ALL, *months["billing_month"]],
        format_func=lambda m: ALL if m == ALL else fmt.month(m),
        key="variance_month",
    )
    flagged_only = right.toggle("Only changes over their threshold", key="flagged_only")
    df = cache.run("variances", None if month == ALL else month, flagged_only)
    flagged = df[df["is_flagged"]]
    a, b, c = st.columns(3)
    a.metric("Changes", len(df))
    b.metric("Over threshold", len(flagged))
    c.metric("Not explained yet", int((flagged["is_explained"] == False).sum()))  # noqa: E712
    if df.empty:
        st.info("No change to show.")
        return
    st.plotly_chart(figures.variance_changes(df))
    variance_table(df)
    st.caption(
        "A change is flagged when it passes both the amount and the percent threshold of its "
        "service category; the billing desk records why in seeds/variance_explanations.csv."
    )


ui.page(render)
