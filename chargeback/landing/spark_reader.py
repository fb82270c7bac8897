"""Spark's own readers for the landing on Spark: CSV and gzip CSV through its text reader
and `from_csv`, Parquet through its Parquet reader, where they give records.py's rows.

As with DuckDB's reader (native.py), records.py is the definition of how a file splits
into records, and Spark reads a file only when its result is provably the same; any other
file goes through records.py (loader.py decides; tests/test_spark.py lands the same hostile
files both ways and compares the raw rows). The file's bytes never pass through Python on
this path: Spark reads them, numbers them, splits them and writes the raw table's Parquet.

CSV (plain or gzip), after the checks of native.is_eligible (UTF-8, no NUL, one-line header):
- Spark's text reader splits the file on `\\n` only. A line's number comes from where Spark
  read it: the block of the file (`_metadata.file_block_start`) and the row's position in
  its partition (`monotonically_increasing_id()`); a first pass counts each block's lines,
  so line = the lines of the blocks before + its position in its block. The file is read
  whole again when the rows are written, with the same blocks and so the same numbers;
- every line after the header must be one record, as records.py reads it: the file goes
  through records.py if any line is blank, holds a carriage return (but at its end) or
  another control character (but a tab), or is not *regular*: a comma-separated list of
  fields, each either without any quote character or wholly quoted with doubled quotes
  inside (RFC 4180; REGULAR). A regular line is one record for Python's csv, for Spark's
  CSV parser and for every RFC 4180 reader, with the same values;
- a line's field count is 1 + its commas outside quotes. Lines with the header's count are
  split by `from_csv` (an empty field, which Spark reads as null, is an empty string, as in
  Python's csv); the few others are split again by records.py from the file's bytes
  (native.pending_lines), which gives them their parse error and raw text;
- columns the feed does not know land in `_extra` as json.dumps writes them (`to_json`
  escapes a string as Python's json does: tested).
Parquet: Spark's reader, a row's number from `_metadata.row_index`, when every column has a
type whose text Spark writes as Arrow does (formats.as_text): strings, integers, booleans,
dates, and timestamps in seconds, milliseconds or microseconds without a zone or in UTC.
Floating-point, decimal, nested and binary columns (whose Arrow text differs from Spark's:
`100` against `100.0`, `1E-8` against `0.00000001`) send the file through Arrow.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import native
from .records import FileScan

log = logging.getLogger(__name__)

# one RFC 4180 field: wholly quoted (doubled quotes inside), or without any quote character
_QUOTED = '"(?:[^"]++|"")*+"'
REGULAR = f'^(?:{_QUOTED}|[^",]*+)(?:,(?:{_QUOTED}|[^",]*+))*+$'
# a line with any of these goes through records.py (a final \r is the line end's)
_CONTROL = "[\\x00-\\x08\\x0b-\\x1f\\x7f]"
# more lines than this with the wrong number of fields: records.py reads the whole file
MAX_PENDING = 10_000
_NULL_NEVER = native._NO_NULL


@dataclass
class SparkRead:
    """A file read by Spark: the raw table's rows as a DataFrame (evaluated when written),
    how many records, and records.py's rows of the lines Spark did not split (or None)."""

    frame: object
    rows: int
    parse_errors: int
    settled: pa.Table | None


def _functions():
    from pyspark.sql import functions as F

    return F


def _lineage(F, meta: dict, row, line) -> dict:
    return {
        "_file_id": F.lit(meta["file_id"]),
        "_source_file": F.lit(meta["source_file"]),
        "_source_row": row.cast("bigint"),
        "_source_line": line.cast("bigint") if line is not None else F.lit(None).cast("bigint"),
        "_loaded_at": F.lit(meta["loaded_at"].isoformat(sep=" ")).cast("timestamp"),
        "_parse_error": F.lit(None).cast("string"),
        "_raw_line": F.lit(None).cast("string"),
    }


def _json_text(F, value):
    """json.dumps(value, ensure_ascii=False) of a string column (`null` for null)."""
    encoded = F.regexp_extract(F.to_json(F.struct(value.alias("v"))), r'^\{"v":(.*)\}$', 1)
    return F.when(value.isNull(), F.lit("null")).otherwise(encoded)


def _extra(F, extras: list[tuple[str, object]]):
    """`_extra` as loader._Batch writes it: json.dumps({header: value, ...})."""
    if not extras:
        return F.lit(None).cast("string")
    parts = [F.lit("{")]
    for n, (orig, value) in enumerate(extras):
        key = json.dumps(orig, ensure_ascii=False) + ": "
        parts += [F.lit((", " if n else "") + key), _json_text(F, value)]
    return F.concat(*parts, F.lit("}"))


def read_csv(
    spark, path: Path, layout: native.Layout, scan: FileScan, meta: dict, rejected_rows
) -> SparkRead | None:
    """A CSV file (plain or gzip) through Spark's text reader, or None when records.py
    must read it (see the module's docstring). `rejected_rows(lines)` builds records.py's
    rows of the lines whose fields do not fit (loader._Batch)."""
    F = _functions()
    if layout.width < 1 or not native._extras_are_unique(layout):
        return None
    expected = native.data_lines(scan)

    def lines():
        text = spark.read.option("lineSep", "\n").text(str(path))
        return text.select(
            F.regexp_replace("value", "\r$", "").alias("v"),
            F.col("_metadata.file_block_start").alias("b"),
            F.monotonically_increasing_id().alias("m"),
        )

    # a line's fields: 1 + its commas outside quoted fields (u: the line without them)
    unquoted = F.regexp_replace("v", _QUOTED, "")
    fields = F.expr("1 + length(u) - length(replace(u, ',', ''))")
    first = lines().withColumn("u", unquoted).select(
        "b", "m",
        (F.col("v").rlike(_CONTROL) | (F.col("v") == "") | ~F.col("v").rlike(REGULAR))
        .alias("odd"),
        (fields != layout.width).alias("misfit"),
    )  # fmt: skip
    blocks = first.groupBy("b").agg(
        F.min("m").alias("first"), F.max("m").alias("last"), F.count("*").alias("n"),
        F.sum(F.col("odd").cast("int")).alias("odd"),
        F.sum(F.col("misfit").cast("int")).alias("misfits"),
        # the block's first line: in the first block, the header, which records.py split
        F.min_by(F.col("odd").cast("int"), "m").alias("first_odd"),
        F.min_by(F.col("misfit").cast("int"), "m").alias("first_misfit"),
    ).orderBy("b").collect()  # fmt: skip
    if not blocks or sum(r["n"] for r in blocks) != expected + 1:
        return None  # Spark's lines are not the file's physical lines
    before, offsets = 0, {}
    for r in blocks:
        if r["last"] - r["first"] + 1 != r["n"]:
            return None  # positions that do not count the block's lines
        offsets[r["b"]] = before - r["first"]
        before += r["n"]
    if sum(r["odd"] for r in blocks) - blocks[0]["first_odd"] > 0:
        return None
    misfits = sum(r["misfits"] for r in blocks) - blocks[0]["first_misfit"]
    if misfits > MAX_PENDING:
        return None

    number = F.lit(0).cast("bigint")
    for b, offset in offsets.items():
        number = F.when(F.col("b") == b, F.col("m") + F.lit(offset)).otherwise(number)
    # every line fits (the usual file): no need to count its fields again
    if misfits:
        numbered = lines().withColumn("u", unquoted).select("v", number.alias("k"), fields)
    else:
        numbered = lines().select("v", number.alias("k"), F.lit(layout.width))
    numbered = numbered.toDF("v", "k", "fields")

    settled = None
    if misfits:
        pending = [
            r["k"] for r in numbered.where((F.col("k") >= 1) & (F.col("fields") != layout.width))
            .select("k").orderBy("k").collect()
        ]  # fmt: skip
        split = native.pending_lines(path, pending, layout.width, scan.line_index)
        if split is None:
            return None
        settled = rejected_rows(split)

    schema = ", ".join(f"c{i} string" for i in range(layout.width))
    options = {"sep": ",", "quote": '"', "escape": '"', "nullValue": _NULL_NEVER,
               "mode": "PERMISSIVE"}  # fmt: skip
    parsed = numbered.where((F.col("k") >= 1) & (F.col("fields") == layout.width)).select(
        "k", F.from_csv("v", schema, options).alias("f")
    )

    def value(i: int):
        return F.coalesce(F.col(f"f.c{i}"), F.lit(""))

    columns = _lineage(F, meta, F.col("k"), F.col("k") + 1)
    columns["_extra"] = _extra(F, [(orig, value(i)) for orig, i in layout.extras])
    for name, i in layout.positions.items():
        columns[name] = value(i)
    frame = parsed.select(*(c.alias(name) for name, c in columns.items()))
    return SparkRead(frame, expected, misfits, settled)


def _parquet_text(F, column, kind: pa.DataType):
    """A Spark column as Arrow's text of it (formats.as_text), or None when Spark cannot
    write it the same way."""
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return column
    if pa.types.is_dictionary(kind) and pa.types.is_string(kind.value_type):
        return column
    if pa.types.is_integer(kind) and kind != pa.uint64():
        return column.cast("string")
    if pa.types.is_boolean(kind) or pa.types.is_date32(kind):
        return column.cast("string")
    if pa.types.is_timestamp(kind) and kind.unit in ("s", "ms", "us") and kind.tz in (None, "UTC"):
        fraction = {"s": "", "ms": ".SSS", "us": ".SSSSSS"}[kind.unit]
        text = F.date_format(column, f"yyyy-MM-dd HH:mm:ss{fraction}")
        return F.concat(text, F.lit("Z")) if kind.tz else text
    return None


def read_parquet(spark, path: Path, layout, meta: dict) -> SparkRead | None:
    """A Parquet file through Spark's reader, or None when Arrow must read it."""
    F = _functions()
    parquet = pq.ParquetFile(path)
    schema = parquet.schema_arrow
    if len(set(schema.names)) != len(schema.names):
        return None
    frame = spark.read.parquet(str(path))
    texts = []
    for field in schema:
        text = _parquet_text(F, F.col(f"`{field.name.replace('`', '``')}`"), field.type)
        if text is None:
            log.debug("%s: column %s (%s) is read by Arrow", path.name, field.name, field.type)
            return None
        texts.append(text)
    row = F.col("_metadata.row_index") + 1
    columns = _lineage(F, meta, row, None)
    columns["_extra"] = _extra(F, [(orig, texts[i]) for orig, i in layout.extras])
    for name, i in layout.positions.items():
        columns[name] = texts[i]
    out = frame.select(*(c.alias(name) for name, c in columns.items()))
    return SparkRead(out, parquet.metadata.num_rows, 0, None)
