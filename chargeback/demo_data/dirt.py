"""The dirt: its kinds and the values that make a row dirty.

Also how a chunk's rows get their defects (mutations, malformed lines) and where its late
rows and duplicates go among the clean lines.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._util import join_fields, split_line
from .feeds import FEED_COLUMNS
from .months import Month

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


def _malform(line: str, kind: str, feed: str, month: Month, rng: np.random.Generator) -> str:
    """Break one line in one way.  Quoting stays balanced, so the next line is unharmed."""
    fields = split_line(line)
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
    return join_fields(fields)


def mutate_rows(
    builder: Any,
    cols: Any,
    idx: np.ndarray,
    labels: list[str],
    rng: np.random.Generator,
    dirt: dict[str, int],
) -> None:
    """Give rows ``idx`` of a chunk's columns the mutation of their label (``labels[i]`` is
    row ``idx[i]``'s; ``malformed:`` labels wait for :func:`malform_lines` after the join).
    The feed's builder knows how; ``dirt`` counts them by kind."""
    for kind_name in MUTATION_KINDS:
        sel = np.array([idx[i] for i, lab in enumerate(labels) if lab == kind_name], dtype=np.int64)
        if len(sel):
            builder.mutate(cols, sel, kind_name, rng)
            dirt[kind_name] += len(sel)


def malform_lines(
    lines: list[str],
    idx: np.ndarray,
    labels: list[str],
    feed: str,
    month: Month,
    rng: np.random.Generator,
    dirt: dict[str, int],
    malformed: dict[str, int],
) -> None:
    """Break the joined lines ``idx`` labelled ``malformed:<kind>``, in place."""
    for i, lab in zip(idx.tolist(), labels, strict=True):
        if lab.startswith("malformed:"):
            sub = lab.split(":", 1)[1]
            lines[i] = _malform(lines[i], sub, feed, month, rng)
            malformed[sub] += 1
            dirt["malformed"] += 1


def interleave(
    lines: list[str],
    late_lines: list[str],
    dup_src: np.ndarray,
    dup_lines: list[str],
    prev_dups: list[str],
    rng: np.random.Generator,
) -> list[str]:
    """A chunk's lines in file order: the base lines in order, each late line and previous-
    month duplicate before a random base line, each duplicate after a random base line at
    or after its source."""
    nb = len(lines)
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
    return [everything[i] for i in order]
