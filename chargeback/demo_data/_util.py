"""Small shared helpers: CSV fields, integer splits, fixed-point numbers, random streams.

Also object arrays and error-diffusion rounding.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import Any

import numpy as np

#: a chunk of rows as columns: column name -> np.ndarray(object) of length n, or a str
#: constant; every value is a ready-to-join, already quoted CSV field
Columns = dict[str, Any]


def quote(value: str) -> str:
    """Quote one field exactly like ``csv.writer`` with QUOTE_MINIMAL does."""
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def join_fields(fields: Sequence[str]) -> str:
    return ",".join(quote(f) for f in fields)


def split_line(line: str) -> list[str]:
    return next(csv.reader([line]))


def join_columns(cols: Columns, names: Sequence[str], n: int) -> list[str]:
    parts = []
    for name in names:
        v = cols[name]
        parts.append([v] * n if isinstance(v, str) else v.tolist())
    return list(map(",".join, zip(*parts, strict=True)))


def split_even(total: int, n: int) -> list[int]:
    q, r = divmod(int(total), n)
    return [q + 1] * r + [q] * (n - r)


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    rest = int(total - base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base.tolist()


def fmt_scaled(values: np.ndarray, decimals: int) -> list[str]:
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


def scaled_int(text: str, decimals: int) -> int:
    whole, _, frac = text.partition(".")
    frac = (frac + "0" * decimals)[:decimals]
    return int(whole) * 10**decimals + (int(frac) if frac else 0)


def obj_array(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def rng_for(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), *map(int, stream)])


class ErrorDiffusion:
    """Deterministic error-diffusion rounding: spreads fractional counts over calls."""

    def __init__(self) -> None:
        self._acc: dict[str, float] = {}

    def take(self, key: str, amount: float) -> int:
        acc = self._acc.get(key, 0.0) + amount
        n = int(np.floor(acc + 1e-9))
        self._acc[key] = acc - n
        return max(n, 0)
