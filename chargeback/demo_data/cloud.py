"""Cloud rows (FOCUS 1.2, AWS and Microsoft): the resource fleet and the row builder.

The builder also makes credits and adjustments, untags rows and applies the cloud dirt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._util import fmt_scaled, join_fields, obj_array, quote, rng_for, scaled_int, split_line
from .catalog import CLOUD_SKUS, PROVIDERS, SANDBOX_ACCOUNTS, CloudSku
from .dirt import ABSURD_CLOUD_COST, UNKNOWN_PROVIDER
from .feeds import FOCUS_COLUMNS, SERIES_ID
from .months import Month
from .world import World

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
#: share of untagged cloud rows that are also moved to the (unmapped) sandbox account
SANDBOX_SHARE_OF_UNTAGGED = 0.05
CREDIT_RATE = 0.005
ADJUSTMENT_RATE = 0.0005


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
    return join_fields(
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
    rng = rng_for(seed, 2000 + SERIES_ID[series])
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

        out["charge"].append(join_fields(["Usage", "", sku.description, "Usage-Based"]))
        out["cu"].append(quote(sku.pricing_unit))
        out["cp"].append(sku.contracted_price)
        out["list"].append(join_fields([sku.list_price, "Standard"]))
        out["tail"].append(
            _cloud_tail(prov, sku, region, fmt, acct["sub_account_id"], acct["sub_account_name"])
        )
        out["tail_sb"].append(_cloud_tail(prov, sku, region, fmt, sandbox_id, sandbox_name))
        tags = {"department": cc["department_tag"], "project": project, "application": app}
        out["tags"].append(quote(json.dumps(tags)))
        out["nodept"].append(quote(json.dumps({"project": project, "application": app})))
        q_dec[r] = sku.qty_decimals
        q_model[r] = _QMODEL[sku.qty_model]
        lp[r] = scaled_int(sku.list_price, 10 - sku.qty_decimals)
        cp[r] = scaled_int(sku.contracted_price, 10 - sku.qty_decimals)
    o = {k: obj_array(v) for k, v in out.items()}
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
            qty_txt[m] = fmt_scaled(qty[m], int(d))
        return CloudChunk(
            n=n,
            billed=fmt_scaled(qty * f.contracted_price[pos], 10),
            listed=fmt_scaled(qty * f.list_price[pos], 10),
            qty=qty_txt.tolist(),
            period=obj_array(month.period)[day],
            pos=pos,
            tags=f.tags[pos],
            tail=f.tail[pos],
        )

    def month_prefix(self, month: Month) -> str:
        p = self.prov
        return join_fields([p["BillingAccountId"], p["BillingAccountName"], "USD"]) + (
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
        for i, value in zip(idx.tolist(), fmt_scaled(amount, 10), strict=True):
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
        inv = quote(self.prov["InvoiceIssuerName"])
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
            fields = split_line(lines[i])
            for k, v in edit.items():
                fields[_FOCUS_INDEX[k]] = v
            lines[i] = join_fields(fields)
        return lines
