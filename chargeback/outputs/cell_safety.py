"""Spreadsheet cells that stay data: no text from a feed ever runs as a formula.

A value from a landed file (a cloud service name, a dispute's description) reaches the
CSV and Excel files finance opens. A text that starts with `=`, `+`, `-` or `@` would run
as a formula there (`=HYPERLINK("http://evil","x")`): OWASP's CSV-injection rule.
- CSV: such a text cell is written with a leading apostrophe (`'=HYPERLINK(...)`), which
  spreadsheets show as text. Numbers, dates and empty cells are never changed.
- Excel: every cell is written as the type it holds; a text that looks like a formula is
  stored as text (`keep_text`). Only the formulas our own code writes (an invoice's total)
  stay formulas.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as it may be written to a CSV cell (None and NaN as an empty cell)."""
    if value is None or value != value:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


def keep_text(workbook, formulas: Iterable[tuple[str, str]] = ()) -> None:
    """Store as text every cell that openpyxl took for a formula, except the (sheet title,
    coordinate) cells in `formulas`, which our code wrote as formulas on purpose."""
    ours = set(formulas)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and (sheet.title, cell.coordinate) not in ours:
                    cell.data_type = "s"
