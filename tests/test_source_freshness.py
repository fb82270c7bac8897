"""dbt source freshness on the landing tables: fresh feeds pass, a stale one warns; the
Dagster landing step logs the same verdicts, from the same thresholds."""

from __future__ import annotations

import json
import shutil

import duckdb

from .conftest import REPO_ROOT, use_duckdb
from .dbt_in_process import dbt_in_process


def freshness(db, target_path, monkeypatch) -> dict[str, str]:
    """`dbt source freshness` on `db` (dbt's runner, in this process)."""
    use_duckdb(monkeypatch, db)
    dbt_in_process(REPO_ROOT, "source", "freshness", "--target-path", str(target_path))
    results = json.loads((target_path / "sources.json").read_text())["results"]
    return {r["unique_id"].rsplit(".", 1)[-1]: r["status"] for r in results}


def landing_step_freshness(db, monkeypatch) -> dict[str, str]:
    """What the Dagster landing step logs (dagster_defs/landing.log_freshness), on `db`."""
    import dagster as dg

    from chargeback.landing.run import newest_landed
    from chargeback.landing.warehouse import Warehouse
    from chargeback.settings import load_settings
    from dagster_defs.landing import log_freshness

    monkeypatch.setenv("CHARGEBACK_TARGET", "duckdb")
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(db))
    with Warehouse.open(load_settings()) as wh:
        return log_freshness(dg.build_asset_context(), newest_landed(wh))


def test_fresh_feeds_pass_and_a_three_day_old_feed_warns(fixture_duckdb, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(fixture_duckdb, db)
    assert freshness(db, tmp_path / "t1", monkeypatch) == {
        "focus_usage": "pass", "ru_usage": "pass", "labour_activities": "pass"
    }  # fmt: skip
    con = duckdb.connect(str(db))
    con.execute("update main_raw.ru_usage set _loaded_at = _loaded_at - interval 3 day").fetchall()
    con.execute(
        "update main_raw.labour_activities set _loaded_at = _loaded_at - interval 8 day"
    ).fetchall()
    con.close()
    assert freshness(db, tmp_path / "t2", monkeypatch) == {
        "focus_usage": "pass", "ru_usage": "warn", "labour_activities": "error"
    }  # fmt: skip
    assert landing_step_freshness(db, monkeypatch) == {
        "focus_usage": "fresh", "ru_usage": "warn", "labour_activities": "stale"
    }  # fmt: skip
