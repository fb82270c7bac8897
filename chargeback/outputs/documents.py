"""Invoice documents: the PDF a customer receives, and its lines as CSV and Excel.

    chargeback-export invoice --invoice C21-202602 --out-dir exports/

The PDF has the issuer and customer header, the lines grouped by service with a subtotal
each, the prior-period adjustments (PPAs) in their own section with the month they correct,
the tax, the total, and the legal mentions of the issuing entity (for a French issuer: in
French, with SIREN/SIRET, VAT numbers, payment terms, the late-payment penalty rate and the
40 EUR collection indemnity, all from seeds/issuing_entities.csv through fct_invoices).
Amounts are the marts' Decimals, printed as stored (they are already rounded once, at the
line); nothing is recomputed here except the display subtotals, which are exact sums.

A draft invoice (the month is not closed) is printed with a DRAFT banner and its reference
instead of an invoice number: only the close gives a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from chargeback import queries
from chargeback.db import query, relation
from chargeback.outputs.cell_safety import csv_row, keep_text
from chargeback.queries import INVOICE_LINE_COLUMNS

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PPA_CHARGE_TYPES = ("ppa", "ppa_interest")


LABELS = {
    "en": {
        "invoice": "INVOICE",
        "draft": "DRAFT - not an invoice until the month is closed",
        "number": "Invoice number",
        "reference": "Reference",
        "date": "Invoice date",
        "due": "Due date",
        "period": "Billing period",
        "customer": "Bill to",
        "vat": "VAT number",
        "currency": "Currency",
        "service": "Service",
        "item": "Item",
        "quantity": "Quantity",
        "unit_price": "Unit price",
        "amount": "Amount",
        "subtotal": "Subtotal",
        "ppa": "Prior-period adjustments",
        "corrects": "corrects",
        "net": "Total before tax",
        "tax": "Tax",
        "total": "Total due",
        "mentions": "Legal mentions",
        "page": "Page",
    },
    "fr": {
        "invoice": "FACTURE",
        "draft": "PROJET - ce n'est une facture qu'après la clôture du mois",
        "number": "Facture n°",
        "reference": "Référence",
        "date": "Date de facture",
        "due": "Date d'échéance",
        "period": "Période facturée",
        "customer": "Client",
        "vat": "N° de TVA intracommunautaire",
        "currency": "Devise",
        "service": "Service",
        "item": "Désignation",
        "quantity": "Quantité",
        "unit_price": "Prix unitaire HT",
        "amount": "Montant HT",
        "subtotal": "Sous-total",
        "ppa": "Régularisations sur périodes antérieures",
        "corrects": "corrige",
        "net": "Total HT",
        "tax": "TVA",
        "total": "Total TTC",
        "mentions": "Mentions légales",
        "page": "Page",
    },
}


class NoInvoice(LookupError):
    """No such invoice (or not one the signed-in principal may read)."""


@dataclass(frozen=True)
class InvoiceDocument:
    """One invoice and its lines, as the marts have them."""

    header: dict
    lines: pd.DataFrame

    @property
    def language(self) -> str:
        return "fr" if self.header.get("issuer_country_code") == "FR" else "en"

    @property
    def reference(self) -> str:
        """The invoice number once issued, else the draft's invoice_id."""
        return self.header.get("invoice_number") or self.header["invoice_id"]

    @property
    def file_stem(self) -> str:
        return f"invoice_{self.reference}"


def load(invoice_id: str) -> InvoiceDocument:
    """The invoice (by id, or by number once issued) and its lines (NoInvoice when it does
    not exist or may not be read)."""
    header = query(
        f"select * from {relation('fct_invoices')} where invoice_id = ? or invoice_number = ?",
        (invoice_id, invoice_id),
    )
    if header.empty:
        raise NoInvoice(f"No invoice {invoice_id!r} (or not one you may read).")
    invoice_id = header.iloc[0]["invoice_id"]
    lines = queries.invoice_lines(invoice_id)
    record = {k: (None if _missing(v) else v) for k, v in header.iloc[0].to_dict().items()}
    return InvoiceDocument(record, lines)


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def amount_text(value, language: str) -> str:
    """1,234.56 (en) or 1 234,56 (fr); exact, from the Decimal."""
    text = f"{Decimal(value):,.2f}"
    if language == "fr":
        text = text.replace(",", " ").replace(".", ",")
    return text


def quantity_text(value, language: str) -> str:
    text = f"{Decimal(value).normalize():,f}"
    if language == "fr":
        text = text.replace(",", " ").replace(".", ",")
    return text


def _date_text(value, language: str) -> str:
    if _missing(value):
        return "-"
    date = pd.Timestamp(value).date()
    return date.strftime("%d/%m/%Y") if language == "fr" else date.isoformat()


def _document_time(value) -> dt.datetime:
    day = dt.date(2000, 1, 1) if _missing(value) else pd.Timestamp(value).date()
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _month_text(value) -> str:
    return str(pd.Timestamp(value).date())[:7]


def lines_by_section(doc: InvoiceDocument) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The lines by service category (tax and PPA lines excluded), and the PPA lines."""
    lines = doc.lines
    is_ppa = lines["charge_type"].isin(PPA_CHARGE_TYPES) | lines["original_invoice_id"].notna()
    is_tax = lines["charge_type"] == "tax"
    regular = lines[~is_ppa & ~is_tax]
    sections = {str(k): v for k, v in regular.groupby("service_category", sort=True)}
    return sections, lines[is_ppa]


# --- PDF --------------------------------------------------------------------------------------
def _pdf():
    from fpdf import FPDF

    class InvoicePDF(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(self.body_font, size=7)
            self.set_text_color(110)
            self.cell(0, 5, f"{self.footer_text} {self.page_no()}/{{nb}}", align="R")

    pdf = InvoicePDF(format="A4")
    if (FONT_DIR / "DejaVuSans.ttf").exists():
        pdf.add_font("body", "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        pdf.body_font = "body"
    else:  # core font: Latin-1 only (see _text)
        pdf.body_font = "helvetica"
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(15, 15, 15)
    return pdf


def _text(pdf, value) -> str:
    text = "" if value is None else str(value)
    if pdf.body_font == "helvetica":
        text = text.replace("€", "EUR").encode("latin-1", "replace").decode("latin-1")
    return text


def render_pdf(doc: InvoiceDocument) -> bytes:
    """The invoice as a PDF (bytes)."""
    h, lang = doc.header, doc.language
    words = LABELS[lang]
    currency = h["currency"]
    pdf = _pdf()
    # the document's date is the invoice date, so the same invoice gives the same bytes
    pdf.set_creation_date(_document_time(h["invoice_date"]))
    pdf.footer_text = f"{doc.reference} · {words['page']}"
    pdf.add_page()

    def cell(width, text, bold=False, size=9, align="L", height=5, border=0, fill=False):
        pdf.set_font(pdf.body_font, "B" if bold else "", size)
        pdf.cell(width, height, _text(pdf, text), border=border, align=align, fill=fill)

    # header: issuer on the left, title and numbers on the right
    pdf.set_font(pdf.body_font, "B", 14)
    pdf.cell(100, 8, _text(pdf, h["issuer_legal_name"]))
    pdf.set_font(pdf.body_font, "B", 16)
    pdf.cell(0, 8, words["invoice"], align="R", new_x="LMARGIN", new_y="NEXT")
    if h["invoice_status"] != "issued":
        pdf.set_text_color(190, 30, 30)
        cell(0, words["draft"], bold=True, size=9, align="R")
        pdf.set_text_color(0)
        pdf.ln(6)
    facts = [
        (words["number"] if h.get("invoice_number") else words["reference"], doc.reference),
        (words["date"], _date_text(h["invoice_date"], lang)),
        (words["due"], _date_text(h["due_date"], lang)),
        (words["period"], _month_text(h["billing_month"])),
        (words["currency"], currency),
    ]
    for label, value in facts:
        pdf.set_x(115)
        cell(40, label, size=9)
        cell(0, value, bold=True, size=9, align="R")
        pdf.ln(5)
    pdf.ln(2)
    cell(0, words["customer"], bold=True, size=9)
    pdf.ln(5)
    cell(0, f"{h['customer_name']} ({h['customer_id']})", size=10)
    pdf.ln(5)
    if h.get("customer_vat_number"):
        cell(0, f"{words['vat']}: {h['customer_vat_number']}", size=9)
        pdf.ln(5)
    pdf.ln(4)

    widths = (76, 42, 30, 32)

    def table_header() -> None:
        pdf.set_fill_color(230, 236, 245)
        for width, key in zip(widths, ("item", "quantity", "unit_price", "amount"), strict=True):
            cell(width, words[key], bold=True, size=8, align="L" if key == "item" else "R",
                 height=6, fill=True)  # fmt: skip
        pdf.ln(6)

    def line_row(line) -> None:
        item = " · ".join(
            str(v) for v in (line["product_name"], line["component_name"]) if not _missing(v)
        )
        unit = "" if _missing(line["pricing_unit"]) else f" {line['pricing_unit']}"
        price = "" if _missing(line["unit_price"]) else quantity_text(line["unit_price"], lang)
        quantity = "" if _missing(line["quantity"]) else quantity_text(line["quantity"], lang)
        pdf.set_font(pdf.body_font, "", 8)
        item = _text(pdf, item)
        while pdf.get_string_width(item) > widths[0] - 2 and len(item) > 4:
            item = item[:-2] + "…" if pdf.body_font != "helvetica" else item[:-4] + "..."
            item = item.replace("……", "…")
        pdf.cell(widths[0], 5, item)
        pdf.cell(widths[1], 5, _text(pdf, f"{quantity}{unit}"), align="R")
        pdf.cell(widths[2], 5, _text(pdf, price), align="R")
        pdf.cell(widths[3], 5, amount_text(line["line_amount"], lang), align="R")
        pdf.ln(5)

    sections, ppas = lines_by_section(doc)
    table_header()
    for category, rows in sections.items():
        cell(0, category, bold=True, size=9, height=6)
        pdf.ln(6)
        for _, line in rows.iterrows():
            line_row(line)
        subtotal = sum(rows["line_amount"], Decimal(0))
        pdf.set_x(15 + widths[0] + widths[1])
        cell(widths[2], words["subtotal"], size=8, align="R")
        cell(widths[3], amount_text(subtotal, lang), bold=True, size=8, align="R")
        pdf.ln(6)

    if not ppas.empty:
        pdf.ln(2)
        cell(0, words["ppa"], bold=True, size=10, height=6)
        pdf.ln(6)
        for _, line in ppas.iterrows():
            line_row(line)
            origin = line["original_invoice_id"]
            month = line["original_billing_month"]
            if not _missing(origin) or not _missing(month):
                pdf.set_x(20)
                what = f"{words['corrects']} {'' if _missing(origin) else origin}"
                if not _missing(month):
                    what += f" ({_month_text(month)})"
                cell(0, what.strip(), size=7)
                pdf.ln(4)
        subtotal = sum(ppas["line_amount"], Decimal(0))
        pdf.set_x(15 + widths[0] + widths[1])
        cell(widths[2], words["subtotal"], size=8, align="R")
        cell(widths[3], amount_text(subtotal, lang), bold=True, size=8, align="R")
        pdf.ln(6)

    # totals
    pdf.ln(3)
    tax_label = words["tax"]
    if h.get("tax_rate_percent") is not None:
        tax_label += f" {quantity_text(h['tax_rate_percent'], lang)} %"
    for label, value, bold in (
        (words["net"], h["net_amount"], False),
        (tax_label, h["tax_amount"], False),
        (words["total"], h["total_amount"], True),
    ):
        pdf.set_x(15 + widths[0])
        cell(widths[1] + widths[2], label, bold=bold, size=10 if bold else 9, align="R")
        cell(widths[3], f"{amount_text(value, lang)} {currency}", bold=bold,
             size=10 if bold else 9, align="R")  # fmt: skip
        pdf.ln(6)
    if h.get("tax_mention"):
        cell(0, h["tax_mention"], size=8)
        pdf.ln(6)

    # legal mentions
    pdf.ln(4)
    cell(0, words["mentions"], bold=True, size=8)
    pdf.ln(5)
    pdf.set_font(pdf.body_font, "", 7)
    pdf.multi_cell(0, 3.6, _text(pdf, h["legal_mentions"]))
    return bytes(pdf.output())


# --- CSV and Excel of the lines ------------------------------------------------------------------
def _plain(value):
    if _missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def lines_csv(doc: InvoiceDocument) -> bytes:
    """The invoice's lines, every column, amounts exactly as stored."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(INVOICE_LINE_COLUMNS)
    for row in doc.lines.itertuples(index=False):
        writer.writerow(csv_row(_plain(v) for v in row))
    return buffer.getvalue().encode("utf-8")


def lines_xlsx(doc: InvoiceDocument) -> bytes:
    """The invoice's lines as a workbook: a header block, the lines, a total that is a
    formula over the line amounts (and equals the invoice's total)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Lines"
    h = doc.header
    ws.append(["Invoice", doc.reference])
    ws.append(["Customer", f"{h['customer_id']} · {h['customer_name']}"])
    ws.append(["Billing month", _month_text(h["billing_month"])])
    ws.append(["Status", h["invoice_status"]])
    ws.append(["Currency", h["currency"]])
    ws.append([])
    ws.append(list(INVOICE_LINE_COLUMNS))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    first = ws.max_row + 1
    for row in doc.lines.itertuples(index=False):
        ws.append([_plain(v) for v in row])
    last = ws.max_row
    amount_col = INVOICE_LINE_COLUMNS.index("line_amount") + 1
    letter = ws.cell(row=1, column=amount_col).column_letter
    ws.append([])
    ws.append(["Total"] + [None] * (amount_col - 2) + [f"=SUM({letter}{first}:{letter}{last})"])
    keep_text(wb, formulas=[(ws.title, f"{letter}{ws.max_row}")])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for row in ws.iter_rows(min_row=first, max_row=ws.max_row, min_col=amount_col,
                            max_col=amount_col):  # fmt: skip
        for cell in row:
            cell.number_format = "#,##0.00"
    wb.properties.created = wb.properties.modified = _document_time(h["invoice_date"]).replace(
        tzinfo=None
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def documents(invoice_id: str) -> dict[str, bytes]:
    """The PDF, CSV and Excel files of one invoice, by file name."""
    doc = load(invoice_id)
    return {
        f"{doc.file_stem}.pdf": render_pdf(doc),
        f"{doc.file_stem}_lines.csv": lines_csv(doc),
        f"{doc.file_stem}_lines.xlsx": lines_xlsx(doc),
    }


def write_month(month: dt.date, out_dir: Path) -> list[Path]:
    """The documents of every invoice of a billing month (that the principal may read)."""
    ids = query(
        f"select invoice_id from {relation('fct_invoices')} where billing_month = ? "
        "order by invoice_id",
        (month,),
    )
    if ids.empty:
        raise NoInvoice(f"No invoice for {month:%Y-%m} (or none you may read).")
    return [
        path for invoice_id in ids["invoice_id"] for path in write_documents(invoice_id, out_dir)
    ]


def write_documents(invoice_id: str, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in documents(invoice_id).items():
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths
