"""The generator's arguments: their defaults and their validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .months import parse_month
from .world import seed_customer_count

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
    n_seed = seed_customer_count()
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
