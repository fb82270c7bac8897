"""The FOCUS export of what we bill, on the hand-computed fixture, on both warehouses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .conftest import duck_query, pg_query

FOCUS_12_MANDATORY = [
    "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
    "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass",
    "ChargeDescription", "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost",
    "EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit",
    "ProviderName", "PublisherName", "ServiceCategory", "ServiceName",
]  # fmt: skip
SQL = (
    'select "InvoiceId", "ChargeCategory", "SkuId", "BilledCost", "ListCost", "x_RateVersion" '
    '{frm} where "InvoiceId" = \'C01-202602\' order by "SkuId", "ChargeCategory", "x_RateVersion"'
)
EXPECTED = [  # tests/expected.py: C01, February 2026; ListCost = 1.02 x 17.123456789012 to 12 dp
    ("C01-202602", "Credit", "CLOUD-AWS", Decimal("-1.02"), Decimal("-1.02"), "FY2026"),
    ("C01-202602", "Usage", "CLOUD-AWS", Decimal("17.47"), Decimal("17.465925924792"), "FY2026"),
    ("C01-202602", "Usage", "LAB-ONSITE", Decimal("294.00"), Decimal("294"), "FY2026"),
    ("C01-202602", "Usage", "LAB-PHONE", Decimal("408.00"), Decimal("408"), "FY2026"),
    ("C01-202602", "Usage", "LAB-PREVENT", Decimal("160.00"), Decimal("160"), "FY2026"),
    ("C01-202602", "Usage", "SRV-VM-STD", Decimal("8.50"), Decimal("8.5"), "FY2026"),
    ("C01-202602", "Usage", "STO-T1-GBM", Decimal("8.04"), Decimal("8.04"), "FY2026"),
    ("C01-202602", "Usage", "STO-T1-GBM", Decimal("15.22"), Decimal("15.219"), "FY2026.1"),
]


def normalise(rows):
    return [tuple(v.normalize() if isinstance(v, Decimal) else v for v in r) for r in rows]


def check(columns: list[str], rows: list[tuple]) -> None:
    missing = [c for c in FOCUS_12_MANDATORY if c not in columns]
    assert missing == []
    extras = columns[columns.index("SkuPriceId") + 1 :]
    assert extras and all(c.startswith("x_") for c in extras)  # x_ columns come last
    assert normalise(rows) == normalise(EXPECTED)
    assert sum(r[3] for r in rows) == Decimal("910.21")


def test_focus_export_on_duckdb(fixture_duckdb):
    columns = [r[0] for r in duck_query(fixture_duckdb, "describe fct_focus_charges")]
    check(columns, duck_query(fixture_duckdb, SQL.format(frm="from fct_focus_charges")))


@pytest.mark.postgres
def test_focus_export_on_postgres(fixture_postgres):
    columns = [
        r[0]
        for r in pg_query(
            "select column_name from information_schema.columns "
            "where table_schema = %s and table_name = 'fct_focus_charges' "
            "order by ordinal_position",
            (fixture_postgres,),
        )
    ]
    rows = pg_query(SQL.format(frm=f'from "{fixture_postgres}".fct_focus_charges'))
    check(columns, rows)


EURO_SQL = (
    'select "ChargeCategory", "SkuId", "BillingCurrency", "BilledCost", "ListCost", '
    '"x_RateCurrency", "x_FxRate", "x_ContractId" {frm} '
    'where "InvoiceId" = \'C21-202602\' order by "BilledCost"'
)
EURO_EXPECTED = [  # tests/expected.py, C21: priced in USD, billed in EUR at 0.85, TVA 20 %
    ("Usage", "STO-T1-GBM", "EUR", Decimal("3.40"), Decimal("3.4"), "USD", Decimal("0.85"), None),
    ("Usage", "SRV-VM-STD", "EUR", Decimal("3.61"), Decimal("3.6125"), "USD", Decimal("0.85"),
     None),
    ("Tax", "FR-TVA-20", "EUR", Decimal("72.80"), Decimal("72.802"), "EUR", Decimal("1"), None),
    ("Purchase", "SUB-FW-MGD", "EUR", Decimal("357.00"), Decimal("357"), "USD", Decimal("0.85"),
     "K-C21-FW"),
]  # fmt: skip


def test_focus_rows_of_a_euro_invoice_with_tva_on_duckdb(fixture_duckdb):
    rows = duck_query(fixture_duckdb, EURO_SQL.format(frm="from fct_focus_charges"))
    assert normalise(rows) == normalise(EURO_EXPECTED)


@pytest.mark.postgres
def test_focus_rows_of_a_euro_invoice_with_tva_on_postgres(fixture_postgres):
    rows = pg_query(EURO_SQL.format(frm=f'from "{fixture_postgres}".fct_focus_charges'))
    assert normalise(rows) == normalise(EURO_EXPECTED)
