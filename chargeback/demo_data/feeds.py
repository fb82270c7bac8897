"""The three feeds, the file series they are written as, and the columns of each feed."""

from __future__ import annotations

FEEDS = ("cloud", "ru", "labour")
#: file series in generation order: (series, feed, numeric stream id)
SERIES = (("aws", "cloud", 1), ("microsoft", "cloud", 2), ("ru", "ru", 3), ("labour", "labour", 4))
SERIES_ID = {s: i for s, _, i in SERIES}

FOCUS_COLUMNS = [
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodStart",
    "BillingPeriodEnd",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "ListUnitPrice",
    "PricingCategory",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "RegionId",
    "RegionName",
    "ResourceId",
    "ResourceName",
    "ResourceType",
    "ServiceCategory",
    "ServiceName",
    "SkuId",
    "SkuPriceId",
    "SubAccountId",
    "SubAccountName",
    "Tags",
]
RU_COLUMNS = ["record_id", "usage_date", "cost_center_id", "sku_id", "asset_id", "quantity", "unit"]
LABOUR_COLUMNS = [
    "ticket_id",
    "activity_id",
    "technician_id",
    "activity_date",
    "activity_code",
    "activity_type",
    "site",
    "shift",
    "hours",
    "cost_center_id",
]
FEED_COLUMNS = {"cloud": FOCUS_COLUMNS, "ru": RU_COLUMNS, "labour": LABOUR_COLUMNS}
