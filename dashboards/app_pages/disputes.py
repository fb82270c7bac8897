"""Disputes with their SLA timers, maker-checker approval and billing; SLA service credits;
and every credit, re-bill and prior-period adjustment on the invoices."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import cache, ui
from dashboards import formatting as fmt


def disputes_section() -> None:
    df = cache.run("disputes")
    if df.empty:
        st.info("No dispute recorded.")
        return
    a, b, c = st.columns(3)
    a.metric("Disputes", len(df))
    b.metric("Open", int((~df["state"].isin(["resolved", "closed"])).sum()))
    c.metric("Billed outcomes", int(df["is_billed"].sum()))
    table = pd.DataFrame(
        {
            "Dispute": df["dispute_id"],
            "Customer": df["customer_id"],
            "Month": df["billing_month"].map(fmt.month),
            "Invoice": df["invoice_number"],
            "Disputed": df["disputed_amount"],
            "Currency": df["currency"],
            "Priority": df["priority_name"],
            "State": df["state"],
            "Owner": df["owner"],
            "Resolve SLA": df["resolve_sla_status"],
            "Outcome": df["outcome"],
            "Outcome amount": df["outcome_amount"],
            "Approval": df["approval_status"],
            "Billed": df["billing_route"],
            "Billed on": df["billed_on_invoice_id"],
        }
    )
    st.dataframe(table, hide_index=True,
                 column_config=ui.money_columns("Disputed", "Outcome amount"))  # fmt: skip
    dispute_id = st.selectbox(
        "Dispute",
        list(df["dispute_id"]),
        index=None,
        placeholder="Choose a dispute to see its audit trail",
        key="dispute",
    )
    if dispute_id is None:
        return
    row = df.set_index("dispute_id").loc[dispute_id]
    st.markdown(f"**{dispute_id}**: {row['description']}")
    if isinstance(row["refusal_reason"], str) and row["refusal_reason"]:
        st.warning(f"Outcome refused: {row['refusal_reason']}")
    ui.section("Audit trail", lambda: audit_trail(dispute_id))


def audit_trail(dispute_id: str) -> None:
    trail = cache.run("dispute_trail", dispute_id)
    st.dataframe(
        trail[
            [
                "event_at",
                "event_type",
                "actor",
                "event_status",
                "state",
                "details",
                "source_file",
                "source_row",
            ]
        ],
        hide_index=True,
    )


def sla_section() -> None:
    df = cache.run("sla_credits")
    if df.empty:
        st.info("No SLA evaluated.")
        return
    table = pd.DataFrame(
        {
            "Month": df["billing_month"].map(fmt.month),
            "Customer": df["customer_id"],
            "Service": df["service_name"],
            "Metric": df["metric"],
            "Target": df["target_value"].map(fmt.number),
            "Measured": df["measured_value"].map(fmt.number),
            "Status": df["sla_status"],
            "Credit %": df["credit_percent"].map(fmt.number),
            "Charged": df["charged_amount"],
            "Credit": df["credit_amount"],
            "Currency": df["currency"],
            "Invoice": df["invoice_id"],
        }
    )
    st.dataframe(table, hide_index=True, column_config=ui.money_columns("Charged", "Credit"))


def credits_section() -> None:
    df = cache.run("credit_lines")
    if df.empty:
        st.info("No credit, re-bill or prior-period adjustment on any invoice.")
        return
    table = pd.DataFrame(
        {
            "Invoice": df["invoice_id"],
            "Month": df["billing_month"].map(fmt.month),
            "Type": df["charge_type"],
            "Service": df["service_name"],
            "What": df["product_name"].fillna("") + " · " + df["component_name"].fillna(""),
            "Amount": df["line_amount"],
            "Currency": df["currency"],
            "Corrects": df["original_invoice_id"],
            "Status": df["invoice_status"],
        }
    )
    st.dataframe(table, hide_index=True, column_config=ui.money_columns("Amount"))


def render() -> None:
    st.title("Disputes and credits")
    ui.caption()
    ui.section("Disputes", disputes_section)
    ui.section("SLA service credits", sla_section)
    ui.section("Credits, re-bills and prior-period adjustments", credits_section)


ui.page(render)
