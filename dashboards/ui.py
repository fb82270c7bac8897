"""Bits every page shares: the warehouse messages, the signed-in caption, staff-only sections.

The role decides nothing here: what a principal may read is decided by the data access
(`chargeback.access`, PostgreSQL row-level security). A section whose data the principal may
not read says so instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from chargeback import db
from chargeback.db import WarehouseUnavailable
from dashboards import cache

MONEY = "%.2f"


def show_unavailable(exc: WarehouseUnavailable) -> None:
    """Explain why the page cannot show its data, then stop the page."""
    if exc.reason in ("missing", "locked", "not_built"):
        st.info(str(exc), icon=":material/info:")
    elif exc.reason == "forbidden":
        st.warning(str(exc), icon=":material/lock:")
    else:
        st.error(str(exc), icon=":material/error:")
    st.stop()


def caption() -> None:
    """Which warehouse, and who is reading it."""
    who = cache.run("current_principal")
    st.caption(f"Warehouse: {db.describe()} · signed in as {who.describe()}")


def section(title: str, render: Callable[[], None]) -> None:
    """A titled part of a page; if the principal may not read its data, say so and go on."""
    st.subheader(title)
    try:
        render()
    except WarehouseUnavailable as exc:
        if exc.reason != "forbidden":
            raise
        st.info(
            f"Not available to your role: {exc}",
            icon=":material/lock:",
        )


def money_columns(*names: str) -> dict:
    """column_config for amount columns, two decimals."""
    return {name: st.column_config.NumberColumn(name, format=MONEY) for name in names}


def page(render: Callable[[], None]) -> None:
    """Run a page, turning warehouse problems into a message."""
    try:
        render()
    except WarehouseUnavailable as exc:
        show_unavailable(exc)
