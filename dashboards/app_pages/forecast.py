"""The rolling forecast, its backtest, a customer's budgets and the LAR, with downloads.

customer → its forecast by month and service category (18 rolling months, then to the end
of the next biennium) → its budgets vs billed and forecast → the LAR by fiscal year, as the
planner's workbook (.xlsx) or CSV. The backtest shows how the method did against the naive
forecast on the held-out months (docs/forecasting.md).
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import streamlit as st

from chargeback.db import WarehouseUnavailable
from chargeback.outputs.planning import NoData, write_lar, write_operating_budget
from dashboards import cache, figures, ui
from dashboards import formatting as fmt

MONEY = "%.2f"


def lar_files(customer_id: str) -> dict[str, bytes]:
    """The LAR workbook and CSV of a customer, as bytes to download."""
    with tempfile.TemporaryDirectory() as folder:
        xlsx, csv_path = write_lar(customer_id, Path(folder))
        return {xlsx.name: xlsx.read_bytes(), csv_path.name: csv_path.read_bytes()}


def budget_files(fiscal_year: int) -> dict[str, bytes]:
    """The annual operating budget report of a fiscal year, as bytes to download."""
    with tempfile.TemporaryDirectory() as folder:
        xlsx, csv_path = write_operating_budget(fiscal_year, Path(folder))
        return {xlsx.name: xlsx.read_bytes(), csv_path.name: csv_path.read_bytes()}


def money_columns(*names: str) -> dict:
    return {name: st.column_config.NumberColumn(name, format=MONEY) for name in names}


st.title("Forecast and budgets")
try:
    ui.caption()
    customers = cache.planning("forecast_customers")
except WarehouseUnavailable as exc:
    st.info(str(exc), icon=":material/info:")
    st.stop()
if customers.empty:
    st.info("No forecast yet: the warehouse has no rated usage.", icon=":material/info:")
    st.stop()

names = dict(zip(customers["customer_id"], customers["customer_name"], strict=True))
customer = st.selectbox(
    "Customer", list(names), format_func=lambda c: f"{c} · {names[c]}", key="customer"
)
months = cache.planning("forecast_by_month", customer)
lar = cache.planning("lar_summary", customer)
currency = months["currency"].iloc[0] if not months.empty else "USD"
rolling = sum(months.loc[months["is_rolling_horizon"], "amount"], Decimal(0))
requested = lar[lar["is_requested_biennium"]]
left, right = st.columns(2)
left.metric("Next 18 months", fmt.money(rolling, currency))
if not requested.empty:
    right.metric(
        f"LAR {requested['requested_biennium'].iloc[0]}",
        fmt.money(sum(requested["total_amount"], Decimal(0)), currency),
    )
st.plotly_chart(figures.forecast_by_month(months), key="forecast_chart")

st.subheader("Budgets")
budgets = cache.planning("budget_status", customer)
if budgets.empty:
    st.caption("No budget for this customer in seeds/budgets.csv.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Fiscal year": "FY" + budgets["fiscal_year"].astype(str),
                "Budget": budgets["budget_amount"],
                "Billed": budgets["actual_amount"],
                "Forecast": budgets["forecast_amount"],
                "Projected": budgets["projected_amount"],
                "Projected %": budgets["projected_percent_of_budget"],
                "Throttling review": budgets["is_throttling_review"],
            }
        ),
        hide_index=True,
        column_config=money_columns("Budget", "Billed", "Forecast", "Projected"),
        key="budgets",
    )

years = cache.planning("budget_years")
if not years.empty:
    year = st.selectbox(
        "Annual operating budget report (every customer)",
        [int(y) for y in years["fiscal_year"]],
        format_func=lambda y: f"FY{y}",
        key="budget_year",
    )
    for name, data in budget_files(year).items():
        st.download_button(f"Download {name}", data, file_name=name, key=f"download_{name}")

st.subheader("Legislative Appropriations Request")
st.dataframe(
    pd.DataFrame(
        {
            "Fiscal year": "FY" + lar["fiscal_year"].astype(str),
            "Basis": lar["fiscal_year_role"],
            "Requested": lar["is_requested_biennium"],
            "Billed": lar["actual_amount"],
            "Forecast": lar["forecast_amount"],
            "Total": lar["total_amount"],
        }
    ),
    hide_index=True,
    column_config=money_columns("Billed", "Forecast", "Total"),
    key="lar",
)
try:
    files = lar_files(customer)
except (NoData, WarehouseUnavailable) as exc:
    st.warning(str(exc))
else:
    for name, data in files.items():
        st.download_button(f"Download {name}", data, file_name=name, key=f"download_{name}")


def backtest() -> None:
    accuracy = cache.planning("forecast_accuracy")
    if not accuracy.empty:
        first = accuracy.iloc[0]
        st.caption(
            f"The method started at {fmt.month(first['backtest_origin_month'])}, knowing only "
            f"the history up to then, against what was rated through "
            f"{fmt.month(first['backtest_last_month'])}; the naive forecast repeats the last month."
        )
    st.dataframe(
        pd.DataFrame(
            {
                "Service": accuracy["service_name"],
                "WAPE %": accuracy["forecast_wape_percent"],
                "Naive WAPE %": accuracy["naive_wape_percent"],
                "MAPE %": accuracy["forecast_mape_percent"],
                "Naive MAPE %": accuracy["naive_mape_percent"],
                "Beats naive": accuracy["is_better_than_naive"],
            }
        ),
        hide_index=True,
        key="accuracy",
    )


ui.section("Backtest", backtest)
