"""Exports for budget planners: the LAR workbook and the annual operating budget report.

    chargeback-export lar --customer C01 --out-dir exports/
    chargeback-export budget --fiscal-year 2027 --out-dir exports/

Each is written twice: a formatted Excel workbook (.xlsx, openpyxl) and the same figures as
CSV. The figures are the marts' (fct_lar_forecasts, fct_forecasts, fct_budget_vs_actual,
fct_forecast_accuracy), as stored: decimals, never floats, so the workbook's totals are the
marts' totals to the cent. Reads through short-lived read-only connections.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from chargeback.db import query, relation
from chargeback.outputs.cell_safety import csv_row, keep_text

MONEY = "#,##0.00;[Red]-#,##0.00"
VOLUME = "#,##0.0000"
ROLE_LABELS = {
    "actual": "Actual",
    "current_estimate": "Estimated (billed + forecast)",
    "forecast": "Forecast",
}


class NoData(Exception):
    """The warehouse has nothing to export for what was asked."""


def lar_rows(customer_id: str):
    frame = query(
        f"select * from {relation('fct_lar_forecasts')} where customer_id = ? "
        "order by fiscal_year, service_category",
        (customer_id,),
    )
    if frame.empty:
        raise NoData(
            f"No LAR figures for customer {customer_id!r}: is it a customer with usage "
            "(fct_lar_forecasts)?"
        )
    return frame


def lar_table(frame) -> tuple[list[int], list[str], dict[tuple[str, int], Decimal]]:
    """Fiscal years, service categories and the total of each (category, year)."""
    years = sorted({int(y) for y in frame["fiscal_year"]})
    categories = sorted(set(frame["service_category"]))
    cells: dict[tuple[str, int], Decimal] = {}
    for row in frame.itertuples(index=False):
        key = (row.service_category, int(row.fiscal_year))
        cells[key] = cells.get(key, Decimal("0")) + Decimal(row.total_amount)
    return years, categories, cells


def _style_header(ws, row: int, columns: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for column in range(1, columns + 1):
        cell = ws.cell(row=row, column=column)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E78")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(ws, widths: dict[str, int]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def write_lar(customer_id: str, out_dir: Path) -> tuple[Path, Path]:
    """Write LAR_<customer>_<biennium>.xlsx and .csv; return their paths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    frame = lar_rows(customer_id)
    first = frame.iloc[0]
    biennium = first["requested_biennium"]
    currency = first["currency"]
    years, categories, cells = lar_table(frame)
    roles = {int(r.fiscal_year): r.fiscal_year_role for r in frame.itertuples(index=False)}
    requested = {
        int(r.fiscal_year) for r in frame.itertuples(index=False) if r.is_requested_biennium
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"LAR_{customer_id}_{biennium}"

    wb = Workbook()
    ws = wb.active
    ws.title = "LAR"
    ws["A1"] = f"Legislative Appropriations Request {biennium}: {first['customer_name']}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"IT shared services billed by State Data Center Services, in {currency}, by fiscal "
        "year and service category. Sources: fct_lar_forecasts (billed lines without tax; "
        "forecast from fct_forecasts)."
    )
    header_row = 4
    ws.cell(row=header_row, column=1, value="Service category")
    for i, year in enumerate(years, start=2):
        label = f"FY{year}\n{ROLE_LABELS[roles[year]]}"
        if year in requested:
            label += "\nRequested"
        ws.cell(row=header_row, column=i, value=label)
    ws.cell(row=header_row + 1, column=1)
    _style_header(ws, header_row, len(years) + 1)
    ws.row_dimensions[header_row].height = 48
    row = header_row + 1
    for category in categories:
        ws.cell(row=row, column=1, value=category)
        for i, year in enumerate(years, start=2):
            cell = ws.cell(row=row, column=i, value=cells.get((category, year), Decimal("0.00")))
            cell.number_format = MONEY
        row += 1
    ws.cell(row=row, column=1, value="Total").font = Font(bold=True)
    for i, year in enumerate(years, start=2):
        total = sum((cells.get((c, year), Decimal("0")) for c in categories), Decimal("0"))
        cell = ws.cell(row=row, column=i, value=total)
        cell.number_format = MONEY
        cell.font = Font(bold=True)
    biennium_total = sum((v for (c, y), v in cells.items() if y in requested), Decimal("0"))
    ws.cell(row=row + 2, column=1, value=f"Requested biennium {biennium}").font = Font(bold=True)
    cell = ws.cell(row=row + 2, column=2, value=biennium_total)
    cell.number_format = MONEY
    cell.font = Font(bold=True)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
    _widths(ws, {"A": 34, **{get_column_letter(i): 20 for i in range(2, len(years) + 2)}})

    monthly = query(
        "select billing_month, fiscal_year, service_category, service_name, sku_id, "
        "pricing_unit, volume, planned_change_ids, rate_version, unit_price, rate_multiplier, "
        f"currency, amount from {relation('fct_forecasts')} where customer_id = ? "
        "order by billing_month, service_category, sku_id",
        (customer_id,),
    )
    detail = wb.create_sheet("Monthly forecast")
    headers = [
        "Month", "Fiscal year", "Service category", "Service", "SKU", "Unit", "Volume",
        "Planned changes", "Rate version", "Unit price", "Multiplier", "Currency", "Amount",
    ]  # fmt: skip
    detail.append(headers)
    _style_header(detail, 1, len(headers))
    for r in monthly.itertuples(index=False):
        detail.append([
            str(r.billing_month)[:7], int(r.fiscal_year), r.service_category, r.service_name,
            r.sku_id, r.pricing_unit, r.volume, r.planned_change_ids, r.rate_version,
            r.unit_price, r.rate_multiplier, r.currency, r.amount,
        ])  # fmt: skip
        detail.cell(row=detail.max_row, column=7).number_format = VOLUME
        detail.cell(row=detail.max_row, column=13).number_format = MONEY
    detail.freeze_panes = "A2"
    _widths(detail, {"A": 10, "B": 10, "C": 20, "D": 26, "E": 16, "F": 18, "G": 16, "H": 16,
                     "I": 12, "J": 12, "K": 11, "L": 9, "M": 16})  # fmt: skip

    assumptions = wb.create_sheet("Assumptions")
    origin = query(
        f"select * from {relation('int_forecast_origins')} where origin_type = 'forecast'"
    )
    accuracy = query(
        f"select service_name, forecast_wape_percent, naive_wape_percent from "
        f"{relation('fct_forecast_accuracy')} order by service_name"
    )
    changes = query(
        "select change_id, sku_id, change_type, effective_month, quantity_delta, "
        f"percent_delta, description from {relation('planned_changes')} where customer_id = ? "
        "order by effective_month, change_id",
        (customer_id,),
    )
    notes = [
        ("Forecast origin", str(origin.iloc[0]["origin_month"])[:7] if not origin.empty else ""),
        ("Method", "Per customer and SKU: a least-squares trend of the daily volume over up to "
                   "36 months, times seasonal indices (ratio to trend, by calendar month, when "
                   "24 months or more of history exist), times the days of each month "
                   "(docs/forecasting.md)."),
        ("Rates", "The approved rate-card version in force each month, announced future "
                  "versions included, times the customer's shift and site multiplier of the "
                  "last 12 months."),
        ("Currency", f"{currency}; amounts in another rate currency are converted at the "
                     "latest rate known at the forecast origin."),
        ("Fiscal year", "Named after the year it ends in; a biennium is two fiscal years."),
        ("Not forecast", "Contract lines (subscriptions, discounts, true-ups), adjustments, "
                         "credits and tax are in the actuals only."),
    ]  # fmt: skip
    assumptions.append(["Assumption", "Value"])
    _style_header(assumptions, 1, 2)
    for name, value in notes:
        assumptions.append([name, value])
    assumptions.append([])
    assumptions.append(["Planned changes", "Effective month, SKU, change, quantity, percent"])
    for c in changes.itertuples(index=False):
        assumptions.append([
            c.change_id,
            f"{str(c.effective_month)[:7]} {c.sku_id} {c.change_type}: "
            f"{c.quantity_delta or ''} {c.percent_delta or ''} {c.description}",
        ])  # fmt: skip
    assumptions.append([])
    assumptions.append(["Backtest (WAPE %)", "Method / naive last value"])
    for a in accuracy.itertuples(index=False):
        assumptions.append([a.service_name, f"{a.forecast_wape_percent} / {a.naive_wape_percent}"])
    _widths(assumptions, {"A": 28, "B": 110})

    xlsx = out_dir / f"{stem}.xlsx"
    keep_text(wb)
    wb.save(xlsx)
    csv_path = out_dir / f"{stem}.csv"
    columns = [
        "customer_id", "customer_name", "requested_biennium", "fiscal_year", "fiscal_year_role",
        "is_requested_biennium", "service_category", "currency", "actual_amount",
        "forecast_amount", "total_amount",
    ]  # fmt: skip
    _write_csv(csv_path, columns, frame[columns].itertuples(index=False))
    return xlsx, csv_path


def write_operating_budget(fiscal_year: int, out_dir: Path) -> tuple[Path, Path]:
    """Write the annual operating budget report of a fiscal year (.xlsx and .csv)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    frame = query(
        "select customer_id, customer_name, fiscal_year, currency, budget_amount, "
        "actual_amount, last_actual_month, forecast_amount, projected_amount, "
        "projected_remaining_amount, actual_percent_of_budget, projected_percent_of_budget, "
        f"is_throttling_review from {relation('fct_budget_vs_actual')} where fiscal_year = ? "
        "order by currency, customer_id",
        (fiscal_year,),
    )
    if frame.empty:
        raise NoData(f"No budget for FY{fiscal_year} in seeds/budgets.csv (fct_budget_vs_actual).")
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"operating_budget_FY{fiscal_year}"
    wb = Workbook()
    ws = wb.active
    ws.title = f"FY{fiscal_year}"
    ws["A1"] = f"Annual operating budget FY{fiscal_year}: budget, billed, forecast, projected"
    ws["A1"].font = Font(bold=True, size=14)
    headers = [
        "Customer", "Name", "Currency", "Budget", "Billed", "Billed to", "Forecast",
        "Projected", "Remaining", "Billed %", "Projected %", "Throttling review",
    ]  # fmt: skip
    ws.append([])
    ws.append(headers)
    _style_header(ws, 3, len(headers))
    for r in frame.itertuples(index=False):
        ws.append([
            r.customer_id, r.customer_name, r.currency, r.budget_amount, r.actual_amount,
            str(r.last_actual_month or "")[:7], r.forecast_amount, r.projected_amount,
            r.projected_remaining_amount, r.actual_percent_of_budget,
            r.projected_percent_of_budget, "yes" if r.is_throttling_review else "",
        ])  # fmt: skip
        for column in (4, 5, 7, 8, 9):
            ws.cell(row=ws.max_row, column=column).number_format = MONEY
    for currency in sorted(set(frame["currency"])):
        part = frame[frame["currency"] == currency]
        ws.append([
            f"Total {currency}", "", currency,
            sum(part["budget_amount"], Decimal("0")), sum(part["actual_amount"], Decimal("0")),
            "", sum(part["forecast_amount"], Decimal("0")),
            sum(part["projected_amount"], Decimal("0")),
            sum(part["projected_remaining_amount"], Decimal("0")),
        ])  # fmt: skip
        for column in range(1, 10):
            cell = ws.cell(row=ws.max_row, column=column)
            cell.font = Font(bold=True)
            if column in (4, 5, 7, 8, 9):
                cell.number_format = MONEY
    ws.freeze_panes = "C4"
    _widths(ws, {"A": 14, "B": 36, "C": 9, "D": 16, "E": 16, "F": 10, "G": 16, "H": 16,
                 "I": 16, "J": 10, "K": 12, "L": 16})  # fmt: skip
    xlsx = out_dir / f"{stem}.xlsx"
    keep_text(wb)
    wb.save(xlsx)
    csv_path = out_dir / f"{stem}.csv"
    _write_csv(csv_path, list(frame.columns), frame.itertuples(index=False))
    return xlsx, csv_path


def _write_csv(path: Path, columns: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(csv_row(row))
