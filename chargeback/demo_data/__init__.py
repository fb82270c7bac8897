"""Deterministic demo-data generator for the chargeback landing zone.

Run ``python -m chargeback.demo_data --help`` for the CLI; call :func:`generate` from
Python (it returns the same summary the CLI writes to ``<out>/_meta/generation.json``).
"""

from .generator import (
    CHUNK_ROWS,
    DIRT_KINDS,
    FOCUS_COLUMNS,
    LABOUR_COLUMNS,
    MALFORMED_KINDS,
    MAX_ROWS_PER_FILE,
    RU_COLUMNS,
    generate,
    main,
)

__all__ = [
    "CHUNK_ROWS",
    "DIRT_KINDS",
    "FOCUS_COLUMNS",
    "LABOUR_COLUMNS",
    "MALFORMED_KINDS",
    "MAX_ROWS_PER_FILE",
    "RU_COLUMNS",
    "generate",
    "main",
]
