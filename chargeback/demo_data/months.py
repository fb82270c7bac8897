"""The calendar: the months of history, each with its dates and FOCUS periods."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Month:
    index: int
    year: int
    month: int
    days: int
    label: str  # YYYY-MM
    dates: tuple[str, ...]  # YYYY-MM-DD for each day
    period: tuple[str, ...]  # "start,end" timestamps for each day (already joined)
    billing_period: str  # "start,end"
    weekday: np.ndarray  # 0=Mon..6=Sun for each day

    @property
    def record_prefix(self) -> str:
        return f"RU-{self.year:04d}{self.month:02d}-"

    def bad_date(self) -> str:
        day = self.days + 1 if self.days < 31 else 32
        return f"{self.year:04d}-{self.month:02d}-{day:02d}"


def _make_month(index: int, year: int, month: int) -> Month:
    days = calendar.monthrange(year, month)[1]
    dates = tuple(f"{year:04d}-{month:02d}-{d:02d}" for d in range(1, days + 1))
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    nxt = f"{ny:04d}-{nm:02d}-01"
    stamps = [f"{d} 00:00:00" for d in (*dates, nxt)]
    period = tuple(f"{stamps[i]},{stamps[i + 1]}" for i in range(days))
    weekday = np.array([calendar.weekday(year, month, d) for d in range(1, days + 1)])
    return Month(
        index,
        year,
        month,
        days,
        f"{year:04d}-{month:02d}",
        dates,
        period,
        f"{stamps[0]},{stamps[-1]}",
        weekday,
    )


_END_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> tuple[int, int]:
    m = _END_MONTH_RE.match(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        raise ValueError(f"--end-month must look like YYYY-MM (e.g. 2026-10), got {text!r}")
    return int(m.group(1)), int(m.group(2))


def month_range(end_month: str, months: int) -> list[Month]:
    year, month = parse_month(end_month)
    start = year * 12 + (month - 1) - (months - 1)
    return [_make_month(i, (start + i) // 12, (start + i) % 12 + 1) for i in range(months)]
