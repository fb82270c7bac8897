"""Data-center resource-unit rows: the server fleet and the row builder.

Rows are server-days, mainframe CPU hours and monthly storage, backup and network rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._util import Columns, join_columns, obj_array, rng_for
from .dirt import UNKNOWN_COST_CENTER, UNKNOWN_RU_SKUS
from .feeds import RU_COLUMNS, SERIES_ID
from .months import Month
from .world import World

RU_SERVER_SKUS = (("SRV-VM-STD", "vm", 0.65), ("SRV-VM-LRG", "vm", 0.28), ("SRV-PHY", "phy", 0.07))
RU_STRUCT_SKUS = ("STO-T1-GBM", "STO-T2-GBM", "BKP-GBM", "NET-PORT-MO")
RU_STRUCT_ASSET = {
    "STO-T1-GBM": "san-t1-{cc}",
    "STO-T2-GBM": "san-t2-{cc}",
    "BKP-GBM": "bkp-{cc}",
    "NET-PORT-MO": "net-{cc}",
}
RU_MF_SKU = "MF-CPU-HR"


def mainframe_cost_centers(world: World) -> list[dict[str, str]]:
    """Every seventh customer (the first, the eighth, ...) runs a mainframe LPAR, charged to
    its first cost center."""
    return [
        world.cc_by_customer[c["customer_id"]][0]
        for i, c in enumerate(world.customers)
        if i % 7 == 0
    ]


@dataclass
class ServerFleet:
    size: int
    cc: np.ndarray
    sku: np.ndarray
    asset: np.ndarray


def build_server_fleet(world: World, size: int, seed: int) -> ServerFleet:
    rng = rng_for(seed, 2000 + SERIES_ID["ru"])
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
    return ServerFleet(size, obj_array(cc_l), obj_array(sku_l), obj_array(asset_l))


class RUBuilder:
    def __init__(self, world: World, fleet: ServerFleet, seed: int) -> None:
        self.fleet = fleet
        self.catalog = world.catalog
        rng = rng_for(seed, 3001)
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
        mf = mainframe_cost_centers(world)
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
            cc[m] = obj_array(self.mf_cc)[p]
            asset[m] = obj_array(self.mf_asset)[p]
            sku[m] = RU_MF_SKU
            qty[m] = [f"{h:.2f}" for h in np.clip(hours, 0.5, 20).tolist()]
            unit[m] = self.units.get(RU_MF_SKU, "CPU-hour")
        t = np.flatnonzero(kind == 2)
        if len(t):
            p = pos[t]
            size = self.struct_base[p] * (1.012**month.index) * rng.normal(1, 0.02, len(t))
            skus = obj_array(self.struct_sku)[p]
            cc[t] = obj_array(self.struct_cc)[p]
            asset[t] = obj_array(self.struct_asset)[p]
            sku[t] = skus
            qty[t] = [
                str(round(v)) if k == "NET-PORT-MO" else f"{v:.3f}"
                for v, k in zip(size.tolist(), skus.tolist(), strict=True)
            ]
            unit[t] = [self.units.get(k, "") for k in skus.tolist()]
        return {
            "usage_date": obj_array(month.dates)[day],
            "cost_center_id": cc,
            "sku_id": sku,
            "asset_id": asset,
            "quantity": qty,
            "unit": unit,
        }

    def mutate(self, cols: Columns, idx: np.ndarray, kind: str, rng: np.random.Generator) -> None:
        if kind == "unknown_sku":
            cols["sku_id"][idx] = obj_array(UNKNOWN_RU_SKUS)[rng.integers(0, 3, len(idx))]
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
        return join_columns(cols, RU_COLUMNS, n)
