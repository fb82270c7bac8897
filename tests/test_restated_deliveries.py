"""Restated cloud deliveries (docs/restated-deliveries.md): the latest delivery of a
(provider, billing account, billing period) supersedes the earlier ones.

On the hand-computed fixture (tests/expected.py), AWS re-delivers February 2026 in a folder
of its own, as AWS Data Exports do, after the first delivery (focus/aws) was landed:
  EC2, dps-operations     10.00  (unchanged)
  S3, DOT, untagged        6.50  (was 5.50)
  Lambda, sandbox          2.25  (unchanged, unallocated)
  EC2, dps-operations      8.00  (was 7.123456789012, 71 -> 80 hours)
  the -1.00 EC2 credit is no longer there.
The restated delivery bills 26.75 of BilledCost (24.50 rated, 2.25 unallocated); the first
delivery's 5 valid records (23.873456789012) are superseded, billed by no invoice. At the
FY2026 pass-through factor 1.02:
  C01: EC2 usage (10.00 + 8.00) x 1.02 = 18.36 instead of 17.47, and no -1.02 credit:
       910.21 - 17.47 + 1.02 + 18.36 = 912.12;
  C03: S3 6.50 x 1.02 = 6.63 instead of 5.61: 589.56 + 1.02 = 590.58.
Once February is closed, the same restatement is a PPA on the next open invoice:
C01 +1.91, C03 +1.02.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from . import expected
from .test_month_end_close import Warehouse

HEADER = (
    "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ProviderName,"
    "ServiceName,ServiceCategory,SkuId,PricingQuantity,PricingUnit,SubAccountId,"
    "SubAccountName,Tags\n"
)
RESTATED = HEADER + (
    "10.00,USD,Usage,2026-02-03 00:00:00,2026-02-04 00:00:00,AWS,Amazon Elastic Compute Cloud,"
    "Compute,SKU-EC2,100,Hours,400000000001,DPS AWS production,"
    '"{""department"": ""dps-operations"", ""project"": ""p1"", ""application"": ""a1""}"\n'
    "6.50,USD,Usage,2026-02-04 00:00:00,2026-02-05 00:00:00,AWS,Amazon Simple Storage Service,"
    "Storage,SKU-S3,200,GB-Mo,400000000003,DOT AWS production,\n"
    "2.25,USD,Usage,2026-02-06 00:00:00,2026-02-07 00:00:00,AWS,AWS Lambda,Compute,SKU-LAMBDA,"
    "1000,Requests,499999999999,Shared sandbox,\n"
    "8.00,USD,Usage,2026-02-07 00:00:00,2026-02-08 00:00:00,AWS,Amazon Elastic Compute Cloud,"
    "Compute,SKU-EC2,80,Hours,400000000001,DPS AWS production,"
    '"{""department"": ""dps-operations""}"\n'
)
RESTATED_FOLDER = "focus/aws/restated-2026-03-02"


def deliver_restatement(w: Warehouse) -> None:
    folder = w.landing / RESTATED_FOLDER
    folder.mkdir(parents=True)
    (folder / "focus_aws_2026-02.csv").write_text(RESTATED)
    w.land()


@pytest.mark.parametrize("target", ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_latest_delivery_is_billed_once(target, tmp_path, monkeypatch, request):
    fixture = "fixture_duckdb" if target == "duckdb" else "fixture_postgres_dump"
    built = request.getfixturevalue(fixture)
    w = Warehouse(tmp_path, target, monkeypatch, built)
    try:
        deliver_restatement(w)
        w.build(tests=target == "duckdb")  # a plain build; on DuckDB with every dbt test
        deliveries = w.q(
            "select delivery_id, provider_name, billing_account_key, billing_period, "
            "valid_rows, billed_cost, is_in_force, superseded_by_delivery_id "
            "from {s}fct_cloud_deliveries order by delivery_id"
        )
        assert [(*r[:3], str(r[3]), *r[4:]) for r in deliveries] == [
            ("focus/aws", "AWS", "", "2026-02-01", 5, Decimal("23.873456789012"), False,
             RESTATED_FOLDER),
            (RESTATED_FOLDER, "AWS", "", "2026-02-01", 4, Decimal("26.75"), True, None),
        ]  # fmt: skip
        # what February bills from AWS is the restated delivery's BilledCost, whole
        billed = w.q(
            "select sum(source_cost) from {s}fct_rated_usage where feed = 'cloud' "
            "and billing_month = '2026-02-01'"
        )
        assert billed == [(Decimal("26.75"),)]
        totals = dict(w.q("select invoice_id, total_amount from {s}fct_invoices"))
        assert totals["C01-202602"] == Decimal("912.12")
        assert totals["C03-202602"] == Decimal("590.58")
        unchanged = {
            k: v for k, v in expected.INVOICE_TOTALS.items() if k[:3] not in ("C01", "C03")
        }
        assert {k: totals[k] for k in unchanged} == unchanged
        # every record is accounted for: the first delivery's valid ones as superseded
        reconciliation = w.q(
            "select source_file, landed_rows, superseded_rows, superseded_source_cost, "
            "is_balanced from {s}fct_landing_reconciliation where feed = 'cloud' order by 1"
        )
        assert reconciliation == [
            ("focus/aws/focus_aws_2026-02.csv", 9, 5, Decimal("23.873456789012"), True),
            (f"{RESTATED_FOLDER}/focus_aws_2026-02.csv", 4, 0, Decimal("0"), True),
        ]
    finally:
        if w.schema:
            from .conftest import drop_pg_schemas

            drop_pg_schemas(w.schema)


def test_a_restated_closed_month_becomes_a_prior_period_adjustment(
    fixture_duckdb, tmp_path, monkeypatch
):
    w = Warehouse(tmp_path, "duckdb", monkeypatch, fixture_duckdb)
    for period in ("2025-08", "2026-02", "2026-03"):
        assert w.close(period).startswith("ok: ")
        w.rebuild_after_close()
    before = w.issued()
    deliver_restatement(w)
    w.build(tests=False)  # a plain build
    assert w.issued() == before  # issued invoices never change
    ppa = w.q(
        "select invoice_id, original_invoice_id, sum(line_amount) from {s}fct_invoice_lines "
        "where charge_type = 'ppa' group by 1, 2 order by 1"
    )
    assert ppa == [
        ("C01-202604", "C01-202602", Decimal("1.91")),
        ("C03-202604", "C03-202602", Decimal("1.02")),
    ]
