"""The one code location: landing assets, dbt assets and checks, job, schedule, sensor."""

import dagster as dg

from . import automation, dbt
from .landing import assets as landing_assets

defs = dg.Definitions.merge(landing_assets.defs, dbt.defs, automation.defs)
