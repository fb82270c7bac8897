"""Invoices by month and customer, drilled down to the landed row behind every number.

invoice → its lines (service › product › component, SKU, rate version, unit price, quantity)
→ the usage events behind a line (rate, rated amount, source file and row)
→ the raw landed record of one event, exactly as it was read from the file.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from chargeback import db, queries
from chargeback.db import WarehouseUnavailable
from dashboards import cache, figures, ui
from dashboards import formatting as fmt

ALL = "All"
EVENT_LIMIT = 500
MONEY = "%.2f"


def total_text(df: pd.DataFrame, amount: str) -> str:
    """The sum of an amount column, per currency ('$1,516.82', or '$1.00 + €2.00')."""
    if df.empty:
        return fmt.money(0)
    sums = df.groupby("currency")[amount].agg(lambda s: sum(s, Decimal(0)))
    return " + ".join(fmt.money(value, currency) for currency, value in sums.items())


def filters(months: pd.DataFrame, customers: pd.DataFrame) -> tuple[object, str | None]:
    invoiced = customers[customers["invoice_count"] > 0]
    names = dict(zip(invoiced["customer_id"], invoiced["customer_name"], strict=True))
    left, right = st.columns(2)
    month = left.selectbox(
        "Billing month",
        [ALL, *months["billing_month"]],
        format_func=lambda m: ALL if m == ALL else fmt.month(m),
        key="month",
    )
    customer = right.selectbox(
        "Customer",
        [ALL, *names],
        format_func=lambda c: ALL if c == ALL else f"{c} · {names.get(c, '')}",
        key="customer",
    )
    return (None if month == ALL else month), (None if customer == ALL else customer)


def invoices_table(invoices: pd.DataFrame) -> None:
    table = pd.DataFrame(
        {
            "Invoice": invoices["invoice_id"],
            "Customer": invoices["customer_id"] + " · " + invoices["customer_name"],
            "Month": invoices["billing_month"].map(fmt.month),
            "Status": invoices["invoice_status"],
            "Lines": invoices["line_count"],
            "Usage events": invoices["usage_event_count"],
            "Currency": invoices["currency"],
            "Total": invoices["total_amount"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={"Total": st.column_config.NumberColumn("Total", format=MONEY)},
    )


def lines_table(lines: pd.DataFrame) -> None:
    table = pd.DataFrame(
        {
            "Service": lines["service_category"] + " › " + lines["service_name"],
            "Product": lines["product_name"],
            "Component": lines["component_name"],
            "SKU": lines["sku_id"],
            "Rate version": lines["rate_version"],
            "Unit price": lines["unit_price"].map(fmt.number),
            "Quantity": lines["quantity"].map(fmt.number),
            "Unit": lines["pricing_unit"],
            "Events": lines["usage_event_count"],
            "Unrounded": lines["unrounded_amount"].map(fmt.number),
            "Amount": lines["line_amount"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "Amount": st.column_config.NumberColumn("Amount", format=MONEY),
            "Unrounded": st.column_config.TextColumn(
                "Unrounded", help="quantity × unit price, before rounding to the cent"
            ),
        },
    )


def events_table(events: pd.DataFrame) -> None:
    table = pd.DataFrame(
        {
            "Date": events["charge_date"].astype(str),
            "Feed": events["feed"],
            "Resource": events["resource_id"],
            "Cost center": events["cost_center_id"],
            "Quantity": events["quantity"].map(fmt.number),
            "Unit": events["pricing_unit"],
            "Rate version": events["rate_version"],
            "Unit price": events["unit_price"].map(fmt.number),
            "Rated amount": events["rated_amount"].map(fmt.number),
            "Source file": events["source_file"],
            "Line": events["source_line"],
            "Row": events["source_row"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "Line": st.column_config.NumberColumn("Line", help="line number in the source file"),
            "Row": st.column_config.NumberColumn("Row", help="data row (the header excluded)"),
        },
    )


def raw_record(event: pd.Series) -> None:
    raw = cache.raw_event(event["feed"], event["file_id"], int(event["source_row"]))
    landing_dir = db.settings().landing_dir
    st.markdown(
        f"**Source:** `{event['source_file']}`, line {event['source_line']} "
        f"(data row {event['source_row']}) in the landing folder `{landing_dir}`"
    )
    if raw.empty:
        st.warning(
            "The landed row of this event is no longer in the raw table "
            f"({event['feed']} feed, file id {event['file_id']}, row {event['source_row']})."
        )
        return
    record = raw.iloc[0].to_dict()
    lineage = {k: record.pop(k) for k in list(record) if k.startswith("_")}
    show_empty = st.toggle("Show empty fields", value=False, key="raw_show_empty")
    fields = {k: v for k, v in record.items() if show_empty or not _blank(v)}
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**Raw landed record** ({event['feed']} feed, as text from the file)")
        st.table(fmt.key_value(fields).set_index("field"))
    with right:
        st.markdown("**Lineage**")
        st.table(fmt.key_value(lineage).set_index("field"))
    if not _blank(lineage.get("_raw_line")):
        st.code(str(lineage["_raw_line"]), language=None)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or pd.isna(value)


def shared_cost_split(line: pd.Series, customer_id: str, currency: str) -> None:
    """A shared-cost line: the pool, the rule, this customer's weight and the whole split."""
    split = cache.pool_allocation(line["sku_id"], line["billing_month"])
    mine = split[split["customer_id"] == customer_id]
    if mine.empty:
        st.info("This pool's allocation is no longer in the warehouse.")
        return
    row = mine.iloc[0]
    rule = row["allocation_method"] + (f" by {row['driver']}" if row["driver"] else "")
    st.markdown(
        f"**{fmt.money(line['line_amount'], currency)}** = this customer's share of "
        f"**{row['pool_name']}** ({fmt.money(row['pool_amount'], currency)} this month), "
        f"allocated **{rule}**: weight {row['weight_units']} of {row['total_weight_units']}, "
        "split to the cent by largest remainder."
    )
    table = pd.DataFrame(
        {
            "Customer": split["customer_id"],
            "Weight": split["weight_units"],
            "Of total": split["total_weight_units"],
            "Allocated": split["allocated_amount"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={"Allocated": st.column_config.NumberColumn("Allocated", format=MONEY)},
    )
    st.caption(
        f"The {len(split)} shares add up to "
        f"{fmt.money(sum(split['allocated_amount'], Decimal(0)), currency)}."
    )


MIME = {
    ".pdf": "application/pdf",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}


def downloads(invoice_id: str, invoice: pd.Series) -> None:
    """The invoice as PDF, its lines as CSV and Excel, and the month's audit package."""
    files = cache.invoice_documents(invoice_id)
    columns = st.columns(len(files) + 1)
    for column, (name, data) in zip(columns, files.items(), strict=False):
        suffix = name[name.rfind(".") :]
        column.download_button(
            f"{suffix[1:].upper()}: {name}",
            data,
            file_name=name,
            mime=MIME[suffix],
            key=f"download_{suffix[1:]}",
            icon=":material/download:",
        )
    with columns[-1]:
        if st.toggle("Audit package", key="audit_package", help="invoice, events, rates, "
                     "adjustments and approvals, with a sha256 manifest"):  # fmt: skip
            try:
                name, data = cache.audit_package(invoice["customer_id"], invoice["billing_month"])
            except WarehouseUnavailable as exc:
                if exc.reason != "forbidden":
                    raise
                st.info(f"Not available to your role: {exc}", icon=":material/lock:")
            else:
                st.download_button(
                    f"ZIP: {name}",
                    data,
                    file_name=name,
                    mime=MIME[".zip"],
                    key="download_zip",
                    icon=":material/download:",
                )


def drill_down(invoices: pd.DataFrame) -> None:
    st.subheader("Behind an invoice")
    by_id = invoices.set_index("invoice_id")
    labels = fmt.unique_labels(
        {row["invoice_id"]: fmt.invoice_label(row) for _, row in invoices.iterrows()}
    )
    invoice_id = st.selectbox(
        "Invoice",
        list(labels),
        index=None,
        format_func=lambda i: labels.get(i, i),
        placeholder="Choose an invoice to see its lines",
        key="invoice",
    )
    if invoice_id is None:
        return
    invoice = by_id.loc[invoice_id]
    currency = invoice["currency"]
    lines = cache.invoice_lines(invoice_id)
    lines_total = sum(lines["line_amount"], Decimal(0))

    total, summed, count = st.columns(3)
    total.metric("Invoice total", fmt.money(invoice["total_amount"], currency))
    summed.metric("Sum of lines", fmt.money(lines_total, currency))
    count.metric("Lines · usage events", f"{len(lines)} · {invoice['usage_event_count']}")
    if lines_total != invoice["total_amount"]:
        st.warning(
            f"The lines add up to {fmt.money(lines_total, currency)}, not the invoice total "
            f"{fmt.money(invoice['total_amount'], currency)}."
        )
    lines_table(lines)
    st.plotly_chart(figures.lines_by_service(lines))
    downloads(invoice_id, invoice)

    line_labels = fmt.unique_labels(
        {row["invoice_line_id"]: fmt.line_label(row) for _, row in lines.iterrows()}
    )
    line_id = st.selectbox(
        "Invoice line",
        list(line_labels),
        index=None,
        format_func=lambda i: line_labels.get(i, i),
        placeholder="Choose a line to see the usage events behind it",
        key="line",
    )
    if line_id is None:
        return
    line = lines.set_index("invoice_line_id").loc[line_id]
    if line["charge_type"] == "shared_cost":
        shared_cost_split(line, invoice["customer_id"], currency)
        return
    if line["charge_type"] != "usage":
        st.markdown(
            f"**{fmt.money(line['line_amount'], currency)}**: {line['product_name']}, "
            f"{line['component_name']} ({fmt.number(line['quantity'])} {line['pricing_unit']}). "
            "A contract line: no usage events behind it."
        )
        return
    st.markdown(
        f"**{fmt.money(line['line_amount'], currency)}** = "
        f"{fmt.number(line['quantity'])} {line['pricing_unit']} × "
        f"{fmt.number(line['unit_price'])} ({line['sku_id']} at rate version "
        f"**{line['rate_version']}**) = {fmt.number(line['unrounded_amount'])}, "
        "rounded to the cent."
    )
    events = cache.usage_events(line_id, EVENT_LIMIT, queries.event_month(line))
    if int(line["usage_event_count"]) > len(events):
        st.caption(f"Showing the first {len(events)} of {line['usage_event_count']} events.")
    events_table(events)

    event_labels = fmt.unique_labels(
        {row["usage_id"]: fmt.event_label(row) for _, row in events.iterrows()}
    )
    usage_id = st.selectbox(
        "Usage event",
        list(event_labels),
        index=None,
        format_func=lambda i: event_labels.get(i, i),
        placeholder="Choose an event to see the raw row it was landed from",
        key="event",
    )
    if usage_id is None:
        return
    raw_record(events[events["usage_id"] == usage_id].iloc[0])


def render() -> None:
    st.title("Invoices")
    ui.caption()
    months = cache.invoice_months()
    if months.empty:
        st.info("There are no invoices yet: land usage files and run the pipeline (`make demo`).")
        return
    customers = cache.customers()
    month, customer_id = filters(months, customers)
    invoices = cache.invoices(month=month, customer_id=customer_id)
    if invoices.empty:
        st.info("No invoices for this month and customer.")
        return

    count, total = st.columns(2)
    count.metric("Invoices", len(invoices))
    total.metric("Invoiced", total_text(invoices, "total_amount"))
    invoices_table(invoices)
    st.plotly_chart(figures.invoices_by_month(invoices))
    drill_down(invoices)


ui.page(render)
