"""Streamlit dashboards over the chargeback warehouse.

`db` is the only module that touches the warehouse, `queries` holds the plain (testable) query
functions, `figures` the plotly builders, `formatting` the display helpers, `cache` the
`st.cache_data` wrappers the pages call, and `app.py` the router over `app_pages/`.
"""
