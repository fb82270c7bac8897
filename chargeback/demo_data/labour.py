"""Service-desk labour rows: the row builder (activities grouped in whole tickets)."""

from __future__ import annotations

import numpy as np

from ._util import Columns, join_columns, obj_array, quote
from .dirt import ABSURD_LABOUR_HOURS, UNKNOWN_COST_CENTER, UNKNOWN_LABOUR_CODE
from .feeds import LABOUR_COLUMNS
from .months import Month
from .world import World

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


class LabourBuilder:
    def __init__(self, world: World) -> None:
        self.cc = obj_array([c["cost_center_id"] for c in world.cost_centers])
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
        self.codes = obj_array([c[0] for c in LABOUR_CODES])
        self.types = obj_array([quote(c[1]) for c in LABOUR_CODES])
        cwt = np.array([c[2] for c in LABOUR_CODES])
        self.code_w = cwt / cwt.sum()
        self.q_lo = np.array([c[3][0] for c in LABOUR_CODES])
        self.q_hi = np.array([c[3][1] for c in LABOUR_CODES])
        self.sites = obj_array([s[0] for s in SITES])
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
            obj_array(NIGHT_TECHS)[rng.integers(0, len(NIGHT_TECHS), n)],
            obj_array(DAY_TECHS)[rng.integers(0, len(DAY_TECHS), n)],
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
            "ticket_id": obj_array(tickets)[ticket],
            "activity_id": obj_array(acts),
            "technician_id": tech,
            "activity_date": obj_array(month.dates)[day],
            "activity_code": self.codes[code],
            "activity_type": self.types[code],
            "site": site,
            "shift": np.where(night, "night", "day").astype(object),
            "hours": obj_array([f"{q / 4:.2f}" for q in quarters.tolist()]),
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
        return join_columns(cols, LABOUR_COLUMNS, n)
