"""Data quality: quarantined rows by reason (each with its file, line and raw text), the
freshness of every feed against the thresholds of the dbt sources, the landing manifest with
each file's row balance, the files refused at the door, and the invoice lines converted at
a fallback FX rate."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from chargeback.freshness import freshness_status, freshness_thresholds
from dashboards import cache, figures, ui


def quarantine_section() -> None:
    df = cache.run("quarantine_by_reason")
    if df.empty:
        st.success("Nothing is quarantined.")
        return
    st.metric("Quarantined rows", int(df["row_count"].sum()))
    st.plotly_chart(figures.counts_by(df, "reason_code", "row_count", "Quarantined rows by reason"))
    st.dataframe(
        df.rename(
            columns={
                "feed": "Feed",
                "reason_code": "Reason",
                "reason_description": "What it means",
                "row_count": "Rows",
                "file_count": "Files",
            }
        ),
        hide_index=True,
    )
    reason = st.selectbox(
        "Reason",
        list(dict.fromkeys(df["reason_code"])),
        index=None,
        placeholder="Choose a reason to see its rows",
        key="reason",
    )
    if reason is not None:
        st.dataframe(cache.run("quarantined_rows", reason), hide_index=True)


def freshness_section() -> None:
    df = cache.run("feed_freshness")
    if df.empty:
        st.info("Nothing landed yet.")
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    limits = freshness_thresholds()
    table = pd.DataFrame(
        {
            "Feed": df["feed"],
            "Files": df["file_count"],
            "Rows": df["row_count"],
            "Last landed (UTC)": df["last_loaded_at"].astype(str).str[:19],
            "Newest billing month": df["last_billing_month"].map(
                lambda v: "—" if v is None or pd.isna(v) else str(v)[:7]
            ),
            "Status": [freshness_status(v, now) for v in df["last_loaded_at"]],
        }
    )
    st.dataframe(table, hide_index=True)
    st.caption(
        f"Warn after {limits['warn_after']:g} h, stale after {limits['error_after']:g} h "
        "without a new file (the freshness of the dbt sources)."
    )


def manifest_section() -> None:
    df = cache.run("landing_manifest")
    if df.empty:
        st.info("Nothing landed yet.")
        return
    unbalanced = int((~df["is_balanced"]).sum())
    a, b = st.columns(2)
    a.metric("Files landed", len(df))
    b.metric("Files not balanced", unbalanced)
    st.dataframe(df, hide_index=True)
    refusals = cache.run("landing_refusals")
    if refusals.empty:
        st.caption("No file was refused.")
    else:
        st.markdown("**Refused files**")
        st.dataframe(refusals, hide_index=True)


def fx_section() -> None:
    df = cache.run("fx_rate_fallbacks")
    if df.empty:
        st.success("Every converted line used the rate of its month's last day.")
        return
    st.warning(
        f"{int(df['line_count'].sum())} invoice line(s) were converted at an earlier rate: "
        "no rate was published on the month's last day (seeds/fx_rates.csv)."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Month": df["rate_month"].astype(str).str[:7],
                "From": df["rate_currency"],
                "To": df["currency"],
                "Rate used": df["fx_rate"],
                "Rate of": df["fx_rate_date"].astype(str),
                "Lines": df["line_count"],
                "Amount": df["line_amount"],
            }
        ),
        hide_index=True,
    )
    st.caption(
        "A rate older than the dbt var fx_rate_max_staleness_days before the month end "
        "fails the build instead."
    )


def render() -> None:
    st.title("Data quality")
    ui.caption()
    ui.section("Quarantine", quarantine_section)
    ui.section("Feed freshness", freshness_section)
    ui.section("Landing manifest", manifest_section)
    ui.section("FX rates", fx_section)


ui.page(render)
