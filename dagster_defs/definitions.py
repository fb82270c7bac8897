"""The one code location: landing assets, dbt assets and checks, the refresh job, its
schedule and sensor, and the month-end close job and its schedule."""

import dagster as dg

from . import automation, close, dbt
from .landing import assets as landing_assets

defs = dg.Definitions.merge(landing_assets.defs, dbt.defs, automation.defs, close.defs)
