"""``generate()``: the whole landing zone, month by month, then the summary.

Also the FOCUS sample copy.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from ._util import ErrorDiffusion
from .catalog import PROVIDERS
from .cloud import CloudBuilder, build_cloud_fleet
from .dirt import DIRT_KINDS, MALFORMED_KINDS
from .feeds import FEED_COLUMNS, FEEDS, SERIES
from .labour import LabourBuilder
from .months import Month, month_range
from .options import DEFAULTS, validate_args
from .plan import FilePlan, build_plan
from .ru import RUBuilder, build_server_fleet
from .series_month import CHUNK_ROWS, Stats, write_series_month
from .world import World, load_world
from .writer import (
    MAX_ROWS_PER_FILE,
    BackgroundIO,
    SeriesWriter,
    remove_previous_output,
    series_stem,
)


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
    builders = _builders(world, plans, seed)

    out_dir.mkdir(parents=True, exist_ok=True)
    sample_dest = out_dir / "focus" / "sample" / "focus_sample.csv"
    sample_in_place = (
        sample is not None and sample_dest.exists() and sample.resolve() == sample_dest.resolve()
    )
    remove_previous_output(out_dir, keep=sample_dest if sample_in_place else None)

    files: list[dict[str, Any]] = []
    stats = {feed: Stats() for feed in FEEDS}
    frac = ErrorDiffusion()
    carry: dict[str, list[str]] = {s: [] for s in plans}
    max_chunk_lines = 0
    bg = BackgroundIO()
    try:
        for mi in range(months):
            for series, feed, sid in SERIES:
                plan = plans[series][mi]
                nxt = plans[series][mi + 1].dup_prev if mi + 1 < months else 0
                writer = SeriesWriter(
                    bg,
                    out_dir,
                    series_stem(series, plan.month),
                    FEED_COLUMNS[feed],
                    feed,
                    plan.lines,
                    max_rows_per_file,
                    files,
                )
                carry[series], biggest = write_series_month(
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
        files.append(_copy_focus_sample(sample, sample_dest, sample_in_place))

    files.sort(key=lambda f: f["path"])
    args = {
        "seed": seed,
        "customers": customers,
        "months": months,
        "end_month": end_month,
        "rows": rows,
        "dirt_rate": dirt_rate,
        "untagged_rate": untagged_rate,
        "focus_sample": str(focus_sample) if focus_sample is not None else None,
    }
    limits = {
        "chunk_rows": chunk_rows,
        "max_rows_per_file": max_rows_per_file,
        "max_lines_in_memory": max_chunk_lines,
    }
    summary = _summary(args, month_list, world, files, stats, limits)
    meta = out_dir / "_meta" / "generation.json"
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def _builders(world: World, plans: dict[str, list[FilePlan]], seed: int) -> dict[str, Any]:
    """The row builder of each series, with fleets big enough for its busiest day."""

    def fleet_size(series: str) -> int:
        ps = plans[series]
        return int(max(int(p.day_counts.max()) for p in ps) + max(p.late for p in ps) + 1)

    builders: dict[str, Any] = {
        s: CloudBuilder(build_cloud_fleet(world, s, fleet_size(s), seed), s) for s in PROVIDERS
    }
    builders["ru"] = RUBuilder(world, build_server_fleet(world, fleet_size("ru"), seed), seed)
    builders["labour"] = LabourBuilder(world)
    return builders


def _copy_focus_sample(sample: Path, dest: Path, in_place: bool) -> dict[str, Any]:
    """Copy the FOCUS sample byte for byte (unless it is already there); its files entry."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not in_place:
        shutil.copyfile(sample, dest)
    with dest.open(newline="", encoding="utf-8") as fh:
        n_sample = max(sum(1 for _ in csv.reader(fh)) - 1, 0)
    return {
        "path": "focus/sample/focus_sample.csv",
        "feed": "cloud",
        "rows": n_sample,
        "sha256": hashlib.sha256(dest.read_bytes()).hexdigest(),
    }


def _summary(
    args: dict[str, Any],
    month_list: list[Month],
    world: World,
    files: list[dict[str, Any]],
    stats: dict[str, Stats],
    limits: dict[str, int],
) -> dict[str, Any]:
    """The summary of a run: its arguments, the files written and the counts of the dirt."""
    rows_by_feed = {feed: sum(f["rows"] for f in files if f["feed"] == feed) for feed in FEEDS}
    dirt = {k: sum(stats[f].dirt[k] for f in FEEDS) for k in DIRT_KINDS}
    malformed = {k: sum(stats[f].malformed[k] for f in FEEDS) for k in MALFORMED_KINDS}
    return {
        "generator": "chargeback.demo_data",
        "seed": args["seed"],
        "args": args,
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
        "limits": limits,
    }
