"""DuckDB's own CSV reader for the files it can read exactly as records.py would.

records.py is the definition of how a file splits into records; this is a faster way to
get the same rows, used when it provably gives them. DuckDB's `read_csv` (every value as
text, `store_rejects`) reads the file; the few lines it rejects are split again by
records.py, so a malformed line lands with the same raw text and the same parse error.

It is used only when the result is provably the same, and otherwise the file goes through
records.py (loader.py decides; tests/test_native_landing.py compares both, row for row):
- the file is UTF-8 text with no NUL byte and no invalid byte, and its header is one line;
- every physical line after the header is exactly one record: the rows DuckDB accepted
  plus the lines it rejected make up every line of the file. A quoted newline, a blank
  line or an unclosed quote breaks that count, and the file goes through records.py;
- DuckDB rejected lines only for their number of fields (too few or too many), each on one
  line. Any other rejection goes through records.py.
Then a record's number is its line number minus one (the header is line 1), its values are
the text between the delimiters (DuckDB and Python's csv agree on quotes and doubled quotes;
an empty field stays an empty string), and columns the feed does not know land in `_extra`
as the same JSON text.

Two ways to read, with the same checks:
- `land_in_one_pass` (DuckDB's own warehouse): `read_csv` straight into the raw table, every
  line a row (`null_padding`, plus spare columns, so a line with too few or too many fields
  is a row too: a placeholder, marked pending); `row_number() over ()` numbers the lines (a
  streaming window keeps the scan in file order). The pending lines are then split again
  from the file's bytes by records.py, whose rows (with their parse error and raw text) are
  appended in the same transaction; the placeholders are deleted after it, and staging
  never reads one. If DuckDB rejects any line, or the rows do not count the lines, the
  caller deletes the file's rows and reads it the other way;
- `read` (PostgreSQL, or the fallback): `read_csv` into a temporary table with
  `store_rejects`, rejected lines split by records.py; the caller appends the rows.
"""

from __future__ import annotations

import bisect
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from . import formats
from .feeds import LINEAGE_COLUMNS
from .records import LINE_INDEX_STEP, FileScan, records

# DuckDB reads a field equal to its null string as NULL; no delivered value is this string,
# so every empty field stays '' as Python's csv gives it
_NO_NULL = "\x01chargeback:never-null\x02"
_COLUMN_COUNT_ERRORS = ("MISSING COLUMNS", "TOO MANY COLUMNS")
# land_in_one_pass: the parse error of a placeholder, the row of a line whose fields do not
# fit, until records.py's own row of the line replaces it (append_settled,
# drop_placeholders; staging skips it: macros/landing_lineage.sql); and how many fields
# more than the header a line may have and still be read in one pass (a line with more is
# rejected by DuckDB: the file is read again)
PENDING = "\x01chargeback:pending"
SPARE_COLUMNS = 8


@dataclass(frozen=True)
class Layout:
    """Which line position lands in which raw column, and which go to `_extra`."""

    width: int
    positions: dict[str, int]  # raw column -> index in the line
    extras: list[tuple[str, int]]  # (original header, index) of columns the feed does not know


def is_eligible(path: Path, encoding: str, scan: FileScan, header_text: str) -> bool:
    """Whether the file may be read natively at all (before reading it)."""
    utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8")
    return (
        utf8
        and scan.is_decodable
        and not scan.has_nul
        and scan.content_error is None
        and header_text.rstrip("\r\n").count("\n") == 0
        and "\r" not in header_text.rstrip("\r\n")
        and not path.name.lower().endswith(".parquet")
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _extra_sql(extras: list[tuple[str, int]]) -> str:
    """`_extra` as json.dumps({header: value, ...}, ensure_ascii=False) writes it."""
    if not extras:
        return "cast(null as varchar)"
    parts = [
        _literal(json.dumps(orig, ensure_ascii=False) + ": ") + f" || to_json(c{i})::varchar"
        for orig, i in extras
    ]
    return "'{' || " + " || ', ' || ".join(parts) + " || '}'"


def data_lines(scan: FileScan) -> int:
    """Physical lines after the header: newlines, plus an unterminated last line."""
    lines = scan.newlines + (0 if scan.ends_with_newline or scan.content_bytes == 0 else 1)
    return max(lines - 1, 0)


def _last_scan_id(con) -> int:
    """The last `store_rejects` scan of this connection (its reject tables are temporary)."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = 'reject_scans' and temporary"
    ).fetchall()[0][0]
    if not exists:
        return -1
    return con.execute("select coalesce(max(scan_id), -1) from reject_scans").fetchall()[0][0]


def read(con, path: Path, layout: Layout, scan: FileScan, meta: dict, rejected_rows, tag=""):
    """Read `path` into the temporary view `_native_rows<tag>`, in the raw table's columns.

    `tag` keeps the temporary objects of files read before one landing transaction apart.

    Returns (rows, parse errors), or None when the file must go through records.py.
    `rejected_rows(records)` turns the rejected lines' records into an Arrow table of raw
    rows (loader._Batch), so both paths build a malformed row the same way."""
    if not _extras_are_unique(layout):
        return None
    before = _last_scan_id(con)
    con.execute(
        f"create or replace temp table _native_read{tag} as "
        f"select * from {_read_csv_sql(path, layout.width)}"
    ).fetchall()
    rejected = con.execute(
        "select e.line, e.error_type, e.csv_line from reject_errors as e "
        "where e.scan_id > ? order by e.line",
        [before],
    ).fetchall()
    accepted = con.execute(f"select count(*) from _native_read{tag}").fetchall()[0][0]
    lines = {}
    for line, error_type, csv_line in rejected:
        if error_type not in _COLUMN_COUNT_ERRORS or any(c in csv_line for c in "\r\n"):
            return None
        if not csv_line.strip() or lines.get(line, csv_line) != csv_line:
            return None
        lines[line] = csv_line
    if accepted + len(lines) != data_lines(scan):
        return None
    first, last = con.execute(f"select min(rowid), max(rowid) from _native_read{tag}").fetchall()[0]
    if accepted and last - first + 1 != accepted:
        return None  # row ids that do not count the rows in file order
    batch = rejected_rows(
        [(n, *next(records(io.StringIO(text + "\n"), 1))[1:]) for n, text in lines.items()]
    )
    con.register("_native_batch", batch)
    try:
        con.execute(
            f"create or replace temp table _native_malformed{tag} as select * from _native_batch"
        ).fetchall()
    finally:
        con.unregister("_native_batch")
    # The k-th accepted row is on the k-th line DuckDB did not reject: line k + 1, plus one
    # per rejected line before it. The j-th rejected line r (in order) is before the k-th
    # accepted row when r - j <= k (r - j never decreases), so an as-of join on r - j
    # finds how many are.
    con.execute(
        f"create or replace temp table _native_skips{tag} as select threshold, max(j) as skipped "
        "from (select line - row_number() over (order by line) as threshold, "
        "row_number() over (order by line) as j from (select unnest(?::bigint[]) as line)) "
        "group by threshold",
        [sorted(lines)],
    ).fetchall()
    skipped = "coalesce(t.skipped, 0)" if lines else "0"
    skips = f"asof left join _native_skips{tag} as t on a.k >= t.threshold" if lines else ""
    values = ", ".join(f"a.c{i} as {_quote(name)}" for name, i in layout.positions.items())
    malformed = ", ".join(_quote(name) for name in layout.positions)
    con.execute(
        f"""create or replace temp view _native_rows{tag} as
        with numbered as (
            select *, rowid - {first or 0} + 1 as k from _native_read{tag}
        ),
        accepted as (
            select
                {_literal(meta["file_id"])} as _file_id,
                {_literal(meta["source_file"])} as _source_file,
                a.k + {skipped} as _source_row, a.k + {skipped} + 1 as _source_line,
                {_literal(meta["loaded_at"].isoformat(sep=" "))}::timestamp as _loaded_at,
                cast(null as varchar) as _parse_error, cast(null as varchar) as _raw_line,
                {_extra_sql(layout.extras)} as _extra,
                {values}
            from numbered as a {skips}
        ),
        malformed as (
            select _file_id, _source_file, _source_row, _source_line, _loaded_at,
                _parse_error, _raw_line, _extra, {malformed}
            from _native_malformed{tag}
        )
        select * from accepted union all select * from malformed"""
    ).fetchall()
    errors = sum(e is not None for e in batch.column("_parse_error").to_pylist())
    return accepted + len(lines), errors


def _extras_are_unique(layout: Layout) -> bool:
    """False for a repeated unknown header: json.dumps would keep its last value only."""
    return len({orig for orig, _ in layout.extras}) == len(layout.extras)


def _read_csv_sql(path: Path, width: int, **options: str) -> str:
    """`read_csv` of the file after its header, every field as text (see the module doc)."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    extra = "".join(f", {name} = {value}" for name, value in options.items())
    return (
        f"read_csv({_literal(str(path))}, header = false, skip = 1, columns = {columns}, "
        "delim = ',', quote = '\"', escape = '\"', auto_detect = false, store_rejects = true, "
        f"allow_quoted_nulls = false, nullstr = {_literal(_NO_NULL)}, "
        f"max_line_size = 67108864{extra})"
    )


def land_in_one_pass(con, table: str, path: Path, layout: Layout, scan: FileScan, meta: dict):
    """Insert every line of the file into `table` (the raw table, qualified), in one pass.

    Returns (rows, pending record numbers): the records whose fields did not fit carry the
    parse error PENDING, and `pending_lines` gives the text to split them again. Returns
    None when the file must be read another way; its rows may then be in `table`, and the
    caller deletes them (in the same transaction)."""
    if not _extras_are_unique(layout) or layout.width < 1:
        return None
    ordered = con.execute("select current_setting('preserve_insertion_order')").fetchall()
    if not ordered[0][0]:
        return None  # the scan would not keep file order under row_number()
    last = f"c{layout.width - 1}"
    fits = f"a.{last} is not null and a.c{layout.width} is null"
    values = ", ".join(
        f"case when {fits} then a.c{i} end as {_quote(name)}"
        for name, i in layout.positions.items()
    )
    # the lineage columns in feeds.LINEAGE_COLUMNS' order, as the select below gives them
    columns = ", ".join(_quote(c) for c in [*(c for c, _ in LINEAGE_COLUMNS), *layout.positions])
    before = _last_scan_id(con)
    # one thread: the numbering window is one anyway, and DuckDB's parallel scanner refuses
    # null_padding on a file with a quoted newline (then the line count shows it)
    source = _read_csv_sql(
        path, layout.width + SPARE_COLUMNS, null_padding="true", parallel="false"
    )
    inserted = con.execute(
        f"""insert into {table} ({columns})
        select
            {_literal(meta["file_id"])}, {_literal(meta["source_file"])}, a.k, a.k + 1,
            {_literal(meta["loaded_at"].isoformat(sep=" "))}::timestamp,
            case when not ({fits}) then {_literal(PENDING)} end,
            cast(null as varchar),
            case when {fits} then {_extra_sql(layout.extras)} end,
            {values}
        from (select row_number() over () as k, * from {source}) as a"""
    ).fetchall()[0][0]
    rejected = con.execute(
        "select count(*) from reject_errors where scan_id > ?", [before]
    ).fetchall()[0][0]
    if rejected or inserted != data_lines(scan):
        return None
    pending = con.execute(
        f"select _source_row from {table} where _file_id = ? and _parse_error = ? order by 1",
        [meta["file_id"], PENDING],
    ).fetchall()
    return inserted, [row[0] for row in pending]


def pending_lines(path: Path, numbers: list[int], width: int, index=()):
    """(line number, fields, text, parse error) of the given records, split by records.py
    from their physical lines (record n is line n + 1), or None when one of them is not a
    line holding one record whose fields do not fit `width` (the file is then read another
    way: DuckDB and records.py would not agree on it). `index`: the file's
    FileScan.line_index, to read only around those lines."""
    found = _physical_lines(path, {n + 1 for n in numbers}, index)
    out = []
    for n in numbers:
        raw = found.get(n + 1)
        if raw is None:
            return None
        text = raw.decode("utf-8", "surrogateescape")
        if "\r" in text.removesuffix("\n").removesuffix("\r"):
            return None  # records.py would see more than one line
        split = list(records(io.StringIO(text), 1))
        if len(split) != 1 or split[0][1] == []:
            return None  # a blank line is not a record
        _, fields, record_text, error = split[0]
        if error is None and fields is not None and len(fields) == width:
            return None
        out.append((n + 1, fields, record_text, error))
    return out


def append_settled(con, table: str, rows: pa.Table) -> None:
    """Append records.py's rows of the pending lines (`rows`: loader._Batch's rows of them,
    each with its parse error and raw text) to `table`, in the landing transaction. Their
    placeholders stay until `drop_placeholders`, and staging never reads a placeholder
    (macros/landing_lineage.sql, is_landed_record).

    An append, not an update of the placeholders: an update or a delete in the transaction
    that appended the file's rows makes DuckDB write every row of that transaction through
    the write-ahead log at commit, and write it again at the checkpoint, instead of keeping
    the row groups it already wrote (measured at 10M rows: 9.9 s of commits with the update,
    1.5 s and an 84 MB log with this append at the end of each transaction;
    benchmarks/results/2026-12-07b-build.md)."""
    columns = ", ".join(_quote(c) for c in rows.column_names)
    con.register("_native_settled", rows)
    try:
        con.execute(
            f"insert into {table} ({columns}) select {columns} from _native_settled"
        ).fetchall()
    finally:
        con.unregister("_native_settled")


def drop_placeholders(con, table: str) -> None:
    """Delete the placeholders of lines whose own rows landed (`append_settled`), in a
    transaction of its own, after the landing transactions. Run at the end of every landing,
    so one left by a landing that stopped in between goes at the next."""
    con.execute(f"delete from {table} where _parse_error = ?", [PENDING]).fetchall()


def _physical_lines(
    path: Path, wanted: set[int], index: tuple[tuple[int, int], ...] = ()
) -> dict[int, bytes]:
    """The bytes of the wanted physical lines (1 is the header), each with its line end.

    Counts newlines block by block (C speed) and splits only the blocks that hold a wanted
    line; a line may run over blocks. With the file's line index (FileScan.line_index), it
    jumps to the mark before each wanted line instead of reading the file up to it."""
    targets = sorted(wanted, reverse=True)
    found: dict[int, bytes] = {}
    marks = [newlines for _, newlines in index]  # newlines before each mark
    block_size = LINE_INDEX_STEP if index else 1 << 20
    line, carry = 1, b""  # the number of the line `carry` starts
    with formats.open_content(path) as fh:
        while targets:
            # the last mark with fewer than (wanted line - 1) newlines before it: the line
            # starts after it. Jump there when it is past what has been read
            j = bisect.bisect_left(marks, targets[-1] - 1) - 1
            if j >= 0 and index[j][0] > fh.tell():
                fh.seek(index[j][0])
                line, carry = marks[j] + 1, b""  # carry starts inside line marks[j] + 1
            block = fh.read(block_size)
            if not block:
                break
            data = carry + block
            complete = data.count(b"\n")
            if targets[-1] < line + complete:
                parts = data.split(b"\n")
                while targets and targets[-1] < line + complete:
                    wanted_line = targets.pop()
                    found[wanted_line] = parts[wanted_line - line] + b"\n"
                carry = parts[-1]
            else:
                carry = data[data.rfind(b"\n") + 1 :] if complete else data
            line += complete
    if targets and targets[-1] == line and carry:
        found[targets.pop()] = carry  # the last line, with no newline after it
    return found


def cleanup(con, tag: str = "") -> None:
    """Drop what `read` left behind."""
    con.execute(f"drop view if exists _native_rows{tag}").fetchall()
    for table in ("_native_read", "_native_malformed", "_native_skips"):
        con.execute(f"drop table if exists {table}{tag}").fetchall()


def rows_reader(con, batch_rows: int, tag: str = "") -> pa.RecordBatchReader:
    """The rows read, as Arrow batches (for PostgreSQL's COPY)."""
    return con.sql(f"select * from _native_rows{tag}").to_arrow_reader(batch_rows)
