"""The dashboard router: `streamlit run dashboards/app.py` (from anywhere).

Each page is a script in `dashboards/pages/`; add it to `PAGES` (grouped by section) to put it in
the navigation. The warehouse comes from the same CHARGEBACK_* environment as the pipeline.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts this file's folder on sys.path, not the repository root; the pages
# import `dashboards.*` and `dagster_defs.settings` from there.
REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import streamlit as st  # noqa: E402

st.set_page_config(
    page_title="IT chargeback",
    page_icon=":material/receipt_long:",
    layout="wide",
)

# Section → pages. Later: Overview, Variance, Disputes, Reconciliation, Data quality.
PAGES = {
    "Billing": [
        st.Page(
            "pages/invoices.py",  # relative to this file
            title="Invoices",
            icon=":material/receipt_long:",
            default=True,
        ),
    ],
    "Planning": [
        st.Page("pages/forecast.py", title="Forecast", icon=":material/trending_up:"),
    ],
}

st.navigation(PAGES).run()
