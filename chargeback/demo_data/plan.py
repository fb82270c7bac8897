"""The plan: how many lines of what go into each (series, month) file.

The rows are shared out over feeds, series and months (by days and growth), then each
file gets its share of the dirt, spread evenly over the kinds its feed allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._util import largest_remainder, rng_for, split_even
from .dirt import FEED_DIRT_KINDS, MALFORMED_KINDS, MUTATION_KINDS
from .feeds import SERIES
from .months import Month
from .ru import mainframe_cost_centers
from .world import World

FEED_SHARES = {"ru": 0.55, "cloud": 0.40, "labour": 0.05}
AWS_SHARE_OF_CLOUD = 0.55
_GROWTH = {"aws": 0.012, "microsoft": 0.015, "ru": 0.004, "labour": 0.0}


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


def build_plan(
    world: World, months: list[Month], rows: int, dirt_rate: float, seed: int
) -> dict[str, list[FilePlan]]:
    totals = _series_totals(rows)
    plans: dict[str, list[FilePlan]] = {}
    for series, feed, _ in SERIES:
        weights = [m.days * (1 + _GROWTH[series] * m.index) for m in months]
        budget = largest_remainder(totals[series], weights)
        plans[series] = [
            FilePlan(series, feed, m, max(int(b), 1)) for m, b in zip(months, budget, strict=True)
        ]

    n_cc = len(world.cost_centers)
    n_mf = len(mainframe_cost_centers(world))
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
                p.day_counts = np.array(split_even(p.base, month.days))
            elif feed == "ru":
                p.struct_rows = min(4 * n_cc, p.base // 4)
                mf_total = min(n_mf * month.days, p.base // 4)
                p.mf_day_counts = np.array(split_even(mf_total, month.days))
                servers = p.base - p.struct_rows - mf_total
                p.day_counts = np.array(split_even(servers, month.days))
            if p.late and feed in ("cloud", "ru"):
                prev = plans[series][mi - 1]
                rng = rng_for(seed, 1000 + sid, mi)
                days = np.sort(rng.integers(0, prev.month.days, size=p.late))
                first = np.searchsorted(days, days, side="left")
                ordinal = np.arange(p.late) - first
                p.late_day = days
                p.late_pos = prev.day_counts[days] + ordinal
            elif p.late:
                rng = rng_for(seed, 1000 + sid, mi)
                p.late_day = np.sort(rng.integers(0, plans[series][mi - 1].month.days, p.late))
    return plans
