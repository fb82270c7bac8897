"""Why a whole file is refused before any of its rows lands.

A refused file lands no row; it is recorded in `landing_refusals` with its reason (dbt's
`stg_landing__file_refusals`, the Data quality page) and the other files still land. It is
tried again on the next landing, so a sender's corrected re-delivery, or a fix of the cause,
lands it. A file is refused when:
- its bytes do not match the checksum of its `.sha256` sidecar (loader.land_file);
- it is empty (0 bytes, once decompressed): a delivery that failed, not a month without
  usage;
- it is a gzip file that cannot be decompressed (truncated in transit, or not gzip);
- its header does not hold the columns its feed needs to bill (`Feed.required`), naming the
  missing ones, or the delimiter that the header seems to use instead of a comma;
- landing it failed for any other reason: the error is the reason, never a traceback.
"""

from __future__ import annotations

from .feeds import Feed, snake_case

OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}


class FileRefused(ValueError):
    """A file that lands no row, with the reason a person can act on."""


def refuse_empty(source_file: str, size_bytes: int) -> None:
    if size_bytes == 0:
        raise FileRefused(
            f"Refused {source_file}: the file is empty (0 bytes), not even a header. "
            "A failed or interrupted delivery: ask the sender to deliver it again."
        )


def refuse_unreadable(source_file: str, content_error: str | None) -> None:
    if content_error:
        raise FileRefused(
            f"Refused {source_file}: {content_error}. Ask the sender to deliver it again."
        )


def refuse_header(source_file: str, feed: Feed, header: list[str], header_text: str) -> None:
    """Refuse a header that lacks a required column, or that a wrong delimiter splits."""
    names = {snake_case(h) for h in header}
    missing = [column for column in feed.required if column not in names]
    if not missing:
        return
    for delimiter, word in OTHER_DELIMITERS.items():
        split = {snake_case(h) for h in header_text.strip().split(delimiter)}
        if len(split) > 1 and split & set(feed.required):
            raise FileRefused(
                f"Refused {source_file}: its header is separated by {word}s ({delimiter!r}), "
                f"but {feed.name} files are comma-separated CSV. Export it again with commas."
            )
    if not names & set(feed.columns):
        raise FileRefused(
            f"Refused {source_file}: its first line is not a {feed.name} header (none of "
            f"the feed's columns was found in {header_text.strip()[:80]!r})."
        )
    raise FileRefused(
        f"Refused {source_file}: the {feed.name} feed needs the column(s) "
        f"{', '.join(missing)}, missing from its header. Nothing of the file was billed."
    )
