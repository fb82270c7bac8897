"""Plotly figure builders: pure functions of the query DataFrames (no Streamlit, no SQL).

Amounts arrive as Decimal; they become floats here, for drawing only.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards import formatting


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title=title,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {"text": message, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5}
        ],
    )
    return fig


def _floats(values: pd.Series) -> list[float]:
    return [float(v) for v in values]


def invoices_by_month(df: pd.DataFrame) -> go.Figure:
    """Stacked bars of invoice totals by billing month, one trace (colour) per customer.

    Amounts in different currencies are never added: each currency is its own stack, side
    by side in the month (offsetgroup), and the hover names the currency.
    `df` has the columns of `queries.invoices()`: billing_month, customer_id, customer_name,
    currency, total_amount (Decimal)."""
    title = "Invoiced by month and customer"
    if df.empty:
        return _empty(title, "No invoices")
    data = df.assign(
        month=df["billing_month"].map(formatting.month),
        customer=df["customer_id"].astype(str) + " · " + df["customer_name"].astype(str),
    )
    months = sorted(data["month"].unique())
    if "currency" not in data:
        data = data.assign(currency="")
    fig = go.Figure()
    for (customer, currency), rows in data.groupby(["customer", "currency"], sort=True):
        by_month = rows.groupby("month")["total_amount"].agg(lambda s: sum(s, start=0))
        fig.add_trace(
            go.Bar(
                name=str(customer),
                x=list(by_month.index),
                y=_floats(by_month),
                offsetgroup=str(currency),
                hovertemplate="%{x}<br>"
                + str(customer)
                + f"<br>%{{y:,.2f}} {currency}<extra></extra>",
            )
        )
    currencies = sorted(c for c in data["currency"].dropna().unique() if c)
    fig.update_layout(
        title=title,
        barmode="stack",
        xaxis={
            "title": "Billing month",
            "type": "category",
            "categoryorder": "array",
            "categoryarray": months,
        },
        yaxis={
            "title": f"Amount ({' | '.join(currencies)}, one stack each)"
            if len(currencies) > 1
            else f"Amount ({currencies[0]})"
            if currencies
            else "Amount"
        },
        legend={"title": "Customer"},
    )
    return fig


def lines_by_service(df: pd.DataFrame) -> go.Figure:
    """Horizontal stacked bars of line amounts by service, one trace per service category.

    `df` has the columns of `queries.invoice_lines()`: service_category, service_name,
    line_amount (Decimal)."""
    title = "Lines by service"
    if df.empty:
        return _empty(title, "No invoice lines")
    fig = go.Figure()
    totals = df.groupby("service_name")["line_amount"].agg(lambda s: sum(s, start=0))
    order = list(totals.sort_values().index)  # biggest at the top of a horizontal chart
    for category, rows in df.groupby("service_category", sort=True):
        by_service = rows.groupby("service_name")["line_amount"].agg(lambda s: sum(s, start=0))
        fig.add_trace(
            go.Bar(
                name=str(category),
                y=list(by_service.index),
                x=_floats(by_service),
                orientation="h",
                hovertemplate="%{y}<br>" + str(category) + "<br>%{x:,.2f}<extra></extra>",
            )
        )
    fig.update_layout(
        title=title,
        barmode="stack",
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": order},
        xaxis={"title": "Amount"},
        legend={"title": "Service category"},
    )
    return fig


def forecast_by_month(df: pd.DataFrame) -> go.Figure:
    """Stacked monthly bars of the forecast by service category, the rolling 18 months
    solid and the months beyond (to the end of the next biennium) faded.

    `df` has the columns of `queries.forecast_by_month()`."""
    title = "Forecast by month"
    if df.empty:
        return _empty(title, "No forecast")
    fig = go.Figure()
    for category, rows in df.groupby("service_category", sort=True):
        fig.add_trace(
            go.Bar(
                name=str(category),
                x=[str(m)[:7] for m in rows["billing_month"]],
                y=_floats(rows["amount"]),
                marker={"opacity": [1.0 if r else 0.45 for r in rows["is_rolling_horizon"]]},
                hovertemplate="%{x}<br>" + str(category) + "<br>%{y:,.2f}<extra></extra>",
            )
        )
    fig.update_layout(
        title=title,
        barmode="stack",
        xaxis={"type": "category", "title": "Month (faded: beyond the rolling 18 months)"},
        yaxis={"title": f"Amount ({df['currency'].iloc[0]})"},
        legend={"title": "Service category"},
    )
    return fig


def spend_by_month(df: pd.DataFrame, dimension: str, currency: str) -> go.Figure:
    """Stacked monthly bars of spend, one trace per group of `dimension` (the biggest 12; the
    rest as 'Other'). `df` has the columns of `queries.spend_by_month()`."""
    title = f"Spend by {dimension} and month ({currency})"
    if df.empty:
        return _empty(title, "No spend")
    totals = df.groupby("group_name")["amount"].agg(lambda s: sum(s, start=0))
    top = set(totals.sort_values(ascending=False).index[:12])
    data = df.assign(
        month=df["billing_month"].map(formatting.month),
        group=df["group_name"].where(df["group_name"].isin(top), "Other"),
    )
    months = sorted(data["month"].unique())
    fig = go.Figure()
    for group, rows in data.groupby("group", sort=True):
        by_month = rows.groupby("month")["amount"].agg(lambda s: sum(s, start=0))
        fig.add_trace(
            go.Bar(
                name=str(group),
                x=list(by_month.index),
                y=_floats(by_month),
                hovertemplate="%{x}<br>"
                + str(group)
                + f"<br>%{{y:,.2f}} {currency}<extra></extra>",
            )
        )
    fig.update_layout(
        title=title,
        barmode="stack",
        xaxis={
            "title": "Billing month",
            "type": "category",
            "categoryorder": "array",
            "categoryarray": months,
        },
        yaxis={"title": f"Amount ({currency})"},
        legend={"title": dimension.capitalize()},
    )
    return fig


def variance_changes(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars of the month-over-month change per customer and service, flagged
    changes (over their threshold) in red. `df` has the columns of `queries.variances()`."""
    title = "Month-over-month change"
    if df.empty:
        return _empty(title, "No variance")
    data = df.head(25).iloc[::-1]
    labels = (
        data["customer_id"].astype(str) + " · " + data["service_name"].astype(str) + " · "
        + data["billing_month"].map(formatting.month)
    )  # fmt: skip
    fig = go.Figure(
        go.Bar(
            y=list(labels),
            x=_floats(data["amount_change"]),
            orientation="h",
            marker={"color": ["#d62728" if f else "#7f7f7f" for f in data["is_flagged"]]},
            hovertemplate="%{y}<br>%{x:,.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title + " (red: over its threshold)",
        xaxis={"title": "Change in amount"},
        yaxis={"type": "category"},
    )
    return fig


def counts_by(df: pd.DataFrame, label: str, value: str, title: str) -> go.Figure:
    """Horizontal bars of a count or amount per label (quarantine reasons, aging buckets)."""
    if df.empty:
        return _empty(title, "Nothing to show")
    data = df.groupby(label)[value].agg(lambda s: sum(s, start=0)).sort_values()
    fig = go.Figure(
        go.Bar(
            y=[str(i) for i in data.index],
            x=_floats(data),
            orientation="h",
            hovertemplate="%{y}<br>%{x:,}<extra></extra>",
        )
    )
    fig.update_layout(title=title, yaxis={"type": "category"})
    return fig
