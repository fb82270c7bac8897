"""Split a landed file into records: one bad line costs one record, never the file.

A record is what the feed's CSV dialect says is one row. What can go wrong with one, and
what the loader does (each case tested in tests/test_hardening.py):
- an unclosed quote: csv would read on to the next quote character, swallowing every line
  in between (a million valid lines into one bad record). A feed declares how many physical
  lines one record may span (`Feed.max_record_lines`: 1 for meters, which never hold a
  newline in a value; more for ServiceNow exports, whose notes do). A record that spans
  more is cut back to its first line, quarantined as `unclosed quote`, and the lines after
  it are read again as records of their own;
- bytes that are not valid in the feed's declared encoding (`Feed.encoding`, UTF-8 unless
  CHARGEBACK_LANDING_ENCODING_<FEED> declares another, for example latin-1): the record is
  quarantined with the byte and its position, never decoded into `�`;
- a NUL byte (which PostgreSQL cannot store in text): the record is quarantined; its raw
  text keeps the byte written as `\\x00`.
The slow checks (encoding, NUL) run only on files whose bytes showed the problem when their
checksum was computed (`FileScan`), so a clean file is split at full speed.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import itertools
import re
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import formats

csv.field_size_limit(64 * 1024 * 1024)

_UNDECODABLE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class FileScan:
    """What one pass over a file's bytes tells: its checksum, size and byte-level problems."""

    sha256: str  # of the bytes delivered (compressed, for a gzip file)
    size_bytes: int  # delivered
    content_bytes: int  # once decompressed: 0 is an empty file
    has_nul: bool
    is_decodable: bool  # every byte is valid in the feed's encoding
    content_error: str | None = None  # a gzip file that cannot be decompressed: why
    newlines: int = 0  # newline bytes in the content: its physical lines (native.py)
    ends_with_newline: bool = True
    # where to start reading for a given line, in a file read as it is (not gzip): the
    # offset of every LINE_INDEX_STEP-th byte, and how many newlines come before it
    line_index: tuple[tuple[int, int], ...] = ()


# the spacing of FileScan.line_index: native.pending_lines reads at most about this many
# bytes to find one line, instead of the whole file
LINE_INDEX_STEP = 1 << 16


_ASCII_SUPERSETS = ("utf-8", "iso8859-1", "cp1252", "ascii")


class _ContentCheck:
    """NUL bytes and decodability of a stream of content blocks, block by block."""

    def __init__(self, encoding: str, index_lines: bool = False) -> None:
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        # ASCII text is valid in these encodings whatever came before (no pending bytes)
        self.ascii_compatible = codecs.lookup(encoding).name in _ASCII_SUPERSETS
        self.size, self.has_nul, self.decodable = 0, False, True
        self.newlines, self.last_byte = 0, b""
        self.line_index: list[tuple[int, int]] | None = [] if index_lines else None

    def update(self, block: bytes) -> None:
        if not block:
            return
        if self.line_index is None:
            self.newlines += block.count(b"\n")
        else:
            for start in range(0, len(block), LINE_INDEX_STEP):
                self.line_index.append((self.size + start, self.newlines))
                self.newlines += block.count(b"\n", start, start + LINE_INDEX_STEP)
        self.size += len(block)
        self.last_byte = block[-1:]
        self.has_nul = self.has_nul or b"\x00" in block
        if self.decodable:
            if self.ascii_compatible and block.isascii() and not self.decoder.getstate()[0]:
                return  # no decoding needed (a text file is mostly ASCII blocks)
            try:
                self.decoder.decode(block)
            except UnicodeDecodeError:
                self.decodable = False

    def finish(self) -> None:
        if self.decodable:
            try:
                self.decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.decodable = False


def scan_file(path: Path, encoding: str) -> FileScan:
    """Checksum and byte checks in one pass over a CSV file; a gzip file's content is checked
    in a second pass, decompressed; a Parquet file's bytes are not text (formats.py)."""
    digest = hashlib.sha256()
    size = 0
    plain = not (formats.is_gzip(path) or formats.is_parquet(path))
    content = _ContentCheck(encoding, index_lines=plain)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
            if plain:
                content.update(block)
    error = None
    if formats.is_gzip(path):
        try:
            with formats.open_content(path) as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    content.update(block)
        except (OSError, EOFError, zlib.error) as exc:
            error = f"it is not a valid gzip file ({exc})"
    elif formats.is_parquet(path):
        content.size = size
    content.finish()
    return FileScan(
        digest.hexdigest(), size, content.size, content.has_nul, content.decodable, error,
        content.newlines, content.last_byte in (b"\n", b""), tuple(content.line_index or ()),
    )  # fmt: skip


def _byte_problem(text: str, encoding: str) -> str | None:
    """Why a record's text cannot be stored as it is, or None."""
    match = _UNDECODABLE.search(text)
    if match:
        byte = ord(match.group()) - 0xDC00
        return (
            f"not valid {encoding}: byte 0x{byte:02X} at character {match.start() + 1} "
            "(declare the feed's encoding with CHARGEBACK_LANDING_ENCODING_<FEED>)"
        )
    if "\x00" in text:
        return f"contains a NUL byte at character {text.index(chr(0)) + 1}"
    return None


def printable(text: str) -> str:
    """A record's raw text as it can be stored: undecodable bytes and NUL written as \\xNN."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text.replace("\x00", "\\x00")


def records(
    fh, max_record_lines: int, check_bytes: bool = False, encoding: str = "utf-8"
) -> Iterator[tuple[int, list[str] | None, str, str | None]]:
    """Yield (first physical line number, fields or None, raw text, parse error) per record.

    `fh` is a text file opened with newline="" and errors="surrogateescape"."""
    pushback: deque[tuple[int, str]] = deque()  # lines to read again, with their numbers
    consumed: list[tuple[int, str]] = []
    counter = itertools.count(1)

    def lines() -> Iterator[str]:
        while True:
            if pushback:
                number, line = pushback.popleft()
            else:
                line = fh.readline()
                if not line:
                    return
                number = next(counter)
            consumed.append((number, line))
            yield line

    reader = csv.reader(lines(), strict=False)
    while True:
        try:
            fields = next(reader)
            error = None
        except StopIteration:
            return
        except csv.Error as exc:
            fields, error = None, f"csv error: {exc}"
        if not consumed:  # the reader ended inside its own buffer
            return
        first, first_text = consumed[0]
        if len(consumed) > max_record_lines:
            # an unclosed quote ran over the next lines: keep its first line as the bad
            # record, and read the others again
            pushback.extendleft(reversed(consumed[1:]))
            consumed.clear()
            limit = "one line" if max_record_lines == 1 else f"{max_record_lines} lines"
            error = f"unclosed quote: the record would run over more than {limit}"
            yield first, None, printable(first_text), error
            reader = csv.reader(lines(), strict=False)
            continue
        text = first_text if len(consumed) == 1 else "".join(t for _, t in consumed)
        consumed.clear()
        if check_bytes:
            problem = _byte_problem(text, encoding)
            if problem:
                yield first, None, printable(text), problem
                continue
        yield first, fields, text, error
