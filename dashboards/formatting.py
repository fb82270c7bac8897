"""Display-only formatting. The data keeps Decimal amounts; these turn them into text."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

CURRENCY_SYMBOLS = {"USD": "$", "CAD": "$", "AUD": "$", "EUR": "€", "GBP": "£"}


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def money(amount: Any, currency: str | None = "USD", places: int = 2) -> str:
    """'$910.21', '-$1.02', '1,234.50 CHF'; exact (Decimal arithmetic, half-up like invoices)."""
    if _is_missing(amount):
        return "—"
    value = Decimal(str(amount)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.{places}f}"
    symbol = CURRENCY_SYMBOLS.get((currency or "").upper())
    if symbol:
        return f"{sign}{symbol}{text}"
    return f"{sign}{text} {currency}" if currency else f"{sign}{text}"


def number(value: Any) -> str:
    """A decimal without its trailing zeros: 200.250000000000 → '200.25', 2.000 → '2'."""
    if _is_missing(value):
        return "—"
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return f"{d.quantize(Decimal(1)):f}"
    return f"{d.normalize():f}"


def month(value: Any) -> str:
    """A billing month as 'YYYY-MM'."""
    if _is_missing(value):
        return "—"
    if isinstance(value, str):
        return value[:7]
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value)


def invoice_label(row: Any) -> str:
    """'C01-202602 · Department of Public Safety · 2026-02 · $910.21' for an invoice row."""
    return " · ".join(
        [
            str(row["invoice_id"]),
            str(row["customer_name"]),
            month(row["billing_month"]),
            money(row["total_amount"], row["currency"]),
        ]
    )


def line_label(row: Any) -> str:
    """'Storage › Block storage › Tier 1 SSD storage · STO-T1-GBM @ FY2026.1 · $15.22'."""
    path = " › ".join(
        str(part)
        for part in (row["service_name"], row["product_name"], row["component_name"])
        if not _is_missing(part)
    )
    rate = "" if _is_missing(row["rate_version"]) else f" @ {row['rate_version']}"
    return f"{path} · {row['sku_id']}{rate} · {money(row['line_amount'], row['currency'])}"


def event_label(row: Any) -> str:
    """'2026-02-20 · 200.25 GB-month × 0.076 = 15.219 · ru/ru_usage_2026-02.csv line 5'."""
    return (
        f"{row['charge_date']} · {number(row['quantity'])} {row['pricing_unit']} × "
        f"{number(row['unit_price'])} = {number(row['rated_amount'])} {row['currency']} · "
        f"{row['source_file']} line {row['source_line']}"
    )


def unique_labels(labels: dict[str, str]) -> dict[str, str]:
    """Option id → label, with the id appended to any label that is not unique (a selectbox
    tells its options apart by their label)."""
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    return {
        key: f"{label} · {key}" if counts[label] > 1 else label for key, label in labels.items()
    }


def key_value(record: dict[str, Any]) -> pd.DataFrame:
    """A record as a vertical two-column table of text (field, value); None shows as '—'."""
    return pd.DataFrame(
        {
            "field": list(record),
            "value": ["—" if _is_missing(v) else str(v) for v in record.values()],
        }
    )
