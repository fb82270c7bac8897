"""Deterministic demo-data generator for the chargeback landing zone.

Writes three feeds of CSV files (cloud FOCUS 1.2 usage for AWS and Microsoft,
data-center resource units, service-desk labour) for the customers, cost centers,
cloud sub-accounts and SKUs found in the repository's ``seeds/`` folder, with a
controlled amount of injected "dirt" whose exact counts are reported in the summary.

Design notes
------------
* Determinism: every random draw comes from ``numpy.random.default_rng`` seeded with
  ``[seed, stream, month, chunk]`` (a SeedSequence entropy list); nothing depends on the
  clock, on ``hash()`` or on dict ordering of unordered containers.  The same arguments
  give byte-identical files.  (Changing ``chunk_rows`` changes the random streams, so it
  changes the data, though not its shape.)
* Bounded memory: each (feed, month) file is produced in chunks of at most
  ``CHUNK_ROWS`` lines which are written and dropped before the next chunk is built.
  Only small per-month plans, the reference fleets and the handful of lines to be
  re-emitted as next month's duplicates live longer than a chunk.
* Speed: numbers are drawn and priced with numpy (integer fixed-point money, so
  BilledCost = PricingQuantity x ContractedUnitPrice exactly); a line is the ``str.join``
  or f-string of pre-quoted pieces (for cloud, per-resource pre-joined field groups).  The
  rare rows that differ (credits, dirt) are re-split and re-joined field by field.  File
  writes and SHA-256 hashing run on a background thread (both release the GIL).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import io
import json
import os
import queue
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

# --------------------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------------------

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"

#: Most lines (clean + dirty + duplicates) held in memory for one file at a time.
CHUNK_ROWS = 25_000
#: Files with more data rows than this are split into ``_part01``, ``_part02``, ...
MAX_ROWS_PER_FILE = 500_000

DEFAULTS: dict[str, Any] = {
    "out": "data/landing",
    "seed": 42,
    "customers": 21,
    "months": 18,
    "end_month": "2026-10",
    "rows": 500_000,
    "dirt_rate": 0.01,
    "untagged_rate": 0.15,
}

FEEDS = ("cloud", "ru", "labour")
FEED_SHARES = {"ru": 0.55, "cloud": 0.40, "labour": 0.05}
AWS_SHARE_OF_CLOUD = 0.55
#: file series in generation order: (series, feed, numeric stream id)
SERIES = (("aws", "cloud", 1), ("microsoft", "cloud", 2), ("ru", "ru", 3), ("labour", "labour", 4))
SERIES_FEED = {s: f for s, f, _ in SERIES}
SERIES_ID = {s: i for s, _, i in SERIES}

DIRT_KINDS = (
    "duplicate",
    "unknown_sku",
    "negative_quantity",
    "absurd_quantity",
    "unknown_cost_center",
    "late_arriving",
    "malformed",
)
FEED_DIRT_KINDS = {
    "cloud": ("duplicate", "unknown_sku", "absurd_quantity", "late_arriving", "malformed"),
    "ru": DIRT_KINDS,
    "labour": DIRT_KINDS,
}
MALFORMED_KINDS = ("too_few_fields", "too_many_fields", "bad_number", "bad_date")
MUTATION_KINDS = ("unknown_sku", "negative_quantity", "absurd_quantity", "unknown_cost_center")

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
#: column holding the number spoiled by a ``bad_number`` malformed line, per feed
BAD_NUMBER_COLUMN = {"cloud": "BilledCost", "ru": "quantity", "labour": "hours"}
#: column holding the date spoiled by a ``bad_date`` malformed line, per feed
BAD_DATE_COLUMN = {"cloud": "ChargePeriodStart", "ru": "usage_date", "labour": "activity_date"}

UNKNOWN_COST_CENTER = "ZZZ-999"
UNKNOWN_RU_SKUS = ("SRV-UNKNOWN", "SRV-VM-XXL", "STO-T9-GBM")
UNKNOWN_LABOUR_CODE = ("TELEPATHY", "Telepathic support")
UNKNOWN_PROVIDER = "Acme Cloud"
ABSURD_CLOUD_COST = "9999999"
ABSURD_LABOUR_HOURS = "999"
BAD_NUMBER_WORDS = ("twelve", "TBD", "1.2.3", "3 hrs")

SANDBOX_ACCOUNTS = {
    "aws": ("499999999999", "Shared sandbox"),
    "microsoft": ("/subscriptions/00000000-0000-4000-8000-499999999999", "Shared sandbox"),
}
#: share of untagged cloud rows that are also moved to the (unmapped) sandbox account
SANDBOX_SHARE_OF_UNTAGGED = 0.05
CREDIT_RATE = 0.005
ADJUSTMENT_RATE = 0.0005

PROVIDERS = {
    "aws": {
        "ProviderName": "AWS",
        "PublisherName": "Amazon Web Services, Inc.",
        "InvoiceIssuerName": "Amazon Web Services, Inc.",
        "BillingAccountId": "400000000000",
        "BillingAccountName": "State Shared Services AWS Organization",
        "credit": "AWS Promotional Credit",
        "regions": (
            ("us-east-1", "US East (N. Virginia)", 0.55),
            ("us-east-2", "US East (Ohio)", 0.25),
            ("us-west-2", "US West (Oregon)", 0.20),
        ),
    },
    "microsoft": {
        "ProviderName": "Microsoft",
        "PublisherName": "Microsoft",
        "InvoiceIssuerName": "Microsoft",
        "BillingAccountId": "84000000",
        "BillingAccountName": "State Shared Services Enterprise Agreement",
        "credit": "Azure Prepayment credit",
        "regions": (
            ("southcentralus", "South Central US", 0.60),
            ("eastus", "East US", 0.25),
            ("centralus", "Central US", 0.15),
        ),
    },
}


@dataclass(frozen=True)
class CloudSku:
    service_name: str
    service_category: str
    resource_type: str
    sku_id: str
    sku_price_id: str
    pricing_unit: str
    list_price: str  # decimal string; quantity decimals + price decimals == 10
    contracted_price: str
    qty_decimals: int
    qty_model: str  # hours | gbmo | gb | requests
    weight: float
    description: str
    resource_id: str  # template with {acct} {region} {hex} {n} {code} {app}
    resource_name: str


def _aws_sku(svc, cat, rtype, sku, unit, lp, cp, qd, model, w, desc, rid, rname) -> CloudSku:
    return CloudSku(
        svc,
        cat,
        rtype,
        sku,
        f"{sku}.JRTCKXETXF.6YS6EN2CT7",
        unit,
        lp,
        cp,
        qd,
        model,
        w,
        desc,
        rid,
        rname,
    )


def _ms_sku(svc, cat, rtype, sku, unit, lp, cp, qd, model, w, desc, rid, rname) -> CloudSku:
    return CloudSku(
        svc, cat, rtype, sku, f"{sku}/0001", unit, lp, cp, qd, model, w, desc, rid, rname
    )


_EC2 = "Amazon Elastic Compute Cloud"
_VM_RID = "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Compute/virtualMachines/"
CLOUD_SKUS: dict[str, tuple[CloudSku, ...]] = {
    "aws": (
        _aws_sku(
            _EC2,
            "Compute",
            "Instance",
            "8VCNEHQMSCQS4P39",
            "Hours",
            "0.096000",
            "0.084480",
            4,
            "hours",
            22,
            "$0.096 per On Demand Linux m5.large Instance Hour",
            "arn:aws:ec2:{region}:{acct}:instance/i-{hex}",
            "{code}-{app}-ec2-{n}",
        ),
        _aws_sku(
            _EC2,
            "Compute",
            "Instance",
            "Q4RDCCY2Z6J7DEWP",
            "Hours",
            "0.252000",
            "0.221760",
            4,
            "hours",
            8,
            "$0.252 per On Demand Linux r5.xlarge Instance Hour",
            "arn:aws:ec2:{region}:{acct}:instance/i-{hex}",
            "{code}-{app}-ec2-{n}",
        ),
        _aws_sku(
            _EC2,
            "Storage",
            "Volume",
            "XWCTMRRUJM7TGYST",
            "GB-Mo",
            "0.080000",
            "0.072000",
            4,
            "gbmo",
            14,
            "$0.08 per GB-month of General Purpose SSD (gp3) provisioned storage",
            "arn:aws:ec2:{region}:{acct}:volume/vol-{hex}",
            "{code}-{app}-vol-{n}",
        ),
        _aws_sku(
            "Amazon Simple Storage Service",
            "Storage",
            "Bucket",
            "WP9ANXZGBYYSGJEA",
            "GB-Mo",
            "0.023000",
            "0.021850",
            4,
            "gbmo",
            12,
            "$0.023 per GB - first 50 TB / month of storage used",
            "arn:aws:s3:::{code}-{app}-{n}",
            "{code}-{app}-{n}",
        ),
        _aws_sku(
            "Amazon Relational Database Service",
            "Databases",
            "DB Instance",
            "QMCAWV5TNZ6MCNQE",
            "Hours",
            "0.178000",
            "0.160200",
            4,
            "hours",
            10,
            "$0.178 per RDS db.m5.large Single-AZ instance hour (or partial hour) "
            "running PostgreSQL",
            "arn:aws:rds:{region}:{acct}:db:{code}-{app}-db-{n}",
            "{code}-{app}-db-{n}",
        ),
        _aws_sku(
            "AWS Lambda",
            "Compute",
            "Function",
            "TG3ZQJD8JYPVQZKR",
            "Requests",
            "0.0000002000",
            "0.0000002000",
            0,
            "requests",
            6,
            "AWS Lambda - Total Requests - US East (N. Virginia)",
            "arn:aws:lambda:{region}:{acct}:function:{code}-{app}-fn-{n}",
            "{code}-{app}-fn-{n}",
        ),
        _aws_sku(
            "Amazon Virtual Private Cloud",
            "Networking",
            "NAT Gateway",
            "M2YSHUBETB3JX4M4",
            "Hours",
            "0.045000",
            "0.045000",
            4,
            "hours",
            5,
            "$0.045 per NAT Gateway Hour",
            "arn:aws:ec2:{region}:{acct}:natgateway/nat-{hex}",
            "{code}-{app}-nat-{n}",
        ),
        _aws_sku(
            "Amazon CloudFront",
            "Networking",
            "Distribution",
            "6SAXW5Z7UZ7VEM7U",
            "GB",
            "0.085000",
            "0.080750",
            4,
            "gb",
            4,
            "$0.085 per GB - first 10 TB / month data transfer out (United States)",
            "arn:aws:cloudfront::{acct}:distribution/E{hex}",
            "{code}-{app}-cdn-{n}",
        ),
    ),
    "microsoft": (
        _ms_sku(
            "Virtual Machines",
            "Compute",
            "Virtual machine",
            "DZH318Z0BQ4L/00G1",
            "1 Hour",
            "0.096000",
            "0.086400",
            4,
            "hours",
            22,
            "Virtual Machines Dsv5 Series - D2s v5 - US South Central",
            _VM_RID + "vm-{code}-{n}",
            "vm-{code}-{n}",
        ),
        _ms_sku(
            "Virtual Machines",
            "Compute",
            "Virtual machine",
            "DZH318Z0BQ5D/00F9",
            "1 Hour",
            "0.252000",
            "0.226800",
            4,
            "hours",
            8,
            "Virtual Machines Esv5 Series - E4s v5 - US South Central",
            _VM_RID + "vm-{code}-{n}",
            "vm-{code}-{n}",
        ),
        _ms_sku(
            "Storage",
            "Storage",
            "Disk",
            "DZH318Z0BP04/0087",
            "1 GB/Month",
            "0.120000",
            "0.108000",
            4,
            "gbmo",
            14,
            "Premium SSD Managed Disks - P10 LRS Disk",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Compute/disks/"
            "disk-{code}-{n}",
            "disk-{code}-{n}",
        ),
        _ms_sku(
            "Storage",
            "Storage",
            "Storage account",
            "DZH318Z0BNVX/003S",
            "1 GB/Month",
            "0.018400",
            "0.017480",
            4,
            "gbmo",
            12,
            "Blob Storage - Hot LRS Data Stored",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Storage/"
            "storageAccounts/st{code}{n}",
            "st{code}{n}",
        ),
        _ms_sku(
            "Azure SQL Database",
            "Databases",
            "SQL database",
            "DZH318Z0BQ9Z/0019",
            "1 Hour",
            "0.252000",
            "0.231840",
            4,
            "hours",
            10,
            "SQL Database Single General Purpose - Compute Gen5 - vCore",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Sql/servers/"
            "sql-{code}-{n}/databases/{app}",
            "sql-{code}-{n}",
        ),
        _ms_sku(
            "Azure Functions",
            "Compute",
            "Function app",
            "DZH318Z0BQ7T/000B",
            "Executions",
            "0.0000002000",
            "0.0000002000",
            0,
            "requests",
            6,
            "Functions - Standard Total Executions",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Web/sites/func-{code}-{n}",
            "func-{code}-{n}",
        ),
        _ms_sku(
            "Virtual Network",
            "Networking",
            "NAT gateway",
            "DZH318Z0BQ3N/0004",
            "1 Hour",
            "0.045000",
            "0.045000",
            4,
            "hours",
            5,
            "NAT Gateway - Gateway",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Network/"
            "natGateways/nat-{code}-{n}",
            "nat-{code}-{n}",
        ),
        _ms_sku(
            "Bandwidth",
            "Networking",
            "Public IP address",
            "DZH318Z0BNVR/0007",
            "1 GB",
            "0.087000",
            "0.082650",
            4,
            "gb",
            4,
            "Rtn Preference: MGN - Data Transfer Out",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Network/"
            "publicIPAddresses/pip-{code}-{n}",
            "pip-{code}-{n}",
        ),
    ),
}

PROJECTS = (
    "case-management",
    "data-platform",
    "web-portal",
    "records-modernization",
    "gis",
    "payments",
    "analytics",
    "identity",
    "call-center",
    "licensing",
)
APP_SUFFIXES = ("api", "web", "batch", "db", "etl")

RU_SERVER_SKUS = (("SRV-VM-STD", "vm", 0.65), ("SRV-VM-LRG", "vm", 0.28), ("SRV-PHY", "phy", 0.07))
RU_STRUCT_SKUS = ("STO-T1-GBM", "STO-T2-GBM", "BKP-GBM", "NET-PORT-MO")
RU_STRUCT_ASSET = {
    "STO-T1-GBM": "san-t1-{cc}",
    "STO-T2-GBM": "san-t2-{cc}",
    "BKP-GBM": "bkp-{cc}",
    "NET-PORT-MO": "net-{cc}",
}
RU_MF_SKU = "MF-CPU-HR"

LABOUR_CODES = (
    # code, activity_type, weight, (min quarter-hours, max quarter-hours)
    ("PHONE", "Phone support", 0.45, (1, 6)),
    ("ONSITE", "On-site repair", 0.25, (2, 24)),
    ("PREVENT", "Preventive maintenance", 0.15, (4, 16)),
    ("INSTALL", "Installation and moves", 0.15, (4, 32)),
)
SITES = (("Austin HQ", 0.5), ("Site A", 0.25), ("Site B", 0.2), ("Remote", 0.05))
DAY_TECHS = tuple(f"TECH-{i:03d}" for i in range(1, 26))
NIGHT_TECHS = tuple(f"TECH-{i:03d}" for i in range(26, 31))
NIGHT_SHARE = 0.15
FIRST_TICKET = 12_001
FIRST_ACTIVITY = 1


# --------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------


def _q(value: str) -> str:
    """Quote one field exactly like ``csv.writer`` with QUOTE_MINIMAL does."""
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _join_fields(fields: Sequence[str]) -> str:
    return ",".join(_q(f) for f in fields)


def _split_line(line: str) -> list[str]:
    return next(csv.reader([line]))


def _split_even(total: int, n: int) -> list[int]:
    q, r = divmod(int(total), n)
    return [q + 1] * r + [q] * (n - r)


def _largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    rest = int(total - base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base.tolist()


def _fmt_scaled(values: np.ndarray, decimals: int) -> list[str]:
    """Format int64 values scaled by 10**decimals as fixed-point decimal strings."""
    values = np.asarray(values, dtype=np.int64)
    if decimals == 0:
        return [str(v) for v in values.tolist()]
    scale = 10**decimals
    mag = np.abs(values)
    fmt = "%d.%0" + str(decimals) + "d"
    out = [fmt % t for t in zip((mag // scale).tolist(), (mag % scale).tolist(), strict=True)]
    for i in np.flatnonzero(values < 0).tolist():
        out[i] = "-" + out[i]
    return out


def _scaled_int(text: str, decimals: int) -> int:
    whole, _, frac = text.partition(".")
    frac = (frac + "0" * decimals)[:decimals]
    return int(whole) * 10**decimals + (int(frac) if frac else 0)


def _obj(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), *map(int, stream)])


class _Fraction:
    """Deterministic error-diffusion rounding: spreads fractional counts over calls."""

    def __init__(self) -> None:
        self._acc: dict[str, float] = {}

    def take(self, key: str, amount: float) -> int:
        acc = self._acc.get(key, 0.0) + amount
        n = int(np.floor(acc + 1e-9))
        self._acc[key] = acc - n
        return max(n, 0)


# --------------------------------------------------------------------------------------
# reference data (seeds) and calendar
# --------------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@dataclass
class World:
    customers: list[dict[str, str]]
    cost_centers: list[dict[str, str]]
    cc_by_customer: dict[str, list[dict[str, str]]]
    cloud_accounts: dict[tuple[str, str], dict[str, str]]  # (series, customer_id) -> row
    catalog: dict[str, dict[str, str]]
    customer_weights: np.ndarray


def _seed_customer_count(seeds_dir: Path = SEEDS_DIR) -> int:
    return len(_read_csv(seeds_dir / "customers.csv"))


def load_world(n_customers: int, seed: int, seeds_dir: Path = SEEDS_DIR) -> World:
    customers = _read_csv(seeds_dir / "customers.csv")[:n_customers]
    ids = {c["customer_id"] for c in customers}
    cost_centers = [c for c in _read_csv(seeds_dir / "cost_centers.csv") if c["customer_id"] in ids]
    cc_by_customer: dict[str, list[dict[str, str]]] = {c["customer_id"]: [] for c in customers}
    for cc in cost_centers:
        cc_by_customer[cc["customer_id"]].append(cc)
    cc_customer = {cc["cost_center_id"]: cc["customer_id"] for cc in cost_centers}
    accounts: dict[tuple[str, str], dict[str, str]] = {}
    for row in _read_csv(seeds_dir / "cloud_accounts.csv"):
        series = row["provider_name"].strip().lower()
        cust = cc_customer.get(row["owner_cost_center_id"])
        if series in PROVIDERS and cust is not None and (series, cust) not in accounts:
            accounts[(series, cust)] = row
    catalog = {r["sku_id"]: r for r in _read_csv(seeds_dir / "sku_catalog.csv")}
    missing = [c["customer_id"] for c in customers if not cc_by_customer[c["customer_id"]]]
    if missing:
        raise ValueError(f"customers without cost centers in seeds: {', '.join(missing)}")
    weights = _rng(seed, 3000).lognormal(0.0, 0.5, size=len(customers))
    return World(
        customers, cost_centers, cc_by_customer, accounts, catalog, weights / weights.sum()
    )


@dataclass(frozen=True)
class Month:
    index: int
    year: int
    month: int
    days: int
    label: str  # YYYY-MM
    dates: tuple[str, ...]  # YYYY-MM-DD for each day
    period: tuple[str, ...]  # "start,end" timestamps for each day (already joined)
    billing_period: str  # "start,end"
    weekday: np.ndarray  # 0=Mon..6=Sun for each day

    @property
    def record_prefix(self) -> str:
        return f"RU-{self.year:04d}{self.month:02d}-"

    def bad_date(self) -> str:
        day = self.days + 1 if self.days < 31 else 32
        return f"{self.year:04d}-{self.month:02d}-{day:02d}"


def _make_month(index: int, year: int, month: int) -> Month:
    days = calendar.monthrange(year, month)[1]
    dates = tuple(f"{year:04d}-{month:02d}-{d:02d}" for d in range(1, days + 1))
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    nxt = f"{ny:04d}-{nm:02d}-01"
    stamps = [f"{d} 00:00:00" for d in (*dates, nxt)]
    period = tuple(f"{stamps[i]},{stamps[i + 1]}" for i in range(days))
    weekday = np.array([calendar.weekday(year, month, d) for d in range(1, days + 1)])
    return Month(
        index,
        year,
        month,
        days,
        f"{year:04d}-{month:02d}",
        dates,
        period,
        f"{stamps[0]},{stamps[-1]}",
        weekday,
    )


_END_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> tuple[int, int]:
    m = _END_MONTH_RE.match(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        raise ValueError(f"--end-month must look like YYYY-MM (e.g. 2026-10), got {text!r}")
    return int(m.group(1)), int(m.group(2))


def month_range(end_month: str, months: int) -> list[Month]:
    year, month = parse_month(end_month)
    start = year * 12 + (month - 1) - (months - 1)
    return [_make_month(i, (start + i) // 12, (start + i) % 12 + 1) for i in range(months)]


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------


def validate_args(
    *,
    out_dir: Path,
    seed: int,
    customers: int,
    months: int,
    end_month: str,
    rows: int,
    dirt_rate: float,
    untagged_rate: float,
    focus_sample: Path | None = None,
) -> None:
    """Raise ValueError with a one-line, user-facing message for a bad argument."""
    n_seed = _seed_customer_count()
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"--seed must be a non-negative integer, got {seed!r}")
    if not 1 <= customers <= n_seed:
        raise ValueError(
            f"--customers must be between 1 and {n_seed} (customers in "
            f"seeds/customers.csv), got {customers}"
        )
    if months < 1:
        raise ValueError(f"--months must be at least 1, got {months}")
    if months > 1200:
        raise ValueError(f"--months must be at most 1200, got {months}")
    year, month = parse_month(end_month)
    if year * 12 + month - months < 1900 * 12:
        raise ValueError("--months reaches back before 1900")
    if rows < 1:
        raise ValueError(f"--rows must be at least 1, got {rows}")
    if not 0.0 <= dirt_rate <= 0.5:
        raise ValueError(f"--dirt-rate must be between 0 and 0.5, got {dirt_rate}")
    if not 0.0 <= untagged_rate <= 1.0:
        raise ValueError(f"--untagged-rate must be between 0 and 1, got {untagged_rate}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"--out {out_dir} exists and is not a directory")
    for parent in out_dir.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise ValueError(f"--out {out_dir}: {parent} is not a directory")
            break
    if focus_sample is not None and not Path(focus_sample).is_file():
        raise ValueError(f"--focus-sample {focus_sample} is not a readable file")


# --------------------------------------------------------------------------------------
# planning: how many lines of what go into each (series, month) file
# --------------------------------------------------------------------------------------


@dataclass
class FilePlan:
    series: str
    feed: str
    month: Month
    lines: int
    dup_same: int = 0
    dup_prev: int = 0
    late: int = 0
    mutations: list[str] = field(default_factory=list)  # kind or "malformed:<kind>"
    base: int = 0
    day_counts: np.ndarray | None = None  # cloud: rows/day; ru: servers/day
    mf_day_counts: np.ndarray | None = None  # ru only
    struct_rows: int = 0  # ru only
    late_day: np.ndarray | None = None  # day index (0-based) in the previous month
    late_pos: np.ndarray | None = None  # fleet position for that day


def _series_totals(rows: int) -> dict[str, int]:
    ru = round(rows * FEED_SHARES["ru"])
    cloud = round(rows * FEED_SHARES["cloud"])
    labour = max(rows - ru - cloud, 0)
    aws = round(cloud * AWS_SHARE_OF_CLOUD)
    return {"aws": aws, "microsoft": cloud - aws, "ru": ru, "labour": labour}


_GROWTH = {"aws": 0.012, "microsoft": 0.015, "ru": 0.004, "labour": 0.0}


def _ru_mf_cost_centers(world: World) -> list[dict[str, str]]:
    return [
        world.cc_by_customer[c["customer_id"]][0]
        for i, c in enumerate(world.customers)
        if i % 7 == 0
    ]


def build_plan(
    world: World, months: list[Month], rows: int, dirt_rate: float, seed: int
) -> dict[str, list[FilePlan]]:
    totals = _series_totals(rows)
    plans: dict[str, list[FilePlan]] = {}
    for series, feed, _ in SERIES:
        weights = [m.days * (1 + _GROWTH[series] * m.index) for m in months]
        budget = _largest_remainder(totals[series], weights)
        plans[series] = [
            FilePlan(series, feed, m, max(int(b), 1)) for m, b in zip(months, budget, strict=True)
        ]

    n_cc = len(world.cost_centers)
    n_mf = len(_ru_mf_cost_centers(world))
    cum_lines = cum_dirt = 0
    offsets = dict.fromkeys(plans, 0)
    mal_counter = dict.fromkeys(plans, 0)
    for mi, month in enumerate(months):
        for series, feed, sid in SERIES:
            p = plans[series][mi]
            cum_lines += p.lines
            dirt = min(max(round(cum_lines * dirt_rate) - cum_dirt, 0), p.lines // 2)
            cum_dirt += dirt
            allowed = [k for k in FEED_DIRT_KINDS[feed] if mi > 0 or k != "late_arriving"]
            k = len(allowed)
            q, r = divmod(dirt, k)
            counts = {
                kind: q + (1 if (j - offsets[series]) % k < r else 0)
                for j, kind in enumerate(allowed)
            }
            offsets[series] = (offsets[series] + r) % k
            dup = counts.pop("duplicate", 0)
            p.dup_prev = dup // 2 if mi > 0 else 0
            p.dup_same = dup - p.dup_prev
            p.late = counts.pop("late_arriving", 0)
            for kind in MUTATION_KINDS:
                p.mutations += [kind] * counts.get(kind, 0)
            for _ in range(counts.get("malformed", 0)):
                p.mutations.append("malformed:" + MALFORMED_KINDS[mal_counter[series] % 4])
                mal_counter[series] += 1
            p.base = p.lines - p.dup_same - p.dup_prev - p.late
            if feed == "cloud":
                p.day_counts = np.array(_split_even(p.base, month.days))
            elif feed == "ru":
                p.struct_rows = min(4 * n_cc, p.base // 4)
                mf_total = min(n_mf * month.days, p.base // 4)
                p.mf_day_counts = np.array(_split_even(mf_total, month.days))
                servers = p.base - p.struct_rows - mf_total
                p.day_counts = np.array(_split_even(servers, month.days))
            if p.late and feed in ("cloud", "ru"):
                prev = plans[series][mi - 1]
                rng = _rng(seed, 1000 + sid, mi)
                days = np.sort(rng.integers(0, prev.month.days, size=p.late))
                first = np.searchsorted(days, days, side="left")
                ordinal = np.arange(p.late) - first
                p.late_day = days
                p.late_pos = prev.day_counts[days] + ordinal
            elif p.late:
                rng = _rng(seed, 1000 + sid, mi)
                p.late_day = np.sort(rng.integers(0, plans[series][mi - 1].month.days, p.late))
    return plans


# --------------------------------------------------------------------------------------
# fleets: the long-lived things rows are about (cloud resources, servers)
# --------------------------------------------------------------------------------------


@dataclass
class CloudFleet:
    """Per-resource pieces of a FOCUS line, pre-quoted and pre-joined (index = fleet pos)."""

    series: str
    size: int
    seg_charge: np.ndarray  # ChargeCategory,ChargeClass,ChargeDescription,ChargeFrequency
    consumed_unit: np.ndarray  # ConsumedUnit
    contracted_price_txt: np.ndarray  # ContractedUnitPrice
    seg_list: np.ndarray  # ListUnitPrice,PricingCategory
    tail: np.ndarray  # PricingUnit .. SubAccountName (14 fields)
    tail_sandbox: np.ndarray  # the same in the shared sandbox sub-account
    tags: np.ndarray  # Tags with department
    tags_nodept: np.ndarray  # Tags without a department key
    q_decimals: np.ndarray
    q_model: np.ndarray  # 0 hours, 1 gbmo, 2 gb, 3 requests
    q_param: np.ndarray  # float parameter of the quantity model
    list_price: np.ndarray  # int64 scaled by 10**(10 - q_decimals)
    contracted_price: np.ndarray


_QMODEL = {"hours": 0, "gbmo": 1, "gb": 2, "requests": 3}


def _cloud_tail(
    prov: dict[str, Any],
    sku: CloudSku,
    region: tuple[str, str, float],
    fmt: dict[str, str],
    account_id: str,
    account_name: str,
) -> str:
    """FOCUS fields PricingUnit .. SubAccountName of one resource, joined."""
    return _join_fields(
        [
            sku.pricing_unit,
            prov["ProviderName"],
            prov["PublisherName"],
            region[0],
            region[1],
            sku.resource_id.format(acct=account_id, **fmt),
            sku.resource_name.format(**fmt),
            sku.resource_type,
            sku.service_category,
            sku.service_name,
            sku.sku_id,
            sku.sku_price_id,
            account_id,
            account_name,
        ]
    )


def build_cloud_fleet(world: World, series: str, size: int, seed: int) -> CloudFleet:
    rng = _rng(seed, 2000 + SERIES_ID[series])
    prov = PROVIDERS[series]
    skus = CLOUD_SKUS[series]
    custs = [c for c in world.customers if (series, c["customer_id"]) in world.cloud_accounts]
    if not custs:
        raise ValueError(f"no {series} sub-account in seeds/cloud_accounts.csv for the customers")
    cw = np.array([world.customer_weights[world.customers.index(c)] for c in custs])
    cust_idx = rng.choice(len(custs), size=size, p=cw / cw.sum())
    sku_w = np.array([s.weight for s in skus], dtype=float)
    sku_idx = rng.choice(len(skus), size=size, p=sku_w / sku_w.sum())
    reg_w = np.array([r[2] for r in prov["regions"]])
    reg_idx = rng.choice(len(reg_w), size=size, p=reg_w / reg_w.sum())
    proj_idx = rng.integers(0, len(PROJECTS), size=size)
    app_idx = rng.integers(0, len(APP_SUFFIXES), size=size)
    cc_pick = rng.random(size)
    hexes = rng.integers(0, 16**12, size=size)
    q_noise = rng.lognormal(0.0, 0.8, size=size)
    sandbox_id, sandbox_name = SANDBOX_ACCOUNTS[series]

    out: dict[str, list[str]] = {
        k: [] for k in ("charge", "cu", "cp", "list", "tail", "tail_sb", "tags", "nodept")
    }
    q_dec = np.empty(size, dtype=np.int64)
    q_model = np.empty(size, dtype=np.int64)
    lp = np.empty(size, dtype=np.int64)
    cp = np.empty(size, dtype=np.int64)
    for r in range(size):
        cust = custs[cust_idx[r]]
        code = cust["customer_code"].lower()
        ccs = world.cc_by_customer[cust["customer_id"]]
        cc = ccs[int(cc_pick[r] * len(ccs))]
        acct = world.cloud_accounts[(series, cust["customer_id"])]
        sku = skus[sku_idx[r]]
        region = prov["regions"][reg_idx[r]]
        project = PROJECTS[proj_idx[r]]
        app = f"{project}-{APP_SUFFIXES[app_idx[r]]}"
        fmt = {
            "region": region[0],
            "hex": f"{hexes[r]:012x}{r:05x}",
            "n": f"{r:05d}",
            "code": code,
            "app": app,
        }

        out["charge"].append(_join_fields(["Usage", "", sku.description, "Usage-Based"]))
        out["cu"].append(_q(sku.pricing_unit))
        out["cp"].append(sku.contracted_price)
        out["list"].append(_join_fields([sku.list_price, "Standard"]))
        out["tail"].append(
            _cloud_tail(prov, sku, region, fmt, acct["sub_account_id"], acct["sub_account_name"])
        )
        out["tail_sb"].append(_cloud_tail(prov, sku, region, fmt, sandbox_id, sandbox_name))
        tags = {"department": cc["department_tag"], "project": project, "application": app}
        out["tags"].append(_q(json.dumps(tags)))
        out["nodept"].append(_q(json.dumps({"project": project, "application": app})))
        q_dec[r] = sku.qty_decimals
        q_model[r] = _QMODEL[sku.qty_model]
        lp[r] = _scaled_int(sku.list_price, 10 - sku.qty_decimals)
        cp[r] = _scaled_int(sku.contracted_price, 10 - sku.qty_decimals)
    o = {k: _obj(v) for k, v in out.items()}
    return CloudFleet(
        series,
        size,
        o["charge"],
        o["cu"],
        o["cp"],
        o["list"],
        o["tail"],
        o["tail_sb"],
        o["tags"],
        o["nodept"],
        q_dec,
        q_model,
        q_noise,
        lp,
        cp,
    )


@dataclass
class ServerFleet:
    size: int
    cc: np.ndarray
    sku: np.ndarray
    asset: np.ndarray


def build_server_fleet(world: World, size: int, seed: int) -> ServerFleet:
    rng = _rng(seed, 2000 + SERIES_ID["ru"])
    cust_idx = rng.choice(len(world.customers), size=size, p=world.customer_weights)
    cc_pick = rng.random(size)
    sku_w = np.array([s[2] for s in RU_SERVER_SKUS])
    sku_idx = rng.choice(len(RU_SERVER_SKUS), size=size, p=sku_w / sku_w.sum())
    counters: dict[tuple[str, str], int] = {}
    cc_l, sku_l, asset_l = [], [], []
    for r in range(size):
        cust = world.customers[cust_idx[r]]
        ccs = world.cc_by_customer[cust["customer_id"]]
        sku, prefix, _ = RU_SERVER_SKUS[sku_idx[r]]
        key = (prefix, cust["customer_code"])
        counters[key] = counters.get(key, 0) + 1
        cc_l.append(ccs[int(cc_pick[r] * len(ccs))]["cost_center_id"])
        sku_l.append(sku)
        asset_l.append(f"{prefix}-{cust['customer_code'].lower()}-{counters[key]:04d}")
    return ServerFleet(size, _obj(cc_l), _obj(sku_l), _obj(asset_l))


# --------------------------------------------------------------------------------------
# row builders (column-wise; every value is a ready-to-join, already quoted CSV field)
# --------------------------------------------------------------------------------------

Columns = dict[str, Any]  # column name -> np.ndarray(object) of length n, or a str constant


def _join_columns(cols: Columns, names: Sequence[str], n: int) -> list[str]:
    parts = []
    for name in names:
        v = cols[name]
        parts.append([v] * n if isinstance(v, str) else v.tolist())
    return list(map(",".join, zip(*parts, strict=True)))


@dataclass
class CloudChunk:
    """Cloud rows under construction.  Rare rows (credits, dirt) get field-level ``edits``
    applied to their joined line; the common path only concatenates pre-built pieces."""

    n: int
    billed: list[str]
    listed: list[str]
    qty: list[str]
    period: np.ndarray
    pos: np.ndarray
    tags: np.ndarray
    tail: np.ndarray
    edits: dict[int, dict[str, str]] = field(default_factory=dict)


_FOCUS_INDEX = {name: i for i, name in enumerate(FOCUS_COLUMNS)}


class CloudBuilder:
    def __init__(self, fleet: CloudFleet, series: str) -> None:
        self.fleet = fleet
        self.series = series
        self.prov = PROVIDERS[series]

    def rows(
        self, month: Month, day: np.ndarray, pos: np.ndarray, rng: np.random.Generator
    ) -> CloudChunk:
        """Clean usage rows for resource ``pos`` (fleet index) on ``day`` of ``month``."""
        f = self.fleet
        n = len(day)
        model = f.q_model[pos]
        dec = f.q_decimals[pos]
        param = f.q_param[pos]
        u = rng.random(n)
        # quantities as int64 scaled by 10**dec; costs exact: qty * price has 10 decimals
        hours = np.where(u < 0.85, 24, 1 + (u * 1000).astype(np.int64) % 23)
        gbmo = (20 + 400 * param) * (1 + 0.02 * u) / month.days
        gb = 2 + 60 * param * (0.5 + u)
        req = (2_000 + 400_000 * param * (0.5 + u)).astype(np.int64)
        qty = np.select(
            [model == 0, model == 1, model == 2],
            [hours * 10_000, np.round(gbmo * 10_000), np.round(gb * 10_000)],
            req,
        ).astype(np.int64)
        qty = np.maximum(qty, 1)
        qty_txt = np.empty(n, dtype=object)
        for d in np.unique(dec).tolist():
            m = dec == d
            qty_txt[m] = _fmt_scaled(qty[m], int(d))
        return CloudChunk(
            n=n,
            billed=_fmt_scaled(qty * f.contracted_price[pos], 10),
            listed=_fmt_scaled(qty * f.list_price[pos], 10),
            qty=qty_txt.tolist(),
            period=_obj(month.period)[day],
            pos=pos,
            tags=f.tags[pos],
            tail=f.tail[pos],
        )

    def month_prefix(self, month: Month) -> str:
        p = self.prov
        return _join_fields([p["BillingAccountId"], p["BillingAccountName"], "USD"]) + (
            "," + month.billing_period
        )

    def make_credit(
        self, chunk: CloudChunk, idx: np.ndarray, category: str, rng: np.random.Generator
    ) -> None:
        if len(idx) == 0:
            return
        amount = rng.integers(5 * 10**9, 2 * 10**12, size=len(idx))  # $0.50 .. $200
        if category == "Credit":
            amount = -amount
            text = self.prov["credit"]
        else:
            amount = np.where(rng.random(len(idx)) < 0.5, -amount // 10, amount // 10)
            text = "Billing adjustment"
        for i, value in zip(idx.tolist(), _fmt_scaled(amount, 10), strict=True):
            edit = chunk.edits.setdefault(i, {})
            for k in ("BilledCost", "ContractedCost", "EffectiveCost", "ListCost"):
                edit[k] = value
            edit.update(ChargeCategory=category, ChargeFrequency="One-Time", ChargeDescription=text)
            for k in (
                "ConsumedQuantity",
                "ConsumedUnit",
                "ContractedUnitPrice",
                "ListUnitPrice",
                "PricingCategory",
                "PricingQuantity",
                "PricingUnit",
                "SkuPriceId",
            ):
                edit[k] = ""

    def untag(self, chunk: CloudChunk, idx: np.ndarray, sandbox: np.ndarray) -> None:
        """Remove the department tag of rows ``idx``: half get empty Tags, half a Tags object
        without ``department``.  Rows ``sandbox`` (a subset of ``idx``) also move to the
        shared sandbox sub-account, which is not in the seeds."""
        empty, nodept = idx[0::2], idx[1::2]
        chunk.tags[empty] = ""
        chunk.tags[nodept] = self.fleet.tags_nodept[chunk.pos[nodept]]
        if len(sandbox):
            chunk.tail[sandbox] = self.fleet.tail_sandbox[chunk.pos[sandbox]]

    @staticmethod
    def mutate(chunk: CloudChunk, idx: np.ndarray, kind: str, rng: np.random.Generator) -> None:
        for i in idx.tolist():
            if kind == "unknown_sku":
                chunk.edits.setdefault(i, {})["ProviderName"] = UNKNOWN_PROVIDER
            elif kind == "absurd_quantity":
                chunk.edits.setdefault(i, {})["BilledCost"] = ABSURD_CLOUD_COST
            else:  # pragma: no cover - planning never asks for these on cloud
                raise ValueError(kind)

    def join(self, chunk: CloudChunk, n: int, month: Month) -> list[str]:
        head = self.month_prefix(month)
        inv = _q(self.prov["InvoiceIssuerName"])
        f = self.fleet
        pos = chunk.pos
        lines = [
            f"{b},{head},{ch},{pe},{q},{cu},{b},{cp},{b},{inv},{li},{lp},{q},{tl},{tg}"
            for b, ch, pe, q, cu, cp, li, lp, tl, tg in zip(
                chunk.billed,
                f.seg_charge[pos].tolist(),
                chunk.period.tolist(),
                chunk.qty,
                f.consumed_unit[pos].tolist(),
                f.contracted_price_txt[pos].tolist(),
                chunk.listed,
                f.seg_list[pos].tolist(),
                chunk.tail.tolist(),
                chunk.tags.tolist(),
                strict=True,
            )
        ]
        for i, edit in chunk.edits.items():
            fields = _split_line(lines[i])
            for k, v in edit.items():
                fields[_FOCUS_INDEX[k]] = v
            lines[i] = _join_fields(fields)
        return lines


class RUBuilder:
    def __init__(self, world: World, fleet: ServerFleet, seed: int) -> None:
        self.fleet = fleet
        self.catalog = world.catalog
        rng = _rng(seed, 3001)
        self.struct_cc: list[str] = []
        self.struct_sku: list[str] = []
        base: list[float] = []
        for cc in world.cost_centers:
            t1 = float(np.clip(rng.lognormal(np.log(8_000), 0.8), 500, 60_000))
            t2 = float(np.clip(rng.lognormal(np.log(40_000), 0.8), 2_000, 400_000))
            ports = float(np.clip(rng.lognormal(np.log(30), 0.6), 4, 120))
            for sku, size in zip(RU_STRUCT_SKUS, (t1, t2, 0.7 * (t1 + t2), ports), strict=True):
                self.struct_cc.append(cc["cost_center_id"])
                self.struct_sku.append(sku)
                base.append(size)
        self.struct_base = np.array(base)
        self.struct_asset = [
            RU_STRUCT_ASSET[s].format(cc=c.lower())
            for c, s in zip(self.struct_cc, self.struct_sku, strict=True)
        ]
        mf = _ru_mf_cost_centers(world)
        self.mf_cc = [c["cost_center_id"] for c in mf]
        self.mf_asset = [f"mf-lpar-{c['cost_center_id'].split('-')[0].lower()}" for c in mf]
        self.mf_base = rng.uniform(3, 12, size=max(len(mf), 1))
        self.units = {k: v["pricing_unit"] for k, v in self.catalog.items()}

    def rows(
        self,
        month: Month,
        kind: np.ndarray,
        day: np.ndarray,
        pos: np.ndarray,
        rng: np.random.Generator,
    ) -> Columns:
        """kind 0 = server-day (pos = server fleet index), 1 = mainframe (pos = mf cost center
        index), 2 = monthly storage/backup/network (pos = struct index)."""
        n = len(kind)
        f = self.fleet
        cc = np.empty(n, dtype=object)
        sku = np.empty(n, dtype=object)
        asset = np.empty(n, dtype=object)
        qty = np.empty(n, dtype=object)
        unit = np.empty(n, dtype=object)
        s = kind == 0
        cc[s], sku[s], asset[s] = f.cc[pos[s]], f.sku[pos[s]], f.asset[pos[s]]
        qty[s] = "1"
        unit[s] = "server-day"
        m = np.flatnonzero(kind == 1)
        if len(m):
            p = pos[m]
            weekend = month.weekday[day[m]] >= 5
            hours = self.mf_base[p] * rng.lognormal(0, 0.35, len(m)) * np.where(weekend, 0.4, 1)
            cc[m] = _obj(self.mf_cc)[p]
            asset[m] = _obj(self.mf_asset)[p]
            sku[m] = RU_MF_SKU
            qty[m] = [f"{h:.2f}" for h in np.clip(hours, 0.5, 20).tolist()]
            unit[m] = self.units.get(RU_MF_SKU, "CPU-hour")
        t = np.flatnonzero(kind == 2)
        if len(t):
            p = pos[t]
            size = self.struct_base[p] * (1.012**month.index) * rng.normal(1, 0.02, len(t))
            skus = _obj(self.struct_sku)[p]
            cc[t] = _obj(self.struct_cc)[p]
            asset[t] = _obj(self.struct_asset)[p]
            sku[t] = skus
            qty[t] = [
                str(round(v)) if k == "NET-PORT-MO" else f"{v:.3f}"
                for v, k in zip(size.tolist(), skus.tolist(), strict=True)
            ]
            unit[t] = [self.units.get(k, "") for k in skus.tolist()]
        return {
            "usage_date": _obj(month.dates)[day],
            "cost_center_id": cc,
            "sku_id": sku,
            "asset_id": asset,
            "quantity": qty,
            "unit": unit,
        }

    def mutate(self, cols: Columns, idx: np.ndarray, kind: str, rng: np.random.Generator) -> None:
        if kind == "unknown_sku":
            cols["sku_id"][idx] = _obj(UNKNOWN_RU_SKUS)[rng.integers(0, 3, len(idx))]
        elif kind == "negative_quantity":
            cols["quantity"][idx] = ["-" + q for q in cols["quantity"][idx].tolist()]
        elif kind == "absurd_quantity":
            mx = [float(self.catalog[s]["max_quantity_per_row"]) for s in cols["sku_id"][idx]]
            factor = rng.integers(1_000, 5_000, len(idx))
            cols["quantity"][idx] = [
                str(int(m * k)) for m, k in zip(mx, factor.tolist(), strict=True)
            ]
        elif kind == "unknown_cost_center":
            cols["cost_center_id"][idx] = UNKNOWN_COST_CENTER
        else:  # pragma: no cover
            raise ValueError(kind)

    @staticmethod
    def join(cols: Columns, n: int, month: Month) -> list[str]:
        return _join_columns(cols, RU_COLUMNS, n)


class LabourBuilder:
    def __init__(self, world: World) -> None:
        self.cc = _obj([c["cost_center_id"] for c in world.cost_centers])
        cw = {
            c["customer_id"]: w
            for c, w in zip(world.customers, world.customer_weights, strict=True)
        }
        w = np.array(
            [
                cw[c["customer_id"]] / len(world.cc_by_customer[c["customer_id"]])
                for c in world.cost_centers
            ]
        )
        self.cc_w = w / w.sum()
        self.next_ticket = FIRST_TICKET
        self.next_activity = FIRST_ACTIVITY
        self.codes = _obj([c[0] for c in LABOUR_CODES])
        self.types = _obj([_q(c[1]) for c in LABOUR_CODES])
        cwt = np.array([c[2] for c in LABOUR_CODES])
        self.code_w = cwt / cwt.sum()
        self.q_lo = np.array([c[3][0] for c in LABOUR_CODES])
        self.q_hi = np.array([c[3][1] for c in LABOUR_CODES])
        self.sites = _obj([s[0] for s in SITES])
        sw = np.array([s[1] for s in SITES])
        self.site_w = sw / sw.sum()

    def rows(
        self, month: Month, n: int, rng: np.random.Generator, fixed_day: np.ndarray | None = None
    ) -> Columns:
        """``n`` activities in whole tickets (the last ticket may be cut short)."""
        counts = rng.choice([1, 2, 3], p=[0.55, 0.30, 0.15], size=n)  # n tickets is enough
        cum = np.cumsum(counts)
        n_tickets = int(np.searchsorted(cum, n) + 1)
        counts = counts[:n_tickets]
        counts[-1] -= int(cum[n_tickets - 1] - n)
        ticket = np.repeat(np.arange(n_tickets), counts)
        first = np.concatenate([[0], np.cumsum(counts)[:-1]])
        ordinal = np.arange(n) - first[ticket]
        day_w = np.where(month.weekday >= 5, 0.25, 1.0)
        open_day = rng.choice(month.days, size=n_tickets, p=day_w / day_w.sum())
        cc = rng.choice(len(self.cc), size=n_tickets, p=self.cc_w)
        code = rng.choice(len(self.codes), size=n, p=self.code_w)
        # follow-up activities happen the same day or a later one, never earlier
        step = np.where(ordinal > 0, rng.random(n) < 0.5, 0).astype(np.int64)
        later = np.cumsum(step) - np.cumsum(step)[first][ticket]
        day = np.minimum(open_day[ticket] + later, month.days - 1)
        if fixed_day is not None:
            day = fixed_day
        night = rng.random(n) < NIGHT_SHARE
        tech = np.where(
            night,
            _obj(NIGHT_TECHS)[rng.integers(0, len(NIGHT_TECHS), n)],
            _obj(DAY_TECHS)[rng.integers(0, len(DAY_TECHS), n)],
        )
        site = self.sites[rng.choice(len(self.sites), size=n, p=self.site_w)]
        phone = code == 0
        site[phone & (rng.random(n) < 0.8)] = "Remote"
        quarters = rng.integers(self.q_lo[code], self.q_hi[code] + 1)
        tickets = [f"INC{self.next_ticket + t:07d}" for t in range(n_tickets)]
        self.next_ticket += n_tickets
        acts = [f"ACT{self.next_activity + a:08d}" for a in range(n)]
        self.next_activity += n
        return {
            "ticket_id": _obj(tickets)[ticket],
            "activity_id": _obj(acts),
            "technician_id": tech,
            "activity_date": _obj(month.dates)[day],
            "activity_code": self.codes[code],
            "activity_type": self.types[code],
            "site": site,
            "shift": np.where(night, "night", "day").astype(object),
            "hours": _obj([f"{q / 4:.2f}" for q in quarters.tolist()]),
            "cost_center_id": self.cc[cc[ticket]],
        }

    @staticmethod
    def mutate(cols: Columns, idx: np.ndarray, kind: str, rng: np.random.Generator) -> None:
        if kind == "unknown_sku":
            cols["activity_code"][idx] = UNKNOWN_LABOUR_CODE[0]
            cols["activity_type"][idx] = UNKNOWN_LABOUR_CODE[1]
        elif kind == "negative_quantity":
            cols["hours"][idx] = ["-" + h for h in cols["hours"][idx].tolist()]
        elif kind == "absurd_quantity":
            cols["hours"][idx] = ABSURD_LABOUR_HOURS
        elif kind == "unknown_cost_center":
            cols["cost_center_id"][idx] = UNKNOWN_COST_CENTER
        else:  # pragma: no cover
            raise ValueError(kind)

    @staticmethod
    def join(cols: Columns, n: int, month: Month) -> list[str]:
        return _join_columns(cols, LABOUR_COLUMNS, n)


def _malform(line: str, kind: str, feed: str, month: Month, rng: np.random.Generator) -> str:
    """Break one line in one way.  Quoting stays balanced, so the next line is unharmed."""
    fields = _split_line(line)
    cols = FEED_COLUMNS[feed]
    if kind == "too_few_fields":
        drop = int(rng.integers(1, 4 if len(fields) > 7 else 3))
        fields = fields[:-drop]
    elif kind == "too_many_fields":
        at = int(rng.integers(1, len(fields)))
        fields.insert(at, fields[at] if rng.random() < 0.5 else "EXTRA")
    elif kind == "bad_number":
        fields[cols.index(BAD_NUMBER_COLUMN[feed])] = BAD_NUMBER_WORDS[
            int(rng.integers(0, len(BAD_NUMBER_WORDS)))
        ]
    elif kind == "bad_date":
        bad = month.bad_date()
        fields[cols.index(BAD_DATE_COLUMN[feed])] = bad + " 00:00:00" if feed == "cloud" else bad
    else:  # pragma: no cover
        raise ValueError(kind)
    return _join_fields(fields)


# --------------------------------------------------------------------------------------
# file writing: temp file -> rename, streaming sha256, sidecar, parts
# --------------------------------------------------------------------------------------


_ENCODE_LINES = 8_192


class _BackgroundIO:
    """Runs file writes, hashing and renames on one worker thread, in submission order.

    ``write`` and ``sha256.update`` release the GIL, so they overlap with building the next
    chunk.  The queue is bounded, so at most a few encoded chunks wait in memory.
    """

    def __init__(self, depth: int = 4) -> None:
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="demo-data-io", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            if self._error is None:
                try:
                    task()
                except BaseException as exc:  # re-raised in the main thread
                    self._error = exc

    def submit(self, task: Callable[[], None]) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(task)

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error


class _OpenFile:
    """One output file being written (by the I/O thread) to a hidden temp name."""

    def __init__(self, path: Path, rel: str, feed: str) -> None:
        self.path, self.rel, self.feed = path, rel, feed
        self.tmp = path.with_name(f".{path.name}.tmp")
        self.fh: io.BufferedWriter | None = None
        self.hash = hashlib.sha256()

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = self.tmp.open("wb")

    def write(self, data: bytes) -> None:
        assert self.fh is not None
        self.fh.write(data)
        self.hash.update(data)

    def finish(self, rows: int, files: list[dict[str, Any]]) -> None:
        assert self.fh is not None
        self.fh.close()
        os.replace(self.tmp, self.path)
        digest = self.hash.hexdigest()
        sidecar = self.path.with_name(self.path.name + ".sha256")
        sidecar.write_bytes(f"{digest}  {self.path.name}\n".encode())
        files.append({"path": self.rel, "feed": self.feed, "rows": rows, "sha256": digest})


class _SeriesWriter:
    """Writes one (series, month) output, split into parts above ``max_rows`` data rows."""

    def __init__(
        self,
        bg: _BackgroundIO,
        out_dir: Path,
        rel_stem: str,
        header: Sequence[str],
        feed: str,
        planned_lines: int,
        max_rows: int,
        files: list[dict[str, Any]],
    ) -> None:
        self.bg = bg
        self.out_dir = out_dir
        self.rel_stem = rel_stem
        self.header = (",".join(header) + "\n").encode()
        self.feed = feed
        self.split = planned_lines > max_rows
        self.max_rows = max_rows
        self.files = files
        self.part = 0
        self.current: _OpenFile | None = None
        self.rows = 0

    def _open(self) -> None:
        self.part += 1
        suffix = f"_part{self.part:02d}" if self.split else ""
        rel = f"{self.rel_stem}{suffix}.csv"
        self.current = f = _OpenFile(self.out_dir / rel, rel, self.feed)
        self.rows = 0
        self.bg.submit(f.open)
        self.bg.submit(partial(f.write, self.header))

    def _close(self) -> None:
        assert self.current is not None
        self.bg.submit(partial(self.current.finish, self.rows, self.files))
        self.current = None

    def write(self, lines: list[str]) -> None:
        start = 0
        while start < len(lines):
            if self.current is None or (self.split and self.rows >= self.max_rows):
                if self.current is not None:
                    self._close()
                self._open()
            assert self.current is not None
            room = self.max_rows - self.rows if self.split else len(lines) - start
            end = min(start + room, len(lines))
            # encode in slices so only a few MB of bytes wait in the I/O queue
            for lo in range(start, end, _ENCODE_LINES):
                piece = lines[lo : min(lo + _ENCODE_LINES, end)]
                self.bg.submit(partial(self.current.write, ("\n".join(piece) + "\n").encode()))
            self.rows += end - start
            start = end

    def close(self) -> None:
        if self.current is None and self.part == 0:
            self._open()  # always leave a file (with its header) behind
        if self.current is not None:
            self._close()


_OWNED = (
    ("focus/aws", "focus_aws_*.csv*"),
    ("focus/microsoft", "focus_microsoft_*.csv*"),
    ("ru", "ru_usage_*.csv*"),
    ("labour", "servicedesk_*.csv*"),
    ("focus/sample", "focus_sample.csv"),
    ("_meta", "generation.json"),
)


def _remove_previous_output(out_dir: Path, keep: Path | None = None) -> None:
    """Delete only files this generator writes, so a smaller re-run leaves no stale months."""
    for folder, pattern in _OWNED:
        d = out_dir / folder
        if d.is_dir():
            for p in d.glob(pattern):
                if p.is_file() and p != keep:
                    p.unlink()
            for p in d.glob(".*.csv.tmp"):
                p.unlink()


def _series_stem(series: str, month: Month) -> str:
    if series in PROVIDERS:
        return f"focus/{series}/focus_{series}_{month.label}"
    if series == "ru":
        return f"ru/ru_usage_{month.label}"
    return f"labour/servicedesk_{month.label}"


# --------------------------------------------------------------------------------------
# the generator
# --------------------------------------------------------------------------------------


@dataclass
class _Stats:
    dirt: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DIRT_KINDS, 0))
    malformed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MALFORMED_KINDS, 0))
    untagged: int = 0
    unmapped: int = 0
    credits: int = 0
    adjustments: int = 0


def _chunk_count(lines: int, chunk_rows: int) -> int:
    return max(1, -(-lines // max(chunk_rows - 4, 1)))


def generate(
    out_dir: Path,
    *,
    seed: int = DEFAULTS["seed"],
    customers: int = DEFAULTS["customers"],
    months: int = DEFAULTS["months"],
    end_month: str = DEFAULTS["end_month"],
    rows: int = DEFAULTS["rows"],
    dirt_rate: float = DEFAULTS["dirt_rate"],
    untagged_rate: float = DEFAULTS["untagged_rate"],
    focus_sample: Path | str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    max_rows_per_file: int = MAX_ROWS_PER_FILE,
) -> dict[str, Any]:
    """Write the demo landing zone under ``out_dir`` and return the summary dict.

    Also writes the summary to ``<out_dir>/_meta/generation.json``.  Raises ValueError for
    bad arguments.  ``chunk_rows`` / ``max_rows_per_file`` exist for tests.
    """
    out_dir = Path(out_dir)
    sample = Path(focus_sample) if focus_sample is not None else None
    validate_args(
        out_dir=out_dir,
        seed=seed,
        customers=customers,
        months=months,
        end_month=end_month,
        rows=rows,
        dirt_rate=dirt_rate,
        untagged_rate=untagged_rate,
        focus_sample=sample,
    )
    if chunk_rows < 16 or max_rows_per_file < 1:
        raise ValueError("chunk_rows must be >= 16 and max_rows_per_file >= 1")

    world = load_world(customers, seed)
    month_list = month_range(end_month, months)
    plans = build_plan(world, month_list, rows, dirt_rate, seed)

    def fleet_size(series: str) -> int:
        ps = plans[series]
        return int(max(int(p.day_counts.max()) for p in ps) + max(p.late for p in ps) + 1)

    builders: dict[str, Any] = {
        s: CloudBuilder(build_cloud_fleet(world, s, fleet_size(s), seed), s) for s in PROVIDERS
    }
    builders["ru"] = RUBuilder(world, build_server_fleet(world, fleet_size("ru"), seed), seed)
    builders["labour"] = LabourBuilder(world)

    out_dir.mkdir(parents=True, exist_ok=True)
    sample_dest = out_dir / "focus" / "sample" / "focus_sample.csv"
    sample_in_place = (
        sample is not None and sample_dest.exists() and sample.resolve() == sample_dest.resolve()
    )
    _remove_previous_output(out_dir, keep=sample_dest if sample_in_place else None)

    files: list[dict[str, Any]] = []
    stats = {feed: _Stats() for feed in FEEDS}
    frac = _Fraction()
    carry: dict[str, list[str]] = {s: [] for s in plans}
    max_chunk_lines = 0
    bg = _BackgroundIO()
    try:
        for mi in range(months):
            for series, feed, sid in SERIES:
                plan = plans[series][mi]
                nxt = plans[series][mi + 1].dup_prev if mi + 1 < months else 0
                writer = _SeriesWriter(
                    bg,
                    out_dir,
                    _series_stem(series, plan.month),
                    FEED_COLUMNS[feed],
                    feed,
                    plan.lines,
                    max_rows_per_file,
                    files,
                )
                carry[series], biggest = _write_series_month(
                    writer,
                    builders[series],
                    plans[series],
                    mi,
                    feed,
                    sid,
                    seed,
                    chunk_rows,
                    carry[series],
                    nxt,
                    stats[feed],
                    frac,
                    untagged_rate,
                )
                max_chunk_lines = max(max_chunk_lines, biggest)
                writer.close()
    finally:
        bg.close()  # waits for every pending write; re-raises an I/O error

    if sample is not None:
        dest = sample_dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not sample_in_place:
            shutil.copyfile(sample, dest)
        with dest.open(newline="", encoding="utf-8") as fh:
            n_sample = max(sum(1 for _ in csv.reader(fh)) - 1, 0)
        files.append(
            {
                "path": "focus/sample/focus_sample.csv",
                "feed": "cloud",
                "rows": n_sample,
                "sha256": hashlib.sha256(dest.read_bytes()).hexdigest(),
            }
        )

    files.sort(key=lambda f: f["path"])
    rows_by_feed = {feed: sum(f["rows"] for f in files if f["feed"] == feed) for feed in FEEDS}
    dirt = {k: sum(stats[f].dirt[k] for f in FEEDS) for k in DIRT_KINDS}
    malformed = {k: sum(stats[f].malformed[k] for f in FEEDS) for k in MALFORMED_KINDS}
    summary: dict[str, Any] = {
        "generator": "chargeback.demo_data",
        "seed": seed,
        "args": {
            "seed": seed,
            "customers": customers,
            "months": months,
            "end_month": end_month,
            "rows": rows,
            "dirt_rate": dirt_rate,
            "untagged_rate": untagged_rate,
            "focus_sample": str(focus_sample) if focus_sample is not None else None,
        },
        "period": {"first_month": month_list[0].label, "last_month": month_list[-1].label},
        "customers": [c["customer_id"] for c in world.customers],
        "files": files,
        "rows_by_feed": rows_by_feed,
        "total_rows": sum(rows_by_feed.values()),
        "generated_rows": sum(f["rows"] for f in files if not f["path"].startswith("focus/sample")),
        "dirt": dirt,
        "dirt_rows": sum(dirt.values()),
        "malformed_by_kind": malformed,
        "dirt_by_feed": {f: dict(stats[f].dirt) for f in FEEDS},
        "malformed_by_kind_by_feed": {f: dict(stats[f].malformed) for f in FEEDS},
        "untagged_cloud_rows": stats["cloud"].untagged,
        "unmapped_cloud_rows": stats["cloud"].unmapped,
        "cloud_credit_rows": stats["cloud"].credits,
        "cloud_adjustment_rows": stats["cloud"].adjustments,
        "focus_sample_rows": next(
            (f["rows"] for f in files if f["path"] == "focus/sample/focus_sample.csv"), 0
        ),
        "limits": {
            "chunk_rows": chunk_rows,
            "max_rows_per_file": max_rows_per_file,
            "max_lines_in_memory": max_chunk_lines,
        },
    }
    meta = out_dir / "_meta" / "generation.json"
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def _write_series_month(
    writer: _SeriesWriter,
    builder: Any,
    plans: list[FilePlan],
    mi: int,
    feed: str,
    sid: int,
    seed: int,
    chunk_rows: int,
    carry_in: list[str],
    carry_out_n: int,
    st: _Stats,
    frac: _Fraction,
    untagged_rate: float,
) -> tuple[list[str], int]:
    plan = plans[mi]
    month = plan.month
    prev = plans[mi - 1] if mi > 0 else None
    n_ch = _chunk_count(plan.lines, chunk_rows)
    base_split = _split_even(plan.base, n_ch)
    base_start = np.concatenate([[0], np.cumsum(base_split)]).astype(np.int64)
    dup_split = _split_even(plan.dup_same, n_ch)
    late_split = _split_even(plan.late, n_ch)
    late_start = np.concatenate([[0], np.cumsum(late_split)]).astype(np.int64)
    prev_lines = carry_in[: plan.dup_prev]
    prev_split = _split_even(len(prev_lines), n_ch)
    prev_start = np.concatenate([[0], np.cumsum(prev_split)]).astype(np.int64)
    carry_split = _split_even(carry_out_n, n_ch)
    plan_rng = _rng(seed, 4000 + sid, mi)
    labels = np.array(plan.mutations, dtype=object)
    labels = labels[plan_rng.permutation(len(labels))] if len(labels) else labels
    mut_split = _split_even(len(labels), n_ch)
    mut_start = np.concatenate([[0], np.cumsum(mut_split)]).astype(np.int64)

    if feed == "ru":
        # file order of base rows: per day the servers then the mainframe rows; the monthly
        # storage/backup/network rows close the last day
        seg_kind, seg_day, seg_n = [], [], []
        for d in range(month.days):
            seg_kind += [0, 1]
            seg_day += [d, d]
            seg_n += [int(plan.day_counts[d]), int(plan.mf_day_counts[d])]
        seg_kind.append(2)
        seg_day.append(month.days - 1)
        seg_n.append(plan.struct_rows)
        seg_first = np.concatenate([[0], np.cumsum(seg_n)]).astype(np.int64)
    elif feed == "cloud":
        f = builder.fleet
        day_first = np.concatenate([[0], np.cumsum(plan.day_counts)]).astype(np.int64)

    def cloud_pos(m: Month, day: np.ndarray, j: np.ndarray) -> np.ndarray:
        gday = m.index * 40 + day  # global day number -> rotating window over the fleet
        return (gday * 7919 + j) % f.size

    carry_out: list[str] = []
    biggest = 0
    for c in range(n_ch):
        rng = _rng(seed, sid, mi, c)
        a, b = int(base_start[c]), int(base_start[c + 1])
        nb = b - a
        idx = np.arange(a, b)
        # ---- clean base rows --------------------------------------------------------
        if feed == "cloud":
            day = np.searchsorted(day_first, idx, side="right") - 1
            pos = cloud_pos(month, day, idx - day_first[day])
            cols = builder.rows(month, day, pos, rng)
        elif feed == "ru":
            seg = np.searchsorted(seg_first, idx, side="right") - 1
            kind = np.array(seg_kind)[seg]
            day = np.array(seg_day)[seg]
            pos = idx - seg_first[seg]
            cols = builder.rows(month, kind, day, pos, rng)
            prefix = month.record_prefix
            cols["record_id"] = _obj([f"{prefix}{i:07d}" for i in range(a + 1, b + 1)])
        else:
            cols = builder.rows(month, nb, rng)
        # ---- choose which base rows carry dirt / feed duplicates ----------------------
        perm = rng.permutation(nb)
        my_labels = labels[mut_start[c] : mut_start[c + 1]].tolist()
        my_labels = my_labels[:nb]
        used = len(my_labels)
        mut_idx = perm[:used]
        n_dup = min(dup_split[c], nb - used)
        dup_src = perm[used : used + n_dup]
        used += n_dup
        n_carry = min(carry_split[c], nb - used)
        carry_src = perm[used : used + n_carry]
        used += n_carry
        free = perm[used:]
        for kind_name in MUTATION_KINDS:
            sel = np.array(
                [mut_idx[i] for i, lab in enumerate(my_labels) if lab == kind_name], dtype=np.int64
            )
            if len(sel):
                builder.mutate(cols, sel, kind_name, rng)
                st.dirt[kind_name] += len(sel)
        if feed == "cloud":
            n_lines = nb + n_dup + late_split[c] + prev_split[c]
            n_untag = min(frac.take(f"untag{sid}", untagged_rate * n_lines), len(free))
            untag = free[:n_untag]
            n_sand = min(frac.take(f"sandbox{sid}", SANDBOX_SHARE_OF_UNTAGGED * n_untag), n_untag)
            builder.untag(cols, untag, untag[:n_sand])
            st.untagged += n_untag
            st.unmapped += n_sand
            rest = free[n_untag:]
            n_credit = min(frac.take(f"credit{sid}", CREDIT_RATE * nb), len(rest))
            n_adj = min(frac.take(f"adj{sid}", ADJUSTMENT_RATE * nb), len(rest) - n_credit)
            builder.make_credit(cols, rest[:n_credit], "Credit", rng)
            builder.make_credit(cols, rest[n_credit : n_credit + n_adj], "Adjustment", rng)
            st.credits += n_credit
            st.adjustments += n_adj
        lines = builder.join(cols, nb, month)
        del cols
        for i, lab in zip(mut_idx.tolist(), my_labels, strict=True):
            if lab.startswith("malformed:"):
                sub = lab.split(":", 1)[1]
                lines[i] = _malform(lines[i], sub, feed, month, rng)
                st.malformed[sub] += 1
                st.dirt["malformed"] += 1
        # ---- late-arriving rows (previous month, valid) -------------------------------
        late_lines: list[str] = []
        n_late = late_split[c]
        if n_late:
            assert prev is not None
            ls, le = int(late_start[c]), int(late_start[c + 1])
            lday = plan.late_day[ls:le]
            if feed == "cloud":
                lpos = cloud_pos(prev.month, lday, plan.late_pos[ls:le])
                lcols = builder.rows(prev.month, lday, lpos, rng)
            elif feed == "ru":
                lcols = builder.rows(
                    prev.month, np.zeros(n_late, dtype=np.int64), lday, plan.late_pos[ls:le], rng
                )
                lcols["record_id"] = _obj(
                    [f"{month.record_prefix}{plan.base + i + 1:07d}" for i in range(ls, le)]
                )
            else:
                lcols = builder.rows(prev.month, n_late, rng, fixed_day=lday)
            late_lines = builder.join(lcols, n_late, prev.month)
            st.dirt["late_arriving"] += n_late
        # ---- duplicates ---------------------------------------------------------------
        dup_lines = [lines[i] for i in dup_src.tolist()]
        carry_out += [lines[i] for i in carry_src.tolist()]
        prev_dups = prev_lines[int(prev_start[c]) : int(prev_start[c + 1])]
        st.dirt["duplicate"] += len(dup_lines) + len(prev_dups)
        # ---- interleave and write ---------------------------------------------------------
        keys = np.concatenate(
            [
                2 * np.arange(nb, dtype=np.int64),
                2 * rng.integers(0, nb, size=len(late_lines)) - 1,
                2 * rng.integers(dup_src, nb) + 1 if len(dup_src) else np.empty(0, np.int64),
                2 * rng.integers(0, nb, size=len(prev_dups)) - 1,
            ]
        )
        everything = lines + late_lines + dup_lines + prev_dups
        order = np.argsort(keys, kind="stable").tolist()
        out = [everything[i] for i in order]
        biggest = max(biggest, len(out))
        writer.write(out)
    return carry_out, biggest


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------

_DESCRIPTION = """\
Generate a deterministic demo landing zone for the chargeback warehouse.

Reads the customers, cost centers, cloud sub-accounts and SKUs from the repository's
seeds/ folder and writes, for each of --months months ending with --end-month:

  focus/aws/focus_aws_<YYYY-MM>.csv              cloud usage, FOCUS 1.2 columns (AWS)
  focus/microsoft/focus_microsoft_<YYYY-MM>.csv  cloud usage, FOCUS 1.2 columns (Microsoft)
  ru/ru_usage_<YYYY-MM>.csv                      data-center resource units
  labour/servicedesk_<YYYY-MM>.csv               service-desk labour activities

Files are UTF-8, comma-separated, header row, "\\n" line ends, minimal quoting; empty
fields are nulls.  Each data file has a sha256sum-style sidecar <file>.sha256.  A file
with more than 500,000 data rows is split into _part01, _part02, ...  About 55% of
--rows are resource units, 40% cloud (55/45 AWS/Microsoft) and 5% labour.

A fraction --dirt-rate of the rows is deliberately dirty, spread over these kinds (each
dirty row has exactly one defect):
  duplicate            exact copy of an earlier line (same file or next month's file)
  unknown_sku          RU sku SRV-UNKNOWN/SRV-VM-XXL/STO-T9-GBM, labour code TELEPATHY,
                       cloud ProviderName "Acme Cloud"
  negative_quantity    RU quantity / labour hours below zero (not cloud)
  absurd_quantity      RU quantity >= 1000 x the SKU's max_quantity_per_row, labour
                       hours 999, cloud BilledCost 9999999
  unknown_cost_center  RU / labour cost_center_id ZZZ-999 (not cloud)
  late_arriving        valid row dated in the previous month (only counted, not an error)
  malformed            too few fields, too many fields, a non-numeric quantity/hours/
                       BilledCost, or an impossible date (2026-02-29, 2026-04-31,
                       2026-05-32: the day after the month's last)
A fraction --untagged-rate of the cloud rows has no department tag (empty Tags or Tags
without "department"); 5% of those also sit in a "Shared sandbox" sub-account that is
not in the seeds.

The exact counts are printed and written to <out>/_meta/generation.json.  Files from a
previous run (the names above, the sample copy and _meta/generation.json) are replaced;
nothing else in --out is touched.  Same arguments -> byte-identical files.
"""

_EPILOG = """\
examples:
  python -m chargeback.demo_data
  python -m chargeback.demo_data --out /tmp/landing --rows 10000000 --seed 7
  python -m chargeback.demo_data --dirt-rate 0 --focus-sample \\
      /work/shared/data/focus-sample-1.0/focus_sample.csv
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m chargeback.demo_data",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d = DEFAULTS
    p.add_argument(
        "--out",
        type=Path,
        default=Path(d["out"]),
        metavar="DIR",
        help=f"landing folder to write into (default: {d['out']})",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=d["seed"],
        help=f"random seed, a non-negative integer (default: {d['seed']})",
    )
    p.add_argument(
        "--customers",
        type=int,
        default=d["customers"],
        metavar="N",
        help="use the first N customers of seeds/customers.csv (default: all 21)",
    )
    p.add_argument(
        "--months",
        type=int,
        default=d["months"],
        metavar="N",
        help=f"months of history (default: {d['months']})",
    )
    p.add_argument(
        "--end-month",
        default=d["end_month"],
        metavar="YYYY-MM",
        help=f"last month of history (default: {d['end_month']})",
    )
    p.add_argument(
        "--rows",
        type=int,
        default=d["rows"],
        metavar="N",
        help="total data rows over all feeds and months, dirt included; "
        f"generated in bounded memory, 10 million is fine (default: {d['rows']})",
    )
    p.add_argument(
        "--dirt-rate",
        type=float,
        default=d["dirt_rate"],
        metavar="RATE",
        help=f"fraction of dirty rows, 0 to 0.5 (default: {d['dirt_rate']})",
    )
    p.add_argument(
        "--untagged-rate",
        type=float,
        default=d["untagged_rate"],
        metavar="RATE",
        help="fraction of cloud rows without a department tag, 0 to 1 "
        f"(default: {d['untagged_rate']})",
    )
    p.add_argument(
        "--focus-sample",
        type=Path,
        default=None,
        metavar="PATH",
        help="also copy this FOCUS sample file byte-for-byte to "
        "focus/sample/focus_sample.csv (no sidecar)",
    )
    return p


def format_summary(summary: dict[str, Any], out_dir: Path, seconds: float | None = None) -> str:
    rb = summary["rows_by_feed"]
    lines = [
        f"Wrote {summary['total_rows']:,} rows in {len(summary['files'])} files under "
        f"{out_dir} (seed {summary['seed']}, {summary['period']['first_month']} .. "
        f"{summary['period']['last_month']}, {len(summary['customers'])} customers)",
        "  rows:      " + ", ".join(f"{k} {rb[k]:,}" for k in FEEDS),
        f"  dirt:      {summary['dirt_rows']:,} rows: "
        + ", ".join(f"{k} {v:,}" for k, v in summary["dirt"].items()),
        "  malformed: " + ", ".join(f"{k} {v:,}" for k, v in summary["malformed_by_kind"].items()),
        f"  cloud:     {summary['untagged_cloud_rows']:,} untagged rows, "
        f"{summary['unmapped_cloud_rows']:,} of them in the unmapped sandbox sub-account",
    ]
    if summary["focus_sample_rows"]:
        n = summary["focus_sample_rows"]
        lines.append(f"  sample:    focus/sample/focus_sample.csv ({n:,} rows, in the cloud total)")
    if seconds is not None and seconds > 0:
        lines.append(
            f"  time:      {seconds:.1f} s ({summary['generated_rows'] / seconds:,.0f} rows/s)"
        )
    lines.append(f"  summary:   {out_dir / '_meta' / 'generation.json'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    ns = parser.parse_args(argv)
    kwargs = {
        "seed": ns.seed,
        "customers": ns.customers,
        "months": ns.months,
        "end_month": ns.end_month,
        "rows": ns.rows,
        "dirt_rate": ns.dirt_rate,
        "untagged_rate": ns.untagged_rate,
        "focus_sample": ns.focus_sample,
    }
    try:
        validate_args(out_dir=ns.out, **kwargs)
    except ValueError as exc:
        parser.error(str(exc))  # exits with status 2
    started = time.perf_counter()
    try:
        summary = generate(ns.out, **kwargs)
    except (OSError, ValueError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 1
    print(format_summary(summary, ns.out, time.perf_counter() - started))
    return 0
