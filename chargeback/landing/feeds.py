"""The landing feeds: where their files are and which columns their raw tables hold.

Raw tables keep every value as text, exactly as it was in the file. Typing, validation and
quarantine are dbt's job (staging and intermediate models), not Python's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

# FOCUS 1.0 to 1.2 column names. A file may carry any subset; anything else lands in `_extra`.
FOCUS_COLUMNS = (
    "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName",
    "BillingAccountType", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
    "CapacityReservationId", "CapacityReservationStatus", "ChargeCategory", "ChargeClass",
    "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
    "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName",
    "CommitmentDiscountQuantity", "CommitmentDiscountStatus", "CommitmentDiscountType",
    "CommitmentDiscountUnit", "ConsumedQuantity", "ConsumedUnit", "ContractedCost",
    "ContractedUnitPrice", "EffectiveCost", "InvoiceId", "InvoiceIssuerName", "ListCost",
    "ListUnitPrice", "PricingCategory", "PricingCurrency", "PricingQuantity", "PricingUnit",
    "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName",
    "ResourceType", "ServiceCategory", "ServiceName", "ServiceSubcategory", "SkuId",
    "SkuMeter", "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName",
    "SubAccountType", "Tags",
)  # fmt: skip

RU_COLUMNS = ("record_id", "usage_date", "cost_center_id", "sku_id", "asset_id", "quantity", "unit")

LABOUR_COLUMNS = (
    "ticket_id", "activity_id", "technician_id", "activity_date", "activity_code",
    "activity_type", "site", "shift", "hours", "cost_center_id",
)  # fmt: skip

# Bank statement lines (for example a camt.053 export flattened to CSV): SEPA credit
# transfers carry the remittance information the payer typed, usually the invoice number.
BANK_COLUMNS = (
    "booking_date", "value_date", "amount", "currency", "credit_debit", "debtor_name",
    "debtor_iban", "remittance_information", "end_to_end_id", "bank_reference",
)  # fmt: skip

# Billing disputes exported from ServiceNow (a billing-dispute request table, CSV export with
# field names as headers, display values, timestamps in UTC). Each export holds the current
# version of every dispute it lists: landing successive exports keeps every version.
DISPUTE_COLUMNS = (
    "number", "sys_id", "opened_at", "opened_by", "company", "u_billing_period",
    "u_invoice_number", "short_description", "u_disputed_amount", "u_currency", "priority",
    "state", "assigned_to", "assignment_group", "u_acknowledged_at",
    "u_investigation_completed_at", "resolved_at", "resolved_by", "u_root_cause", "u_outcome",
    "u_resolution_amount", "close_notes", "sys_updated_on", "sys_updated_by",
)  # fmt: skip

# Measured service levels per month: availability (percent of the month a service was up)
# or response time (minutes), for one customer or for the whole service (customer_id blank).
SLA_COLUMNS = (
    "measurement_id", "service_name", "customer_id", "period", "metric", "measured_value",
    "unit", "source_system",
)  # fmt: skip

# Lineage columns that the loader adds in front of every raw table.
LINEAGE_COLUMNS = (
    ("_file_id", "varchar"),  # sha256 of the file's bytes: the key of landing_manifest
    ("_source_file", "varchar"),  # path relative to the landing folder
    ("_source_row", "bigint"),  # 1-based record number after the header
    ("_source_line", "bigint"),  # 1-based physical line where the record starts (header = 1)
    ("_loaded_at", "timestamp"),  # UTC time of the landing transaction
    ("_parse_error", "varchar"),  # null, or why the line could not be split into columns
    ("_raw_line", "varchar"),  # the line's original text, kept only when _parse_error is set
    ("_extra", "varchar"),  # JSON object of columns the feed does not know (e.g. a stray Id)
)


def snake_case(name: str) -> str:
    """`BilledCost` -> `billed_cost`, `x_Foo Bar` -> `x_foo_bar`."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    name = re.sub(r"[^0-9a-zA-Z]+", "_", name)
    return name.strip("_").lower()


@dataclass(frozen=True)
class Feed:
    name: str  # feed key, also used in dbt (`feed` column)
    table: str  # raw table name, in the raw schema
    folder: str  # sub-folder of the landing folder; files are found recursively
    columns: tuple[str, ...]  # snake_case raw column names, all text
    description: str
    # the columns a file must have to be landed (refusals.py); the others may be absent
    required: tuple[str, ...] = ()
    # how many physical lines one record may span (a newline inside quotes); records.py
    max_record_lines: int = 1

    @property
    def column_set(self) -> frozenset[str]:
        return frozenset(self.columns)

    @property
    def encoding(self) -> str:
        """The feed's text encoding: UTF-8, unless CHARGEBACK_LANDING_ENCODING_<FEED> says."""
        return os.environ.get(f"CHARGEBACK_LANDING_ENCODING_{self.name.upper()}", "utf-8")


FEEDS: dict[str, Feed] = {
    feed.name: feed
    for feed in (
        Feed(
            "cloud",
            "focus_usage",
            "focus",
            tuple(snake_case(c) for c in FOCUS_COLUMNS),
            "Public cloud cost and usage exports in FOCUS 1.x format (CSV), one or more providers.",
            required=(
                "billed_cost",
                "billing_currency",
                "charge_category",
                "charge_period_start",
                "provider_name",
            ),
            max_record_lines=20,
        ),
        Feed(
            "ru",
            "ru_usage",
            "ru",
            RU_COLUMNS,
            "Data-center resource-unit meters: servers per day, storage and backup GB-months, "
            "mainframe CPU hours, network ports.",
            required=RU_COLUMNS[1:],
        ),
        Feed(
            "labour",
            "labour_activities",
            "labour",
            LABOUR_COLUMNS,
            "Service-desk technician activities on tickets: activity type, site, shift, hours.",
            required=LABOUR_COLUMNS,
        ),
        Feed(
            "bank",
            "bank_transactions",
            "bank",
            BANK_COLUMNS,
            "Bank statement lines: customer payments (SEPA credit transfers with a remittance "
            "reference) to match to issued invoices.",
            required=(
                "booking_date",
                "amount",
                "currency",
                "credit_debit",
                "remittance_information",
            ),
        ),
        Feed(
            "disputes",
            "dispute_requests",
            "disputes",
            DISPUTE_COLUMNS,
            "Billing disputes exported from ServiceNow: one row per dispute and export, so "
            "successive exports keep every version of a dispute.",
            required=(
                "number",
                "opened_at",
                "company",
                "u_billing_period",
                "u_disputed_amount",
                "state",
                "sys_updated_on",
            ),
            max_record_lines=200,
        ),
        Feed(
            "sla",
            "sla_measurements",
            "sla",
            SLA_COLUMNS,
            "Measured service levels per service and month (availability percent or response "
            "minutes), for one customer or for every customer of the service.",
            required=SLA_COLUMNS[:7],
        ),
    )
}

# The feeds of metered usage (rated and billed); the others are payments, disputes and SLAs.
USAGE_FEEDS = ("cloud", "ru", "labour")
# The landing table of each usage feed (raw rows, one per source line, with lineage columns).
USAGE_RAW_TABLES = {name: FEEDS[name].table for name in USAGE_FEEDS}

MANIFEST_TABLE = "landing_manifest"
REFUSALS_TABLE = "landing_refusals"
