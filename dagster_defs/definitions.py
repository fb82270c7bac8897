"""The one code location: landing assets, dbt assets and checks, the refresh job, its
schedule and sensor, the month-end close job and its schedule, and the budget-alert job
and its sensor."""

import dagster as dg

from . import alerts, automation, close, dbt
from .landing import assets as landing_assets

defs = dg.Definitions.merge(landing_assets.defs, dbt.defs, automation.defs, close.defs, alerts.defs)
