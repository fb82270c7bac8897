"""Role-based access (docs/access-control.md), enforced in data access, on both warehouses.

seeds/access_grants.csv, on the fixture:
- finance_admin and auditor see C01, C03 and C21;
- viewer_dps sees C01 (cost centers DPS-100 and DPS-200) and its invoices;
- viewer_dps_operations sees only DPS-200's usage, and no invoice (customer-level);
- viewer_arn sees C21.
On PostgreSQL the proof is the database's: a plain `SET ROLE viewer_dps` session, running
SQL that asks for every customer, gets only C01's rows.
"""

from __future__ import annotations

import pytest

from chargeback import access, db, queries
from chargeback.db import WarehouseUnavailable

from .conftest import PG, use_duckdb

ALL = {"C01", "C03", "C21"}
VISIBLE_CUSTOMERS = {  # invoices each principal sees
    "finance_admin": ALL,
    "auditor": ALL,
    "viewer_dps": {"C01"},
    "viewer_dps_operations": set(),
    "viewer_arn": {"C21"},
}
VISIBLE_COST_CENTERS = {  # rated usage each principal sees (None: the unallocated row)
    "finance_admin": {"ARN-100", "DOT-100", "DPS-100", "DPS-200", None},
    "viewer_dps": {"DPS-100", "DPS-200"},
    "viewer_dps_operations": {"DPS-200"},
    "viewer_arn": {"ARN-100"},
}


def as_user(monkeypatch, user: str) -> None:
    monkeypatch.setenv("CHARGEBACK_DASHBOARD_USER", user)


def cost_centers() -> set:
    frame = db.query(f"select distinct cost_center_id from {db.relation('fct_rated_usage')}")
    return {None if v is None or v != v else v for v in frame["cost_center_id"]}


def check_scopes(monkeypatch) -> None:
    """The same assertions on either warehouse, through the dashboard's query layer."""
    for user, customers in VISIBLE_CUSTOMERS.items():
        as_user(monkeypatch, user)
        assert set(queries.invoices()["customer_id"]) == customers, user
        lines = db.query(f"select distinct customer_id from {db.relation('fct_invoice_lines')}")
        assert set(lines["customer_id"]) == customers, user
        if user in VISIBLE_COST_CENTERS:
            assert cost_centers() == VISIBLE_COST_CENTERS[user], user
    # asking for another customer's rows by name returns nothing
    as_user(monkeypatch, "viewer_dps")
    assert queries.invoices(customer_id="C03").empty
    assert queries.invoice_lines("C03-202602").empty
    assert db.current_principal() == access.Principal("viewer_dps", "viewer", (("C01", None),))
    # the raw landed rows: only those behind the viewer's own usage
    raw = db.query(f"select _source_file from {db.relation('focus_usage', raw=True)}")
    usage = db.query(
        f"select count(*) as n from {db.relation('fct_rated_usage')} where feed = 'cloud'"
    )
    assert len(raw) == int(usage["n"][0]) == 3
    # staff-only data is refused, with a message for a person
    with pytest.raises(WarehouseUnavailable) as refused:
        queries.feed_reconciliation()
    assert refused.value.reason == "forbidden"
    assert "viewer_dps may not read fct_feed_reconciliation" in str(refused.value)
    # someone without a grant sees nothing at all
    as_user(monkeypatch, "mallory")
    with pytest.raises(WarehouseUnavailable) as nobody:
        queries.invoices()
    assert nobody.value.reason == "forbidden"
    assert "'mallory' has no access to the billing warehouse" in str(nobody.value)
    # staff read everything, the auditor included
    as_user(monkeypatch, "auditor")
    assert len(queries.feed_reconciliation()) == 15
    assert db.current_principal().is_staff


def test_scopes_on_duckdb(fixture_duckdb, monkeypatch):
    use_duckdb(monkeypatch, fixture_duckdb)
    check_scopes(monkeypatch)


@pytest.mark.postgres
def test_scopes_on_postgres(fixture_postgres, monkeypatch):
    monkeypatch.setenv("CHARGEBACK_TARGET", "postgres")
    monkeypatch.setenv("CHARGEBACK_SCHEMA", fixture_postgres)
    check_scopes(monkeypatch)


@pytest.mark.postgres
def test_row_level_security_on_postgres(fixture_postgres):
    """The database itself filters: any SQL, as the viewer's role, sees only its rows."""
    import psycopg2
    import psycopg2.errors

    schema = f'"{fixture_postgres}"'

    def as_role(role: str, sql: str) -> list[tuple]:
        with psycopg2.connect(**PG) as con, con.cursor() as cur:
            cur.execute(f'set role "{role}"')
            cur.execute(sql)
            rows = cur.fetchall()
            con.rollback()
            return rows

    every_invoice = f"select distinct customer_id from {schema}.fct_invoices order by 1"
    assert as_role("viewer_dps", every_invoice) == [("C01",)]
    assert as_role("viewer_arn", every_invoice) == [("C21",)]
    assert as_role("viewer_dps_operations", every_invoice) == []
    assert as_role("auditor", every_invoice) == [("C01",), ("C03",), ("C21",)]
    assert as_role("viewer_dps", f"select count(*) from {schema}.fct_invoices "
                   "where customer_id = 'C03'") == [(0,)]  # fmt: skip
    # fct_rated_usage is a view: it runs with the reader's rights, so the policy applies
    assert as_role(
        "viewer_dps_operations",
        f"select distinct cost_center_id from {schema}.fct_rated_usage",
    ) == [("DPS-200",)]
    assert as_role(
        "viewer_dps",
        f"select count(*) from {schema}.int_usage_events_rated where customer_id <> 'C01'",
    ) == [(0,)]
    # the policies are in the catalog, one per role group and table
    policies = dict(
        as_role(
            "postgres",
            f"select policyname, count(*) from pg_policies where schemaname = '{fixture_postgres}'"
            " group by policyname",
        )
    )
    assert policies["chargeback_viewer_scope"] == policies["chargeback_staff_read"] >= 25
    # a viewer cannot read staff-only tables at all; the auditor cannot write anything
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        as_role("viewer_dps", f"select * from {schema}.fct_feed_reconciliation")
    with pytest.raises(
        (psycopg2.errors.InsufficientPrivilege, psycopg2.errors.ReadOnlySqlTransaction)
    ):
        as_role(
            "auditor",
            f'delete from "{fixture_postgres}_register".issued_invoices returning 1',
        )


def test_principal_from_grants():
    staff = access.principal_from_grants("auditor", [("auditor", None, None)])
    assert staff.is_staff and not staff.can_issue_documents and staff.grants == ()
    viewer = access.principal_from_grants(
        "v", [("viewer", "C03", "DOT-200"), ("viewer", "C01", None), ("viewer", "C03", "DOT-100")]
    )
    assert viewer.grants == (("C01", None), ("C03", "DOT-100"), ("C03", "DOT-200"))
    assert viewer.customer_ids == ("C01", "C03")
    assert viewer.whole_customer_ids == ("C01",)
    assert viewer.describe() == "v (viewer: C01, C03/DOT-100, C03/DOT-200)"
    with pytest.raises(access.AccessDenied, match="has no access"):
        access.principal_from_grants("x", [])
    with pytest.raises(access.AccessDenied, match="conflicting roles"):
        access.principal_from_grants("x", [("viewer", "C01", None), ("auditor", None, None)])


def test_viewer_catalog_only_holds_customer_marts():
    relations = {
        ("main", "fct_invoices"): {"invoice_id", "customer_id"},
        ("main", "fct_rated_usage"): {"usage_id", "customer_id", "cost_center_id"},
        ("main", "fct_feed_reconciliation"): {"feed"},
        ("main", "customers"): {"customer_id"},  # a seed, not a mart
        ("main_raw", "ru_usage"): {"_file_id"},
        ("main_raw", "landing_manifest"): {"file_id"},
    }
    statements = access.viewer_catalog_statements("main", "main_raw", relations)
    views = [s.split(" as ")[0] for s in statements if s.startswith("create view")]
    assert views == [
        'create view "main"."fct_invoices"',
        'create view "main"."fct_rated_usage"',
        'create view "main_raw"."ru_usage"',
    ]
    usage = next(s for s in statements if '"fct_rated_usage" as' in s)
    assert "(scoped.customer_id, scoped.cost_center_id) in" in usage
    invoices = next(s for s in statements if '"fct_invoices" as' in s)
    assert "scoped.cost_center_id" not in invoices
