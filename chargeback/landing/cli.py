"""`chargeback-land`: land the files of the landing folder without Dagster (ops and tests)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ..settings import load_settings
from .loader import land
from .warehouse import Warehouse, WarehouseError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chargeback-land", description=__doc__)
    parser.add_argument("--landing", type=Path, help="landing folder (CHARGEBACK_LANDING_DIR)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = load_settings()
    landing_dir = (args.landing or settings.landing_dir).resolve()
    if not landing_dir.is_dir():
        print(f"chargeback-land: no landing folder at {landing_dir}", file=sys.stderr)
        return 2
    try:
        with Warehouse.open(settings) as wh:
            report = land(wh, landing_dir)
    except WarehouseError as exc:
        print(f"chargeback-land: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    for refused in report.by_status("refused"):
        print(refused.message, file=sys.stderr)
    return 1 if report.by_status("refused") else 0


if __name__ == "__main__":
    sys.exit(main())
