"""The world read from the repository's ``seeds/`` folder.

Customers (each with a random weight), their cost centers, their cloud sub-accounts and
the SKU catalog.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._util import rng_for
from .catalog import PROVIDERS

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


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


def seed_customer_count(seeds_dir: Path = SEEDS_DIR) -> int:
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
    weights = rng_for(seed, 3000).lognormal(0.0, 0.5, size=len(customers))
    return World(
        customers, cost_centers, cc_by_customer, accounts, catalog, weights / weights.sum()
    )
