"""The chargeback library: everything that is neither Dagster wiring nor Streamlit.

- `settings`: where things are, read from the environment;
- `db`, `access`, `queries`, `freshness`: the warehouse reader (short-lived, read-only
  connections, as the signed-in principal) and the plain query functions over the marts;
- `landing`: files of the landing folder into the raw tables, with lineage and checksums;
- `outputs`: invoice documents, planning workbooks (LAR, budget report), the audit
  package, budget-alert e-mails, the `chargeback-export` CLI and the summary;
- `demo_data`: the deterministic demo-data generator (`chargeback-demo-data`).

Imports run one way: `dagster_defs` and `dashboards` import this package, never the
reverse, and nothing here imports dagster or streamlit (tests/test_layout.py).
"""
