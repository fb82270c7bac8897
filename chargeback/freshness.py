"""Feed freshness: how old a feed's last landed file may be, from the dbt sources file (the
one place the thresholds are set: warn_after and error_after of the landing source)."""

from __future__ import annotations

import datetime as dt
from functools import cache as memoize

import pandas as pd
import yaml

from chargeback.settings import DBT_PROJECT_DIR

SOURCES_YML = DBT_PROJECT_DIR / "models" / "staging" / "_landing__sources.yml"


@memoize
def freshness_thresholds() -> dict[str, float]:
    """warn_after and error_after of the landing source, in hours (the dbt sources file is
    the one place they are set)."""
    doc = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    freshness = doc["sources"][0]["config"]["freshness"]
    hours = {"minute": 1 / 60, "hour": 1, "day": 24}
    return {
        level: freshness[level]["count"] * hours[freshness[level]["period"]]
        for level in ("warn_after", "error_after")
    }


def freshness_status(last_loaded_at, now: dt.datetime) -> str:
    """fresh, warn or stale, by the age of the last landing."""
    if last_loaded_at is None or pd.isna(last_loaded_at):
        return "never landed"
    age_hours = (now - pd.Timestamp(last_loaded_at).to_pydatetime()).total_seconds() / 3600
    limits = freshness_thresholds()
    if age_hours >= limits["error_after"]:
        return "stale"
    if age_hours >= limits["warn_after"]:
        return "warn"
    return "fresh"


@memoize
def freshness_checked_tables() -> tuple[str, ...]:
    """The landing tables whose freshness is checked: every table of the landing source except
    those that set `freshness: null` (feeds that arrive only when something happens)."""
    doc = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    return tuple(
        table["name"]
        for table in doc["sources"][0]["tables"]
        if (table.get("config") or {}).get("freshness", "inherited") is not None
    )
