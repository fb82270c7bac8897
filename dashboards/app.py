"""The dashboard router: `streamlit run dashboards/app.py` (from anywhere).

Each page is a script in `dashboards/app_pages/` (not `pages/`: Streamlit would also list
that folder on its own); add it to `PAGES` (grouped by section) to put it in
the navigation. The warehouse comes from the same CHARGEBACK_* environment as the pipeline.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts this file's folder on sys.path, not the repository root; the pages
# import `dashboards.*` and the `chargeback` library from there.
REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import streamlit as st  # noqa: E402

st.set_page_config(
    page_title="IT chargeback",
    page_icon=":material/receipt_long:",
    layout="wide",
)

# Section → pages. Each page is also a dbt exposure (dbt_project/models/_exposures.yml), so
# the lineage in the dbt docs runs from the landed files to the page.
PAGES = {
    "Billing": [
        st.Page(
            "app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
        ),
        st.Page("app_pages/invoices.py", title="Invoices", icon=":material/receipt_long:"),
        st.Page("app_pages/variance.py", title="Variance", icon=":material/compare_arrows:"),
        st.Page("app_pages/disputes.py", title="Disputes and credits", icon=":material/gavel:"),
    ],
    "Finance": [
        st.Page(
            "app_pages/reconciliation.py",
            title="Reconciliation and payments",
            icon=":material/account_balance:",
        ),
        st.Page(
            "app_pages/forecast.py", title="Forecast and budgets", icon=":material/trending_up:"
        ),
    ],
    "Operations": [
        st.Page("app_pages/data_quality.py", title="Data quality", icon=":material/fact_check:"),
    ],
}

st.navigation(PAGES).run()
