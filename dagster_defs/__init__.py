"""Dagster code location of the chargeback warehouse (see definitions.py)."""
