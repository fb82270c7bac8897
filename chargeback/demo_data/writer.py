"""File writing: temp file -> rename, streaming sha256, sidecar, parts.

Writes and hashing run on a background I/O thread.  Also the file names and the removal
of a previous run's files.
"""

from __future__ import annotations

import hashlib
import io
import os
import queue
import threading
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from .catalog import PROVIDERS
from .months import Month

#: Files with more data rows than this are split into ``_part01``, ``_part02``, ...
MAX_ROWS_PER_FILE = 500_000

_ENCODE_LINES = 8_192


class BackgroundIO:
    """Runs file writes, hashing and renames on one worker thread, in submission order.

    ``write`` and ``sha256.update`` release the GIL, so they overlap with building the next
    chunk.  The queue is bounded, so at most a few encoded chunks wait in memory.
    """

    def __init__(self, depth: int = 4) -> None:
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="demo-data-io", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            if self._error is None:
                try:
                    task()
                except BaseException as exc:  # re-raised in the main thread
                    self._error = exc

    def submit(self, task: Callable[[], None]) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(task)

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error


class _OpenFile:
    """One output file being written (by the I/O thread) to a hidden temp name."""

    def __init__(self, path: Path, rel: str, feed: str) -> None:
        self.path, self.rel, self.feed = path, rel, feed
        self.tmp = path.with_name(f".{path.name}.tmp")
        self.fh: io.BufferedWriter | None = None
        self.hash = hashlib.sha256()

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = self.tmp.open("wb")

    def write(self, data: bytes) -> None:
        assert self.fh is not None
        self.fh.write(data)
        self.hash.update(data)

    def finish(self, rows: int, files: list[dict[str, Any]]) -> None:
        assert self.fh is not None
        self.fh.close()
        os.replace(self.tmp, self.path)
        digest = self.hash.hexdigest()
        sidecar = self.path.with_name(self.path.name + ".sha256")
        sidecar.write_bytes(f"{digest}  {self.path.name}\n".encode())
        files.append({"path": self.rel, "feed": self.feed, "rows": rows, "sha256": digest})


class SeriesWriter:
    """Writes one (series, month) output, split into parts above ``max_rows`` data rows."""

    def __init__(
        self,
        bg: BackgroundIO,
        out_dir: Path,
        rel_stem: str,
        header: Sequence[str],
        feed: str,
        planned_lines: int,
        max_rows: int,
        files: list[dict[str, Any]],
    ) -> None:
        self.bg = bg
        self.out_dir = out_dir
        self.rel_stem = rel_stem
        self.header = (",".join(header) + "\n").encode()
        self.feed = feed
        self.split = planned_lines > max_rows
        self.max_rows = max_rows
        self.files = files
        self.part = 0
        self.current: _OpenFile | None = None
        self.rows = 0

    def _open(self) -> None:
        self.part += 1
        suffix = f"_part{self.part:02d}" if self.split else ""
        rel = f"{self.rel_stem}{suffix}.csv"
        self.current = f = _OpenFile(self.out_dir / rel, rel, self.feed)
        self.rows = 0
        self.bg.submit(f.open)
        self.bg.submit(partial(f.write, self.header))

    def _close(self) -> None:
        assert self.current is not None
        self.bg.submit(partial(self.current.finish, self.rows, self.files))
        self.current = None

    def write(self, lines: list[str]) -> None:
        start = 0
        while start < len(lines):
            if self.current is None or (self.split and self.rows >= self.max_rows):
                if self.current is not None:
                    self._close()
                self._open()
            assert self.current is not None
            room = self.max_rows - self.rows if self.split else len(lines) - start
            end = min(start + room, len(lines))
            # encode in slices so only a few MB of bytes wait in the I/O queue
            for lo in range(start, end, _ENCODE_LINES):
                piece = lines[lo : min(lo + _ENCODE_LINES, end)]
                self.bg.submit(partial(self.current.write, ("\n".join(piece) + "\n").encode()))
            self.rows += end - start
            start = end

    def close(self) -> None:
        if self.current is None and self.part == 0:
            self._open()  # always leave a file (with its header) behind
        if self.current is not None:
            self._close()


_OWNED = (
    ("focus/aws", "focus_aws_*.csv*"),
    ("focus/microsoft", "focus_microsoft_*.csv*"),
    ("ru", "ru_usage_*.csv*"),
    ("labour", "servicedesk_*.csv*"),
    ("focus/sample", "focus_sample.csv"),
    ("_meta", "generation.json"),
)


def remove_previous_output(out_dir: Path, keep: Path | None = None) -> None:
    """Delete only files this generator writes, so a smaller re-run leaves no stale months."""
    for folder, pattern in _OWNED:
        d = out_dir / folder
        if d.is_dir():
            for p in d.glob(pattern):
                if p.is_file() and p != keep:
                    p.unlink()
            for p in d.glob(".*.csv.tmp"):
                p.unlink()


def series_stem(series: str, month: Month) -> str:
    if series in PROVIDERS:
        return f"focus/{series}/focus_{series}_{month.label}"
    if series == "ru":
        return f"ru/ru_usage_{month.label}"
    return f"labour/servicedesk_{month.label}"
