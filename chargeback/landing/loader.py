"""Land files from the landing folder into raw warehouse tables.

Rules (each one tested in tests/test_landing.py):
- a file is CSV, gzip CSV or Parquet, told by its name (formats.py);
- every file is recorded in the manifest: path, sha256, row count, loaded_at. A file's
  rows and its manifest row land in one transaction, all or nothing (on DuckDB the files
  its reader reads share one per million rows, two at once: _Staging);
- a file whose sha256 is already in the manifest is skipped: landing twice changes nothing;
- a file with a `<name>.sha256` sidecar that does not match its bytes is refused, recorded
  in landing_refusals, and reported with a clear message; it is never partly loaded;
- every record lands. A line that cannot be split into the header's columns lands with its
  raw text and a `_parse_error`; dbt quarantines it. Python drops nothing and types nothing.
  How a file is split into records, one bad line costing one record: records.py; DuckDB's
  reader gives the same records faster where it provably can: native.py;
- a file that cannot be landed at all (empty, a header without the feed's columns, any
  error while landing it) is refused with its reason and the other files still land:
  refusals.py. Landing never raises on bad data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from . import formats, native, spark_reader
from .feeds import FEEDS, LINEAGE_COLUMNS, MANIFEST_TABLE, REFUSALS_TABLE, Feed, snake_case
from .records import FileScan, records, scan_file
from .refusals import FileRefused, refuse_empty, refuse_header, refuse_unreadable
from .warehouse import Warehouse

log = logging.getLogger(__name__)

BATCH_ROWS = 50_000
# rows of DuckDB-read files landed in one transaction (_Staging): whole row groups
STAGED_ROWS = 1_000_000
# how many of those transactions run at once, each on its own connection (_Staging)
LANDING_WORKERS = 2
# CSV files are read by DuckDB's reader where it gives exactly records.py's rows (native.py),
# and on Spark by Spark's own readers first (spark_reader.py);
# CHARGEBACK_LANDING_READER=python reads every file with records.py, and =duckdb skips
# Spark's readers on Spark (faster on one machine: docs/spark.md)
READER_ENV = "CHARGEBACK_LANDING_READER"
SIDECAR_SUFFIX = ".sha256"


class ChecksumMismatch(ValueError):
    """A file's bytes do not match the checksum declared in its sidecar."""


@dataclass
class FileResult:
    source_file: str
    feed: str
    status: str  # loaded | skipped | refused
    rows: int = 0
    parse_errors: int = 0
    file_id: str = ""
    message: str = ""


@dataclass
class LandingReport:
    files: list[FileResult] = field(default_factory=list)

    def by_status(self, status: str) -> list[FileResult]:
        return [f for f in self.files if f.status == status]

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows for f in self.by_status("loaded"))

    def summary(self) -> str:
        return (
            f"{len(self.by_status('loaded'))} file(s) loaded ({self.rows_loaded} rows), "
            f"{len(self.by_status('skipped'))} already loaded, "
            f"{len(self.by_status('refused'))} refused"
        )


def declared_sha256(path: Path) -> str | None:
    """The checksum in `<file>.sha256` (sha256sum format), or None when there is no sidecar."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return None
    text = sidecar.read_text(encoding="utf-8").strip()
    return text.split()[0].lower() if text else ""


def discover(landing_dir: Path, feed: Feed) -> list[Path]:
    """Data files of a feed, in a stable order. Sidecars and `_`/`.` paths are skipped."""
    root = landing_dir / feed.folder
    if not root.is_dir():
        return []
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(landing_dir)
        if not path.is_file() or path.name.endswith(SIDECAR_SUFFIX):
            continue
        if any(part.startswith(("_", ".")) for part in rel.parts):
            continue
        files.append(path)
    return files


class _Batch:
    """Column buffers for one Arrow batch of a raw table."""

    def __init__(self, feed: Feed, header: list[str], meta: dict) -> None:
        self.feed = feed
        self.meta = meta
        names = [snake_case(h) for h in header]
        known = feed.column_set
        self.positions = {}  # raw column -> index in the line
        self.extras = []  # (original header, index) of columns the feed does not know
        for i, (orig, name) in enumerate(zip(header, names, strict=True)):
            if name in known and name not in self.positions:
                self.positions[name] = i
            else:
                self.extras.append((orig, i))
        self.width = len(header)
        self.reset()

    def reset(self) -> None:
        self.rows: list[list[str]] = []
        self.row_no: list[int] = []
        self.line_no: list[int] = []
        self.errors: list[str | None] = []
        self.raw: list[str | None] = []

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, row_no: int, line_no: int, fields: list[str] | None, text: str, error):
        if error is None and fields is not None and len(fields) != self.width:
            error = f"expected {self.width} fields, found {len(fields)}"
        self.row_no.append(row_no)
        self.line_no.append(line_no)
        self.errors.append(error)
        self.raw.append(text.rstrip("\r\n") if error else None)
        self.rows.append(fields if error is None else [None] * self.width)

    def to_arrow(self) -> pa.Table:
        n = len(self.rows)
        by_position = list(zip(*self.rows, strict=True)) if n else [()] * self.width
        if self.extras:
            extra = [
                json.dumps({orig: row[i] for orig, i in self.extras}, ensure_ascii=False)
                if err is None
                else None
                for row, err in zip(self.rows, self.errors, strict=True)
            ]
        else:
            extra = [None] * n
        columns = {
            "_file_id": pa.array([self.meta["file_id"]] * n, pa.string()),
            "_source_file": pa.array([self.meta["source_file"]] * n, pa.string()),
            "_source_row": pa.array(self.row_no, pa.int64()),
            "_source_line": pa.array(self.line_no, pa.int64()),
            "_loaded_at": pa.array([self.meta["loaded_at"]] * n, pa.timestamp("us")),
            "_parse_error": pa.array(self.errors, pa.string()),
            "_raw_line": pa.array(self.raw, pa.string()),
            "_extra": pa.array(extra, pa.string()),
        }
        for name, idx in self.positions.items():
            columns[name] = pa.array(by_position[idx], pa.string())
        return pa.table(columns)


def _refuse(wh: Warehouse, source_file: str, feed: Feed, actual: str, declared, message: str):
    """Record a refusal once per file version, and report it."""
    if not wh.refusal_exists(source_file, actual):
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        wh.append(REFUSALS_TABLE, pa.table({
            "source_file": [source_file], "feed": [feed.name], "actual_sha256": [actual],
            "declared_sha256": pa.array([declared], pa.string()), "reason": [message],
            "refused_at": pa.array([now], pa.timestamp("us")),
        }))  # fmt: skip
        wh.commit() if wh.dialect == "postgres" else None
    return FileResult(source_file, feed.name, "refused", file_id=actual, message=message)


def _failed(source_file: str, exc: Exception) -> str:
    """The refusal message of a file whose landing raised."""
    return (
        f"Refused {source_file}: landing it failed ({type(exc).__name__}: "
        f"{str(exc).strip()[:300]}). No row of it landed; the other files still land."
    )


def land_file(
    wh: Warehouse,
    landing_dir: Path,
    path: Path,
    feed: Feed,
    loaded: dict,
    native: bool = True,
    staging: _Staging | None = None,
) -> FileResult:
    """Land one file, or skip or refuse it. With `staging` (DuckDB), a file DuckDB's reader
    can read waits, and lands in one of the staging's transactions (its result is complete
    once `staging.flush()` returns)."""
    source_file = path.relative_to(landing_dir).as_posix()
    scan = scan_file(path, feed.encoding)
    actual = scan.sha256
    declared = declared_sha256(path)
    if actual in loaded:
        return FileResult(source_file, feed.name, "skipped", file_id=actual,
                          message=f"already loaded as {loaded[actual]}")  # fmt: skip
    if declared is not None and declared != actual:
        message = (
            f"Refused {source_file}: its sha256 is {actual} but {path.name}{SIDECAR_SUFFIX} "
            f"declares {declared or '(empty)'}. The file was changed or truncated in transit; "
            "ask the sender to re-deliver it (or fix the sidecar) and land again."
        )
        return _refuse(wh, source_file, feed, actual, declared, message)
    try:
        refuse_unreadable(source_file, scan.content_error)
        refuse_empty(source_file, scan.content_bytes)
        rows, parse_errors, staged = _land_rows(
            wh, path, source_file, feed, scan, declared, native, staging
        )
    except FileRefused as exc:
        return _refuse(wh, source_file, feed, actual, declared, str(exc))
    except Exception as exc:
        log.debug("landing %s failed", source_file, exc_info=True)  # for a developer only
        return _refuse(wh, source_file, feed, actual, declared, _failed(source_file, exc))
    loaded[actual] = source_file
    result = FileResult(source_file, feed.name, "loaded", rows, parse_errors, actual)
    if staged is not None:
        staging.add(staged, result)
    return result


def _land_rows(
    wh: Warehouse, path: Path, source_file: str, feed: Feed, scan, declared, native_ok, staging
):
    """Land every record of one file and its manifest row in one transaction: (rows, parse
    errors, None), or (rows, parse errors, _Staged) when the file waits for `staging`'s."""
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    meta = {"file_id": scan.sha256, "source_file": source_file, "loaded_at": loaded_at}
    if native_ok and staging is not None:  # DuckDB: read in one pass, with other files
        plan, header_text = _plan_native(path, source_file, feed, scan, meta)
        if plan is not None:
            staged = _Staged(feed, staging.next_tag(), path, source_file, scan, meta, declared,
                             header_text, plan)  # fmt: skip
            return native.data_lines(scan), 0, staged  # counted again when it lands
        native_ok = False  # records.py
    by_spark = _read_spark(wh, path, source_file, feed, scan, meta) if native_ok else None
    read = None
    if native_ok and by_spark is None:
        read = _read_native(wh, path, source_file, feed, scan, meta)
    wh.begin()
    try:
        if by_spark is not None:
            spark_read, header_text = by_spark
            wh.append_frame(feed.table, spark_read.frame)
            if spark_read.settled is not None:
                wh.append(feed.table, spark_read.settled)
            rows, parse_errors = spark_read.rows, spark_read.parse_errors
        elif read is not None:
            rows, parse_errors, header_text = read
            _append_native(wh, feed)
        else:
            land_records = _land_parquet if formats.is_parquet(path) else _land_csv
            rows, parse_errors, header_text = land_records(wh, path, source_file, feed, scan, meta)
        wh.append(MANIFEST_TABLE, _manifest_row(feed, scan, declared, rows, header_text, meta))
        wh.commit()
    except BaseException:
        wh.rollback()
        raise
    finally:
        if read is not None:
            native.cleanup(wh.reader)
    return rows, parse_errors, None


def _manifest_row(feed: Feed, scan, declared, rows: int, header_text: str, meta: dict):
    return pa.table({
        "file_id": [scan.sha256], "feed": [feed.name], "source_file": [meta["source_file"]],
        "size_bytes": pa.array([scan.size_bytes], pa.int64()),
        "row_count": pa.array([rows], pa.int64()),
        "declared_sha256": pa.array([declared], pa.string()),
        "header": [header_text.rstrip("\r\n")],
        "loaded_at": pa.array([meta["loaded_at"]], pa.timestamp("us")),
    })  # fmt: skip


@dataclass
class _Staged:
    """A CSV file DuckDB's reader will read straight into its raw table, in the staging's
    next transaction (native.land_in_one_pass)."""

    feed: Feed
    tag: str
    path: Path
    source_file: str
    scan: FileScan
    meta: dict
    declared: str | None
    header_text: str
    plan: _NativePlan
    result: FileResult | None = None
    # records.py's rows of the lines the one pass left as placeholders: appended after
    # every file of the transaction is read (_Staging._append_settled)
    settled: pa.Table | None = None


class _Staging:
    """DuckDB: files its reader can read land together, in one transaction per about
    STAGED_ROWS rows, each with its manifest row. Each file is read straight into its raw
    table in that transaction (native.land_in_one_pass), every line a row in one pass, and
    LANDING_WORKERS such transactions run at once, each on its own connection, while the
    calling thread checksums the next files.

    Why together: DuckDB writes a transaction's rows straight into the database file only
    in whole row groups (122,880 rows); a smaller transaction goes through the write-ahead
    log and is written a second time at the checkpoint. At 10M rows, landing files together
    took 8% less CPU and less than half the memory (2.2 GB against 5.0 GB). Why in one
    pass: a temporary table and an insert wrote every row twice. Why several at once: the
    one pass numbers the lines on one thread (benchmarks/results/2026-12-05-build.md and
    2026-12-06-build.md).
    Nothing but appends runs in that transaction: records.py's rows of the lines the one
    pass left as placeholders are appended after every file is read, and the placeholders
    are deleted once the transactions commit (land); an update, or an insert between two
    files' inserts into one table, made DuckDB log every row of the transaction.
    A file is still all or nothing with its manifest row. A file the one pass cannot read
    exactly (rejected lines, a line count that does not match) has its rows deleted and is
    read again in the same transaction, in two passes (native.read) or by records.py. If a
    shared transaction fails, it is rolled back and its files land again one transaction
    each; a file whose DuckDB read fails then goes through records.py, and one that cannot
    land at all is refused alone. Appends from two transactions never conflict in DuckDB,
    and the record order the models use is explicit (landing time, file, record number)."""

    def __init__(
        self, wh: Warehouse, loaded: dict, rows: int = STAGED_ROWS, workers: int = LANDING_WORKERS
    ) -> None:
        self.wh = wh
        self.loaded = loaded
        self.rows = rows
        self.waiting: list[_Staged] = []
        self.tags = 0
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="landing")
        self.pending: list[Future] = []
        self.local = threading.local()
        self.connections: list = []
        self.lock = threading.Lock()

    def next_tag(self) -> str:
        self.tags += 1
        return f"_{self.tags}"

    def add(self, staged: _Staged, result: FileResult) -> None:
        staged.result = result
        self.waiting.append(staged)
        if sum(s.result.rows for s in self.waiting) >= self.rows:
            self._submit()

    def _submit(self) -> None:
        waiting, self.waiting = self.waiting, []
        if waiting:
            self.pending.append(self.pool.submit(self._land_together, waiting))

    def flush(self) -> None:
        """Land every waiting file and wait for every transaction; one file that cannot land
        is refused (its result says why)."""
        self._submit()
        pending, self.pending = self.pending, []
        for future in pending:
            future.result()  # a worker raises only on a bug, never on bad data

    def close(self) -> None:
        """Wait for the transactions, then close the workers' connections."""
        try:
            self.flush()
        finally:
            self.pool.shutdown()
            for con in self.connections:
                con.close()

    def _worker(self) -> Warehouse:
        """This worker thread's own connection to the warehouse (a DuckDB cursor)."""
        wh = getattr(self.local, "wh", None)
        if wh is None:
            con = self.wh.con.cursor()
            with self.lock:
                self.connections.append(con)
            wh = self.local.wh = Warehouse(self.wh.settings, con)
        return wh

    def _append(self, wh: Warehouse, staged: _Staged, duckdb_reads: bool = True) -> None:
        """Land one file's rows and its manifest row, in the open transaction."""
        st = staged
        st.settled = None  # from an earlier try that was rolled back
        read = _land_one_pass(wh, st) or _land_two_passes(wh, st) if duckdb_reads else None
        if read is None:
            read = _land_csv(wh, st.path, st.source_file, st.feed, st.scan, st.meta)[:2]
        st.result.rows, st.result.parse_errors = read
        manifest = _manifest_row(st.feed, st.scan, st.declared, read[0], st.header_text, st.meta)
        wh.append(MANIFEST_TABLE, manifest)

    def _land_together(self, waiting: list[_Staged]) -> None:
        wh = self._worker()
        try:
            wh.begin()
            try:
                for staged in waiting:
                    self._append(wh, staged)
                self._append_settled(wh, waiting)
                wh.commit()
                return
            except Exception:
                log.debug("landing %d files together failed", len(waiting), exc_info=True)
                wh.rollback()
            for staged in waiting:  # one transaction each: only a bad file is refused
                self._land_alone(wh, staged)
        finally:
            for staged in waiting:
                native.cleanup(wh.reader, staged.tag)

    @staticmethod
    def _append_settled(wh: Warehouse, staged: list[_Staged]) -> None:
        """Append records.py's rows of the placeholders' lines, one insert per raw table,
        after every file's one pass: a small insert between two files' inserts into the same
        table made DuckDB log both files' rows in the write-ahead log (1.25 GB at 10M rows);
        after them, it logs the last partial row group only."""
        for st in staged:
            if st.settled is not None:
                native.append_settled(wh.con, wh.qualified(st.feed.table), st.settled)
            st.settled = None

    def _land_alone(self, wh: Warehouse, staged: _Staged) -> None:
        """One file in its own transaction: read by DuckDB, else by records.py, else refused."""
        for duckdb_reads in (True, False):
            if not duckdb_reads:
                log.debug("%s is read by records.py", staged.source_file)
            try:
                wh.begin()
                self._append(wh, staged, duckdb_reads)
                self._append_settled(wh, [staged])
                wh.commit()
                return
            except Exception as exc:
                wh.rollback()
                log.debug("landing %s failed", staged.source_file, exc_info=True)
                error = exc
        self._refuse(wh, staged, error)

    def _refuse(self, wh: Warehouse, staged: _Staged, exc: Exception) -> None:
        result = staged.result
        refused = _refuse(wh, result.source_file, staged.feed, result.file_id,
                          staged.declared, _failed(result.source_file, exc))  # fmt: skip
        with self.lock:
            self.loaded.pop(result.file_id, None)
        result.status, result.rows, result.parse_errors = "refused", 0, 0
        result.message = refused.message


@dataclass(frozen=True)
class _NativePlan:
    """How DuckDB's reader lands a file: its layout, and how records.py's rows of the lines
    DuckDB could not split are built (loader._Batch, as for any other record)."""

    layout: native.Layout
    rejected_rows: Callable[[list], pa.Table]


def _land_one_pass(wh: Warehouse, st: _Staged) -> tuple[int, int] | None:
    """Read the file straight into its raw table (native.land_in_one_pass): (rows, parse
    errors), or None, with none of its rows left, when it must be read another way."""
    table = wh.qualified(st.feed.table)
    file_id = st.meta["file_id"]
    read = native.land_in_one_pass(wh.con, table, st.path, st.plan.layout, st.scan, st.meta)
    if read is not None:
        rows, pending = read
        lines = (
            native.pending_lines(st.path, pending, st.plan.layout.width, st.scan.line_index)
            if pending
            else []
        )
        if lines is not None:
            st.settled = st.plan.rejected_rows(lines) if lines else None
            return rows, len(lines)
    wh.execute(f"delete from {table} where _file_id = ?", [file_id])
    log.debug("%s is read in two passes", st.source_file)
    return None


def _land_two_passes(wh: Warehouse, st: _Staged) -> tuple[int, int] | None:
    """The file through a temporary table (native.read), in the open transaction: (rows,
    parse errors), or None when records.py must read it."""
    plan = st.plan
    read = native.read(wh.reader, st.path, plan.layout, st.scan, st.meta, plan.rejected_rows,
                       st.tag)  # fmt: skip
    if read is None:
        native.cleanup(wh.reader, st.tag)
        log.debug("%s is read by records.py", st.source_file)
        return None
    _append_native(wh, st.feed, st.tag)
    return read


def _header(path: Path, feed: Feed) -> tuple[list[str] | None, str]:
    """The file's header record and its raw text."""
    with formats.open_text(path, _text_encoding(feed)) as fh:
        _, header, header_text, _ = next(records(fh, feed.max_record_lines))
    return header, header_text


def _text_encoding(feed: Feed) -> str:
    utf8 = feed.encoding.lower().replace("_", "-") == "utf-8"
    return "utf-8-sig" if utf8 else feed.encoding


def _plan_native(path: Path, source_file: str, feed: Feed, scan, meta: dict):
    """Whether DuckDB's reader may read this CSV file (native.is_eligible): (plan, header
    text), or (None, header text) when it goes through records.py. Refuses a bad header."""
    if formats.is_parquet(path):
        return None, ""
    header, header_text = _header(path, feed)
    refuse_header(source_file, feed, header or [], header_text)
    if not native.is_eligible(path, feed.encoding, scan, header_text):
        return None, header_text
    layout = _Batch(feed, header, meta)

    def rejected_rows(lines) -> pa.Table:
        layout.reset()
        for line, fields, text, error in lines:
            layout.add(line - 1, line, fields, text, error)
        return layout.to_arrow()

    shape = native.Layout(layout.width, layout.positions, layout.extras)
    return _NativePlan(shape, rejected_rows), header_text


def _read_spark(wh: Warehouse, path: Path, source_file: str, feed: Feed, scan, meta: dict):
    """On Spark, the file through Spark's own reader (spark_reader.py): (SparkRead, header
    text), or None when DuckDB's reader or records.py must read it. Refuses a bad header."""
    if wh.dialect != "spark" or os.environ.get(READER_ENV, "").lower() == "duckdb":
        return None
    if formats.is_parquet(path):
        header = formats.parquet_header(path)
        header_text = ",".join(header)
        refuse_header(source_file, feed, header, header_text)
        layout = _Batch(feed, header, meta)
        reading = lambda: spark_reader.read_parquet(wh.con.spark, path, layout, meta)  # noqa: E731
    else:
        plan, header_text = _plan_native(path, source_file, feed, scan, meta)
        if plan is None:
            return None
        reading = lambda: spark_reader.read_csv(  # noqa: E731
            wh.con.spark, path, plan.layout, scan, meta, plan.rejected_rows
        )
    try:
        read = reading()
    except Exception:  # Spark could not read it: records.py will, or will say why
        log.debug("Spark's reader failed on %s", source_file, exc_info=True)
        read = None
    if read is None:
        log.debug("%s is not read by Spark's reader", source_file)
        return None
    return read, header_text


def _read_native(
    wh: Warehouse, path: Path, source_file: str, feed: Feed, scan, meta: dict, tag: str = ""
):
    """Read a CSV file with DuckDB's reader into temporary tables (native.read), before the
    landing transaction: (rows, parse errors, header), or None when it must go through
    records.py."""
    plan, header_text = _plan_native(path, source_file, feed, scan, meta)
    if plan is None:
        return None
    try:
        read = native.read(wh.reader, path, plan.layout, scan, meta, plan.rejected_rows, tag)
    except Exception:  # DuckDB could not read it: records.py will, or will say why
        log.debug("native read of %s failed", source_file, exc_info=True)
        read = None
    if read is None:
        native.cleanup(wh.reader, tag)
        log.debug("%s is read by records.py", source_file)
        return None
    return (*read, header_text)


def _append_native(wh: Warehouse, feed: Feed, tag: str = "") -> None:
    """Append the rows native.read left in its temporary table to the feed's raw table."""
    if wh.dialect == "duckdb":
        columns = [c for c, _ in LINEAGE_COLUMNS] + list(_native_columns(wh, tag))
        cols = ", ".join(f'"{c}"' for c in columns)
        wh.execute(
            f"insert into {wh.qualified(feed.table)} ({cols}) select {cols} from _native_rows{tag}"
        )
    else:
        for batch in native.rows_reader(wh.reader, BATCH_ROWS, tag):
            wh.append(feed.table, pa.Table.from_batches([batch]))


def _native_columns(wh: Warehouse, tag: str = "") -> list[str]:
    described = wh.reader.execute(f"describe _native_rows{tag}").fetchall()
    lineage = {c for c, _ in LINEAGE_COLUMNS}
    return [row[0] for row in described if row[0] not in lineage]


def _land_csv(wh: Warehouse, path: Path, source_file: str, feed: Feed, scan, meta: dict):
    """The records of a CSV file (plain or gzip), in batches: (rows, parse errors, header)."""
    rows = parse_errors = 0
    check_bytes = scan.has_nul or not scan.is_decodable
    with formats.open_text(path, _text_encoding(feed)) as fh:
        split = records(fh, feed.max_record_lines, check_bytes, feed.encoding)
        _, header, header_text, _ = next(split)
        refuse_header(source_file, feed, header or [], header_text)
        batch = _Batch(feed, header, meta)
        for line_no, fields, text, error in split:
            if fields == [] and error is None:  # a blank line is not a record
                continue
            rows += 1
            batch.add(rows, line_no, fields, text, error)
            if len(batch) >= BATCH_ROWS:
                parse_errors += sum(e is not None for e in batch.errors)
                wh.append(feed.table, batch.to_arrow())
                batch.reset()
        parse_errors += sum(e is not None for e in batch.errors)
        wh.append(feed.table, batch.to_arrow())
    return rows, parse_errors, header_text


def _land_parquet(wh: Warehouse, path: Path, source_file: str, feed: Feed, scan, meta: dict):
    """The rows of a Parquet file, batch by batch, as text (formats.py): (rows, 0, header)."""
    header = formats.parquet_header(path)
    header_text = ",".join(header)
    refuse_header(source_file, feed, header, header_text)
    layout = _Batch(feed, header, meta)  # which column lands where; extras go to _extra
    rows = 0
    for batch in formats.parquet_batches(path, BATCH_ROWS):
        n = batch.num_rows
        columns = {
            "_file_id": pa.array([meta["file_id"]] * n, pa.string()),
            "_source_file": pa.array([meta["source_file"]] * n, pa.string()),
            "_source_row": pa.array(range(rows + 1, rows + n + 1), pa.int64()),
            "_source_line": pa.nulls(n, pa.int64()),
            "_loaded_at": pa.array([meta["loaded_at"]] * n, pa.timestamp("us")),
            "_parse_error": pa.nulls(n, pa.string()),
            "_raw_line": pa.nulls(n, pa.string()),
            "_extra": pa.nulls(n, pa.string()),
        }
        if layout.extras:
            values = {orig: formats.as_text(batch.column(i)).to_pylist()
                      for orig, i in layout.extras}  # fmt: skip
            columns["_extra"] = pa.array(
                [json.dumps({k: v[r] for k, v in values.items()}, ensure_ascii=False)
                 for r in range(n)], pa.string(),
            )  # fmt: skip
        for name, idx in layout.positions.items():
            columns[name] = formats.as_text(batch.column(idx))
        wh.append(feed.table, pa.table(columns))
        rows += n
    return rows, 0, header_text


def land(
    wh: Warehouse,
    landing_dir: Path,
    feeds: Iterable[str] | None = None,
    native_reader: bool | None = None,
) -> LandingReport:
    """Land every new file of the given feeds (all by default). Never raises on bad data.

    `native_reader`: read CSV with DuckDB where it gives records.py's rows (default: yes,
    unless CHARGEBACK_LANDING_READER=python)."""
    if native_reader is None:
        native_reader = os.environ.get(READER_ENV, "native").lower() != "python"
    wh.ensure_schema()
    loaded = wh.loaded_file_ids()
    report = LandingReport()
    staging = _Staging(wh, loaded) if native_reader and wh.dialect == "duckdb" else None
    try:
        for name in feeds or FEEDS:
            feed = FEEDS[name]
            for path in discover(landing_dir, feed):
                report.files.append(
                    land_file(wh, landing_dir, path, feed, loaded, native_reader, staging)
                )
    finally:
        if staging is not None:
            staging.close()  # every transaction ends before the report is read
    if wh.dialect == "duckdb":
        for feed in FEEDS.values():
            native.drop_placeholders(wh.con, wh.qualified(feed.table))
    for result in report.files:
        log.info("%s %s: %s rows %s", result.status, result.source_file, result.rows,
                 result.message)  # fmt: skip
    wh.checkpoint()
    return report
