"""Invoice totals for tests/fixtures/landing, computed by hand (rate cards in seeds/rate_cards.csv).

Cloud rows are billed at BilledCost x the FY2026 pass-through factor 1.02 (CLOUD-AWS).
C01 (Department of Public Safety), February 2026:
  AWS EC2 usage, tag dps-operations: (10.00 + 7.123456789012) x 1.02
      = 10.20 + 7.265925924792 = 17.465925924792            -> 17.47
  AWS EC2 credit, tag dps-operations: -1.00 x 1.02          -> -1.02
  SRV-VM-STD FY2026 4.25 x 2 server-days (RU-1, RU-2)       ->  8.50
  STO-T1-GBM FY2026 0.080 x 100.5 GB-month (10 Feb)         ->  8.04
  STO-T1-GBM FY2026.1 0.076 x 200.25 GB-month (20 Feb,
      the mid-month rate change of 15 Feb) = 15.219          -> 15.22
  LAB-PHONE 68 x (3 + 3) h                                  -> 408.00
  LAB-ONSITE 98 x 3 h                                       -> 294.00
  LAB-PREVENT 80 x 2 h                                      -> 160.00
  total                                                        910.21
C01, August 2025: RU-14 arrived late in the February file; billed in its own month at
  FY2025 SRV-VM-STD 4.50                                    ->   4.50
C03 (Department of Transportation), February 2026:
  AWS S3 untagged, sub-account owned by DOT-100: 5.50 x 1.02 ->  5.61
  MF-CPU-HR FY2026 121 x 2.5 CPU-hours                      -> 302.50
  LAB-ONSITE 98 x 3 h, night shift (x1.5) at Site B (x1.1):
      98 x 3 x 1.65 = 485.10 (seeds/labour_rate_modifiers.csv) -> 485.10
  Labour contract (seeds/labour_contracts.csv): monthly fee  -> 150.00
  2 included hours of that activity credited: 2 x 98 x 1.65 -> -323.40
      (the third hour is the overage; an allowance alert is raised)
  SLA credit (seeds/sla_targets.csv SLA-C03-MF): the mainframe was available 99.50 % of
      February (tests/fixtures/landing/sla), below the 99.90 % target but not the 99.00 %
      tier: 10 % of the month's mainframe charges, 302.50 x 10 % -> -30.25
  total                                                        589.56
C21 (Agence Régionale du Numérique, Lyon), February 2026, billed in EUR by SDCS Europe SAS
  with French TVA. Priced in USD, converted at the USD->EUR rate of the month's last day
  (28 Feb 2026 is a Saturday: the latest rate before it, 27 Feb, 0.8500), each line
  rounded once:
  SRV-VM-STD FY2026 4.25 x 1 server-day = 4.25 USD x 0.85 = 3.6125 EUR  ->   3.61
  STO-T1-GBM FY2026 0.080 x 50 GB-month (12 Feb) = 4.00 USD x 0.85     ->   3.40
  Managed firewall subscription (seeds/contracts.csv K-C21-FW) from 15 Feb: FY2026
      840.00 x 1 x 14 of 28 days = 420.00 USD x 0.85                   -> 357.00
  net                                                                     364.01
  TVA 20 % on the net total: 72.802                                   ->  72.80
  total                                                                   436.81 EUR
Unallocated: AWS Lambda on the unowned sandbox account, 2.25 x 1.02 = 2.295 -> 2.30
"""

from decimal import Decimal

INVOICE_TOTALS = {
    "C01-202602": Decimal("910.21"),
    "C01-202508": Decimal("4.50"),
    "C03-202602": Decimal("589.56"),
    "C21-202602": Decimal("436.81"),
}
# invoice: (currency, net, tax, total)
INVOICE_TAX = {
    "C01-202602": ("USD", Decimal("910.21"), Decimal("0.00"), Decimal("910.21")),
    "C01-202508": ("USD", Decimal("4.50"), Decimal("0.00"), Decimal("4.50")),
    "C03-202602": ("USD", Decimal("589.56"), Decimal("0.00"), Decimal("589.56")),
    "C21-202602": ("EUR", Decimal("364.01"), Decimal("72.80"), Decimal("436.81")),
}
INVOICE_LINE_COUNTS = {"C01-202602": 8, "C01-202508": 1, "C03-202602": 6, "C21-202602": 4}
UNALLOCATED_AMOUNT = Decimal("2.30")

# per feed: (landed, rated, unallocated, quarantined, duplicates)
ROW_COUNTS = {
    "cloud": (9, 4, 1, 3, 1),
    "ru": (18, 8, 0, 9, 1),
    "labour": (7, 5, 0, 2, 0),
}

QUARANTINE_REASONS = {
    "INVALID_TAGS": 1,
    "UNKNOWN_PROVIDER": 1,
    "INVALID_COST": 1,
    "NEGATIVE_QUANTITY": 1,
    "UNKNOWN_SKU": 2,
    "UNKNOWN_COST_CENTER": 1,
    "INVALID_DATE": 1,
    "MALFORMED_LINE": 1,
    "ABSURD_QUANTITY": 2,
    "UNIT_MISMATCH": 1,
    "INVALID_QUANTITY": 1,
    "NO_RATE": 1,
}

# Cloud BilledCost that parses as a number: 10 + 5.5 - 1 + 2.25 + 10 + 3 + 4 + 7.123456789012
CLOUD_SOURCE_COST = {
    "landed": Decimal("40.873456789012"),
    "rated": Decimal("21.623456789012"),
    "unallocated": Decimal("2.25"),
    "quarantined": Decimal("7"),
    "duplicate": Decimal("10"),
}

# Disputes (tests/fixtures/landing/disputes: two ServiceNow exports; seeds/dispute_entries.csv;
# seeds/dispute_approvals.csv). The dispute clock is the latest recorded time, DM-0001's
# 2026-10-07 14:20. SLA targets by priority (seeds/dispute_sla_targets.csv), hours from opening:
#   DSP0001001 (3 - Moderate: 24 / 120 / 240 h) opened 03-04 09:00, acknowledged 11:30 (2.50 h),
#     investigated 03-06 16:00 (55.00 h), resolved 03-09 15:00 (126.00 h): all met. A credit
#     memo of 294.00 USD above the 250.00 threshold, approved only by its maker: refused.
#   DSP0001002 (2 - High: 8 / 48 / 120 h) opened 03-04 08:00, acknowledged 12:00 (4.00 h),
#     investigated and resolved 03-07 10:00 (74.00 h): investigation breached. Rejected.
#   DSP0001003 (4 - Low: 48 h) opened 03-05 14:00, never acknowledged: 216 days and 20 minutes
#     to the clock = 5,184.33 h, breached; listed unchanged in both exports (one duplicate).
#   DSP0001004: customer C99 does not exist: quarantined.
#   DM-0001 (manual, 3) opened 10-07 11:45, acknowledged 14:20 (2.58 h): running.
# id: (state, owner, ack, ack h, investigation, inv h, resolution, res h, approval, billed)
DISPUTES = {
    "DM-0001": ("acknowledged", "a.rivera", "met", "2.58", "running", "2.58", "running", "2.58",
                "awaiting_resolution", False),
    "DSP0001001": ("resolved", "a.rivera", "met", "2.50", "met", "55.00", "met", "126.00",
                   "refused", False),
    "DSP0001002": ("closed", "b.chen", "met", "4.00", "breached", "74.00", "met", "74.00",
                   "not_required", False),
    "DSP0001003": ("new", None, "breached", "5184.33", "breached", "5184.33", "breached",
                   "5184.33", "awaiting_resolution", False),
}  # fmt: skip
REFUSAL = (
    "Refused: a credit memo of 294.00 USD is above the materiality threshold of 250.00 USD and "
    "needs a second approver who is not its maker (a.rivera): the only approval is by the maker"
)
# SLA credits (tests/fixtures/landing/sla; seeds/sla_targets.csv, sla_credit_tiers.csv):
# sla: (status, measured, credit percent, charged, credit)
SLA_CREDITS = {
    "SLA-C01-SD": ("met", "12.5000", "0.0000", "862.00", "0.00"),  # 408 + 294 + 160
    "SLA-C03-MF": ("breached", "99.5000", "10.0000", "302.50", "30.25"),
    "SLA-C21-FW": ("not_measured", None, "0.0000", "357.00", "0.00"),
}
# per feed: (landed, accepted, quarantined, duplicates)
OTHER_FEED_ROWS = {"disputes": (7, 5, 1, 1), "sla": (5, 2, 2, 1)}
