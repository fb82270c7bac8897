"""Dagster code location of the chargeback warehouse (see definitions.py): the wiring only
(assets, jobs, schedules, sensors, checks), calling the `chargeback` library."""
