"""The month-end close scenario of test_month_end_close.py, on PostgreSQL: the same tests,
in a module of their own so that pytest-xdist (`--dist loadfile`) runs this scenario and
the DuckDB one at once, on its two workers. (The Dagster close job is tested on DuckDB.)"""

from __future__ import annotations

import pytest

from .test_month_end_close import (  # noqa: F401  (collected here, with this module's `closed`)
    scenario_seen,
    test_an_approved_dispute_is_billed_as_a_ppa_with_interest,
    test_bank_payments_are_matched_and_receivables_aged,
    test_closing_april_issues_the_adjustments_once,
    test_corrections_are_prior_period_adjustments_with_interest,
    test_issued_invoices_never_change_even_on_a_full_rebuild,
    test_months_close_in_order_with_gapless_numbers,
    test_the_feed_reconciliation_explains_the_late_usage,
)

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def closed(request, tmp_path_factory) -> dict:
    """The scenario on PostgreSQL."""
    return scenario_seen(request, tmp_path_factory, "postgres")
