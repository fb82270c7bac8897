"""One (series, month) file, built and written chunk by chunk.

Per chunk: the clean base rows, their dirt, (cloud) untagged rows, credits and
adjustments, the late-arriving rows and the duplicates, interleaved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._util import ErrorDiffusion, obj_array, rng_for, split_even
from .cloud import ADJUSTMENT_RATE, CREDIT_RATE, SANDBOX_SHARE_OF_UNTAGGED, CloudChunk
from .dirt import DIRT_KINDS, MALFORMED_KINDS, interleave, malform_lines, mutate_rows
from .months import Month
from .plan import FilePlan
from .writer import SeriesWriter

#: Most lines (clean + dirty + duplicates) held in memory for one file at a time.
CHUNK_ROWS = 25_000


@dataclass
class Stats:
    """What one feed's files were given: dirt by kind, malformed lines by kind, and (cloud)
    untagged, unmapped, credit and adjustment rows."""

    dirt: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DIRT_KINDS, 0))
    malformed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MALFORMED_KINDS, 0))
    untagged: int = 0
    unmapped: int = 0
    credits: int = 0
    adjustments: int = 0


def _chunk_count(lines: int, chunk_rows: int) -> int:
    return max(1, -(-lines // max(chunk_rows - 4, 1)))


def _offsets(counts: Any) -> np.ndarray:
    """Where each of consecutive blocks of ``counts`` starts, then where the last one ends."""
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def _cloud_pos(fleet_size: int, m: Month, day: np.ndarray, j: np.ndarray) -> np.ndarray:
    gday = m.index * 40 + day  # global day number -> rotating window over the fleet
    return (gday * 7919 + j) % fleet_size


def _base_rows(builder: Any, plan: FilePlan, a: int, b: int, rng: np.random.Generator) -> Any:
    """Clean base rows ``a`` .. ``b - 1`` of the file, as the builder's columns."""
    month = plan.month
    idx = np.arange(a, b)
    if plan.feed == "cloud":
        day_first = _offsets(plan.day_counts)
        day = np.searchsorted(day_first, idx, side="right") - 1
        pos = _cloud_pos(builder.fleet.size, month, day, idx - day_first[day])
        return builder.rows(month, day, pos, rng)
    if plan.feed == "ru":
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
        seg_first = _offsets(seg_n)
        seg = np.searchsorted(seg_first, idx, side="right") - 1
        kind = np.array(seg_kind)[seg]
        day = np.array(seg_day)[seg]
        pos = idx - seg_first[seg]
        cols = builder.rows(month, kind, day, pos, rng)
        prefix = month.record_prefix
        cols["record_id"] = obj_array([f"{prefix}{i:07d}" for i in range(a + 1, b + 1)])
        return cols
    return builder.rows(month, b - a, rng)


def _late_lines(
    builder: Any, plan: FilePlan, prev: FilePlan, ls: int, le: int, rng: np.random.Generator
) -> list[str]:
    """Late-arriving rows ``ls`` .. ``le - 1`` of the file: valid rows of the previous month."""
    n_late = le - ls
    lday = plan.late_day[ls:le]
    if plan.feed == "cloud":
        lpos = _cloud_pos(builder.fleet.size, prev.month, lday, plan.late_pos[ls:le])
        lcols = builder.rows(prev.month, lday, lpos, rng)
    elif plan.feed == "ru":
        lcols = builder.rows(
            prev.month, np.zeros(n_late, dtype=np.int64), lday, plan.late_pos[ls:le], rng
        )
        lcols["record_id"] = obj_array(
            [f"{plan.month.record_prefix}{plan.base + i + 1:07d}" for i in range(ls, le)]
        )
    else:
        lcols = builder.rows(prev.month, n_late, rng, fixed_day=lday)
    return builder.join(lcols, n_late, prev.month)


def _untag_and_credit(
    builder: Any,
    cols: CloudChunk,
    free: np.ndarray,
    nb: int,
    n_lines: int,
    sid: int,
    frac: ErrorDiffusion,
    untagged_rate: float,
    st: Stats,
    rng: np.random.Generator,
) -> None:
    """Untag a share of a cloud chunk's ``n_lines`` lines (a few of them moved to the sandbox
    sub-account) and make credits and adjustments of ``nb`` base rows, all from ``free``."""
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


def write_series_month(
    writer: SeriesWriter,
    builder: Any,
    plans: list[FilePlan],
    mi: int,
    feed: str,
    sid: int,
    seed: int,
    chunk_rows: int,
    carry_in: list[str],
    carry_out_n: int,
    st: Stats,
    frac: ErrorDiffusion,
    untagged_rate: float,
) -> tuple[list[str], int]:
    """Write month ``mi`` of one series; ``carry_in`` are the previous month's lines to
    repeat as duplicates.  Returns ``carry_out_n`` lines for the next month and the most
    lines a chunk held."""
    plan = plans[mi]
    month = plan.month
    prev = plans[mi - 1] if mi > 0 else None
    n_ch = _chunk_count(plan.lines, chunk_rows)
    base_start = _offsets(split_even(plan.base, n_ch))
    dup_split = split_even(plan.dup_same, n_ch)
    late_split = split_even(plan.late, n_ch)
    late_start = _offsets(late_split)
    prev_lines = carry_in[: plan.dup_prev]
    prev_split = split_even(len(prev_lines), n_ch)
    prev_start = _offsets(prev_split)
    carry_split = split_even(carry_out_n, n_ch)
    plan_rng = rng_for(seed, 4000 + sid, mi)
    labels = np.array(plan.mutations, dtype=object)
    labels = labels[plan_rng.permutation(len(labels))] if len(labels) else labels
    mut_start = _offsets(split_even(len(labels), n_ch))

    carry_out: list[str] = []
    biggest = 0
    for c in range(n_ch):
        rng = rng_for(seed, sid, mi, c)
        a, b = int(base_start[c]), int(base_start[c + 1])
        nb = b - a
        cols = _base_rows(builder, plan, a, b, rng)
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
        mutate_rows(builder, cols, mut_idx, my_labels, rng, st.dirt)
        if feed == "cloud":
            n_lines = nb + n_dup + late_split[c] + prev_split[c]
            _untag_and_credit(builder, cols, free, nb, n_lines, sid, frac, untagged_rate, st, rng)
        lines = builder.join(cols, nb, month)
        del cols
        malform_lines(lines, mut_idx, my_labels, feed, month, rng, st.dirt, st.malformed)
        # ---- late-arriving rows (previous month, valid) -------------------------------
        late_lines: list[str] = []
        n_late = late_split[c]
        if n_late:
            assert prev is not None
            late_lines = _late_lines(
                builder, plan, prev, int(late_start[c]), int(late_start[c + 1]), rng
            )
            st.dirt["late_arriving"] += n_late
        # ---- duplicates ---------------------------------------------------------------
        dup_lines = [lines[i] for i in dup_src.tolist()]
        carry_out += [lines[i] for i in carry_src.tolist()]
        prev_dups = prev_lines[int(prev_start[c]) : int(prev_start[c + 1])]
        st.dirt["duplicate"] += len(dup_lines) + len(prev_dups)
        # ---- interleave and write ---------------------------------------------------------
        out = interleave(lines, late_lines, dup_src, dup_lines, prev_dups, rng)
        biggest = max(biggest, len(out))
        writer.write(out)
    return carry_out, biggest
