"""Deterministic demo-data generator for the chargeback landing zone.

Writes three feeds of CSV files (cloud FOCUS 1.2 usage for AWS and Microsoft,
data-center resource units, service-desk labour) for the customers, cost centers,
cloud sub-accounts and SKUs found in the repository's ``seeds/`` folder, with a
controlled amount of injected "dirt" whose exact counts are reported in the summary.

Run ``python -m chargeback.demo_data --help`` for the CLI; call :func:`generate` from
Python (it returns the same summary the CLI writes to ``<out>/_meta/generation.json``).

Modules: ``world`` (the seeds), ``catalog`` (cloud providers and SKUs), ``months``,
``options`` (defaults, validation), ``plan`` (lines per file), ``feeds`` (series and
columns), ``cloud`` / ``ru`` / ``labour`` (fleets and row builders), ``dirt``,
``series_month`` (one file, chunk by chunk), ``writer`` (files, background I/O),
``generation`` (``generate()``), ``cli`` and ``_util``.

Design notes
------------
* Determinism: every random draw comes from ``numpy.random.default_rng`` seeded with
  ``[seed, stream, month, chunk]`` (a SeedSequence entropy list); nothing depends on the
  clock, on ``hash()`` or on dict ordering of unordered containers.  The same arguments
  give byte-identical files.  (Changing ``chunk_rows`` changes the random streams, so it
  changes the data, though not its shape.)
* Bounded memory: each (feed, month) file is produced in chunks of at most
  ``CHUNK_ROWS`` lines which are written and dropped before the next chunk is built.
  Only small per-month plans, the reference fleets and the handful of lines to be
  re-emitted as next month's duplicates live longer than a chunk.
* Speed: numbers are drawn and priced with numpy (integer fixed-point money, so
  BilledCost = PricingQuantity x ContractedUnitPrice exactly); a line is the ``str.join``
  or f-string of pre-quoted pieces (for cloud, per-resource pre-joined field groups).  The
  rare rows that differ (credits, dirt) are re-split and re-joined field by field.  File
  writes and SHA-256 hashing run on a background thread (both release the GIL).
"""

from .cli import main
from .dirt import DIRT_KINDS, MALFORMED_KINDS
from .feeds import FOCUS_COLUMNS, LABOUR_COLUMNS, RU_COLUMNS
from .generation import generate
from .series_month import CHUNK_ROWS
from .writer import MAX_ROWS_PER_FILE

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
