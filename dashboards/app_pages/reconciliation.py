"""Reconciliation per feed and period (landed → quarantined, rated, billed, corrected), the
bank payments and how they matched, and the receivables with their aging."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import cache, figures, ui
from dashboards import formatting as fmt


def feeds_section() -> None:
    df = cache.run("feed_reconciliation")
    if df.empty:
        st.info("Nothing landed yet.")
        return
    flagged = int(df["is_flagged"].sum())
    a, b = st.columns(2)
    a.metric("Feed · month · SKU rows", len(df))
    b.metric("Flagged differences", flagged)
    if flagged:
        st.warning(f"{flagged} difference(s) are not explained: see the rows marked FLAG.")
    table = pd.DataFrame(
        {
            "Feed": df["feed"],
            "Month": df["billing_month"].map(fmt.month),
            "SKU": df["sku_id"],
            "Landed": df["landed_rows"],
            "Duplicates": df["duplicate_rows"],
            "Quarantined": df["quarantined_rows"],
            "Unallocated": df["unallocated_rows"],
            "Rated": df["rated_rows"],
            "Rated amount": df["rated_amount"],
            "Billed amount": df["billed_amount"],
            "PPA lines": df["ppa_line_count"],
            "Closed": df["is_month_closed"],
            "Explanation": df["explanation"],
            "Flagged": df["is_flagged"],
        }
    )
    st.dataframe(table, hide_index=True,
                 column_config=ui.money_columns("Rated amount", "Billed amount"))  # fmt: skip


def payments_section() -> None:
    df = cache.run("payments")
    if df.empty:
        st.info("No bank statement landed yet.")
        return
    counts = df.groupby("match_status").size().rename("payments").reset_index()
    st.dataframe(counts, hide_index=True)
    table = pd.DataFrame(
        {
            "Booked": df["booking_date"].astype(str),
            "Amount": df["amount"],
            "Currency": df["currency"],
            "Debtor": df["debtor_name"],
            "Remittance": df["remittance_information"],
            "Invoice": df["invoice_number"],
            "Customer": df["customer_id"],
            "Match": df["match_status"],
            "Why": df["invalid_reason"],
            "Source": df["source_file"] + ":" + df["source_row"].astype(str),
        }
    )
    st.dataframe(table, hide_index=True, column_config=ui.money_columns("Amount"))


def receivables_section() -> None:
    df = cache.run("receivables")
    if df.empty:
        st.info("No invoice issued yet (receivables start when a month is closed).")
        return
    st.plotly_chart(
        figures.counts_by(df, "aging_bucket", "outstanding_amount", "Outstanding by age")
    )
    table = pd.DataFrame(
        {
            "Invoice": df["invoice_number"],
            "Customer": df["customer_id"],
            "Month": df["billing_month"].map(fmt.month),
            "Due": df["due_date"].astype(str),
            "Total": df["total_amount"],
            "Paid": df["paid_amount"],
            "Outstanding": df["outstanding_amount"],
            "Currency": df["currency"],
            "Status": df["payment_status"],
            "Days past due": df["days_past_due"],
            "Aging": df["aging_bucket"],
        }
    )
    st.dataframe(table, hide_index=True,
                 column_config=ui.money_columns("Total", "Paid", "Outstanding"))  # fmt: skip


def render() -> None:
    st.title("Reconciliation and payments")
    ui.caption()
    ui.section("Feeds: landed to billed", feeds_section)
    ui.section("Receivables", receivables_section)
    ui.section("Payments", payments_section)


ui.page(render)
