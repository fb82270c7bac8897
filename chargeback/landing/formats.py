"""The file formats a feed may deliver: CSV, gzip-compressed CSV and Parquet.

AWS Data Exports deliver FOCUS as gzip CSV or Parquet, Azure cost exports as gzip CSV or
Parquet; meters and ServiceNow exports are plain CSV. The format is told by the file name:
- `*.gz` (`*.csv.gz`): gzip CSV. The file's checksum (its identity in the manifest, and what
  a `.sha256` sidecar declares) is the one of the bytes delivered, compressed; every other
  rule is the CSV one, applied to the decompressed text (records.py);
- `*.parquet`: the columns by name, with their types. Values land as text, as every landed
  value does: Arrow's own text form for numbers, booleans, dates and timestamps (which the
  staging models parse), JSON for nested values (a map of tags). A row's record number is
  its position in the file; a Parquet file has no lines, so `_source_line` and `_raw_line`
  stay null, and no row can be malformed;
- anything else: CSV text.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def is_parquet(path: Path) -> bool:
    return path.name.lower().endswith(".parquet")


def open_content(path: Path) -> IO[bytes]:
    """The file's content as bytes: decompressed for gzip."""
    return gzip.open(path, "rb") if is_gzip(path) else path.open("rb")


def open_text(path: Path, encoding: str) -> IO[str]:
    """The file's content as text for the CSV reader (undecodable bytes kept as surrogates)."""
    if is_gzip(path):
        return gzip.open(path, "rt", encoding=encoding, errors="surrogateescape", newline="")
    return path.open("r", encoding=encoding, errors="surrogateescape", newline="")


def parquet_header(path: Path) -> list[str]:
    return list(pq.ParquetFile(path).schema_arrow.names)


def as_text(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A Parquet column as landed text: Arrow's text form, JSON for nested values."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    if pa.types.is_string(kind):
        return column
    if pa.types.is_large_string(kind) or pa.types.is_dictionary(kind):
        return pc.cast(column, pa.string())
    if pa.types.is_nested(kind) or pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        values = column.to_pylist()
        return pa.array([None if v is None else _json(v) for v in values], pa.string())
    return pc.cast(column, pa.string())


def _json(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, list) and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        value = dict(value)  # a map column: a list of (key, value) pairs
    return json.dumps(value, ensure_ascii=False, default=str)


def parquet_batches(path: Path, batch_rows: int) -> Iterator[pa.RecordBatch]:
    yield from pq.ParquetFile(path).iter_batches(batch_size=batch_rows)
