"""Contracts as analysts edit them (seeds/contracts.csv): a bad edit fails the build and
names the row; a new contract changes exactly the invoice it applies to. Each test works
on a copy of the dbt project and seeds, and of the built fixture warehouse, and rebuilds what
depends on the contracts."""

from __future__ import annotations

import os
from decimal import Decimal

from .conftest import dbt, duck_query, edit_seed, failing_tests

# the contract seeds and everything built from them
CONTRACTS = ("--select", "contracts+", "contract_tiers+")
APPROVED = {"currency": "USD", "approved_by": "cfo.office", "approved_at": "2026-01-20 10:00:00"}


def contract(**terms) -> dict:
    return {**APPROVED, **terms}


def test_a_bad_contract_edit_fails_the_build(project):
    def contracts(rows):
        return [
            *rows,
            # an unapproved contract
            contract(contract_id="K-DRAFT", customer_id="C01", billing_model="bundle",
                     discount_percent="5", effective_from="2026-01-01", approved_by=""),
            # a second firewall subscription of C21 overlapping K-C21-FW: billed twice
            contract(contract_id="K-C21-FW2", customer_id="C21", billing_model="subscription",
                     sku_id="SUB-FW-MGD", quantity="1", effective_from="2026-02-20"),
            # an upgrade that leaves 15 June unbilled
            contract(contract_id="K-C07-DB3", customer_id="C07", billing_model="subscription",
                     sku_id="SUB-DB-GOLD", quantity="1", replaces_contract_id="K-C07-DB1",
                     effective_from="2026-06-16", effective_to="2026-06-30"),
        ]  # fmt: skip

    def tiers(rows):  # a fourth tier after K-C02-STO's open-ended third one
        tier = {"contract_id": "K-C02-STO", "tier_number": "4", "lower_bound": "1",
                "upper_bound": "", "unit_price": "0.01", "discount_percent": ""}  # fmt: skip
        return [*rows, tier]

    edit_seed(project, "contracts", contracts)
    edit_seed(project, "contract_tiers", tiers)
    result = dbt(project, "build", "--store-failures", *CONTRACTS)
    assert result.returncode != 0
    assert failing_tests(result.stdout) == {
        "assert_contracts_are_approved_and_complete",
        "assert_subscriptions_have_no_gaps_or_overlaps",
        "assert_contract_tiers_are_contiguous",
    }
    assert "OK created sql table model main.fct_invoices" not in result.stdout
    # the failing rows say what to fix
    problems = {
        row[0]
        for test in failing_tests(result.stdout)
        for row in duck_query(
            os.environ["CHARGEBACK_DUCKDB_PATH"], f"select problem from main_dbt_test__audit.{test}"
        )
    }
    assert problems == {
        "contract K-DRAFT: not approved: set approved_by and approved_at (seeds/contracts.csv)",
        "subscription K-C21-FW overlaps K-C21-FW2 for SUB-FW-MGD (seeds/contracts.csv)",
        "subscription K-C07-DB2 overlaps K-C07-DB3 for SUB-DB-GOLD (seeds/contracts.csv)",
        "subscription K-C07-DB3 starts on 2026-06-16 but K-C07-DB1 ends on 2026-06-14: the "
        "replacement must start the next day (seeds/contracts.csv)",
        "contract K-C02-STO tier 3: only the last tier may be open-ended",
        "contract K-C02-STO tier 4: starts at 1.0000 but the previous tier ends at no limit",
    }


def test_a_new_contract_changes_exactly_the_invoice_it_applies_to(project):
    db = os.environ["CHARGEBACK_DUCKDB_PATH"]  # the built fixture
    totals_sql = "select invoice_id, total_amount from fct_invoices"
    before = dict(duck_query(db, totals_sql))
    lines_before = dict(
        duck_query(db, "select invoice_line_id, line_amount from fct_invoice_lines")
    )

    def contracts(rows):  # C01: 5 % off a month above 500.00 of spend, from February 2026
        new = contract(contract_id="K-C01-DISC", customer_id="C01",
                       billing_model="discount_tiers", effective_from="2026-02-01")  # fmt: skip
        return [*rows, new]

    def tiers(rows):
        return [
            *rows,
            {"contract_id": "K-C01-DISC", "tier_number": "1", "lower_bound": "0",
             "upper_bound": "500", "unit_price": "", "discount_percent": "0"},
            {"contract_id": "K-C01-DISC", "tier_number": "2", "lower_bound": "500",
             "upper_bound": "", "unit_price": "", "discount_percent": "5"},
        ]  # fmt: skip

    edit_seed(project, "contracts", contracts)
    edit_seed(project, "contract_tiers", tiers)
    result = dbt(project, "build", *CONTRACTS)
    assert result.returncode == 0, result.stdout[-3000:]
    after = dict(duck_query(db, totals_sql))
    # C01's February spend, unrounded: 17.465925924792 - 1.02 + 8.50 + 8.04 + 15.219 + 408
    # + 294 + 160 = 910.204925924792; 5 % of it = 45.5102462962396 -> a -45.51 line.
    # C01's August 2025 invoice (4.50, under 500 and before the contract) does not change.
    assert {k: v for k, v in after.items() if before[k] != v} == {
        "C01-202602": Decimal("910.21") - Decimal("45.51")
    }
    lines_after = dict(duck_query(db, "select invoice_line_id, line_amount from fct_invoice_lines"))
    assert {k: v for k, v in lines_before.items() if lines_after.get(k) != v} == {}
    new = {k: v for k, v in lines_after.items() if k not in lines_before}
    assert list(new.values()) == [Decimal("-45.51")]
