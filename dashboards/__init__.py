"""Streamlit dashboards over the chargeback warehouse: Streamlit and presentation only.

The data comes from the `chargeback` library (`chargeback.db` reads the warehouse,
`chargeback.queries` holds the plain query functions); here live `cache` (the
`st.cache_data` wrappers the pages call), `ui` (shared page parts), `figures` (plotly
builders), `formatting` (display helpers) and `app.py`, the router over `app_pages/`.
"""
