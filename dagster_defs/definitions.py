"""The one code location: landing assets, dbt assets and checks, the refresh job, its
schedule and sensor, the month-end close job and its schedule, and the budget-alert job
and its sensor."""

import dagster as dg

from . import alerts, automation, close, dbt, landing

defs = dg.Definitions.merge(landing.defs, dbt.defs, automation.defs, close.defs, alerts.defs)
