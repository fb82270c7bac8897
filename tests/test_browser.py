"""The dashboard in a real browser: `streamlit run dashboards/app.py`, driven by Playwright in
Debian's headless Chromium (/usr/bin/chromium; Playwright's own browser downloads are not
used). The test opens Invoices, selects an invoice, drills down to a line, then to the usage
event and its raw landed row, downloads the invoice PDF, and saves a screenshot of each step
in test-artifacts/screenshots/ (CI keeps them as artifacts).

Without Chromium the test skips with a message, unless CHARGEBACK_REQUIRE_BROWSER=1 (set by
.ci/run): then it fails.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import REPO_ROOT

CHROMIUM = os.environ.get("CHARGEBACK_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(
    os.environ.get("CHARGEBACK_SCREENSHOT_DIR", REPO_ROOT / "test-artifacts" / "screenshots")
)
INVOICE = "C01-202602 · Department of Public Safety · 2026-02 · $910.21"
LINE = "Data Center Storage › Block storage › Tier 1 SSD storage · STO-T1-GBM @ FY2026.1 · $15.22"
EVENT = "2026-02-20 · 200.25 GB-month × 0.076 = 15.219 USD · ru/ru_usage_2026-02.csv line 5"


def require_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    message = (
        f"no Chromium at {CHROMIUM}: install Debian's chromium "
        "(apt-get install -y chromium) or set CHARGEBACK_CHROMIUM"
    )
    if os.environ.get("CHARGEBACK_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " — CHARGEBACK_REQUIRE_BROWSER=1, so this is a failure.")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served_app(fixture_duckdb, tmp_path):
    """The dashboard served by `streamlit run` on the fixture warehouse."""
    require_chromium()
    port = free_port()
    env = {
        **os.environ,
        "CHARGEBACK_TARGET": "duckdb",
        "CHARGEBACK_DUCKDB_PATH": str(fixture_duckdb),
        "CHARGEBACK_DASHBOARD_USER": "finance_admin",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    env.pop("CHARGEBACK_SCHEMA", None)
    log = (tmp_path / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "dashboards" / "app.py"),
         "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
         "--server.fileWatcherType=none"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("streamlit did not start:\n" + (tmp_path / "streamlit.log").read_text())
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def choose(page, label: str, option: str, typed: str | None = None) -> None:
    """Pick `option` in the Streamlit selectbox labelled `label` (type to filter, click)."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    box.scroll_into_view_if_needed()
    box.locator("input").click()
    box.locator("input").fill(typed or option[:40])
    page.get_by_role("option", name=option, exact=True).click()


def test_invoice_drill_down_in_chromium(served_app):
    from playwright.sync_api import expect, sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        page = None
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1400}, accept_downloads=True)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{served_app}/invoices", wait_until="networkidle")
            expect(page.get_by_role("heading", name="Invoices")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("signed in as finance_admin")).to_be_visible()
            page.screenshot(path=SCREENSHOTS / "01_invoices.png", full_page=True)

            choose(page, "Invoice", INVOICE)
            metric = page.get_by_test_id("stMetric").filter(has_text="Invoice total")
            expect(metric).to_contain_text("$910.21", timeout=30_000)
            expect(page.get_by_test_id("stMetric").filter(has_text="Sum of lines")).to_contain_text(
                "$910.21"
            )
            page.screenshot(path=SCREENSHOTS / "02_invoice_lines.png", full_page=True)

            with page.expect_download(timeout=30_000) as download:
                page.get_by_role("button", name="PDF: invoice_C01-202602.pdf").click()
            pdf = Path(download.value.path()).read_bytes()
            text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
            assert "C01-202602" in text and "910.21 USD" in text

            choose(page, "Invoice line", LINE)
            explained = page.get_by_test_id("stMarkdown").filter(has_text="rounded to the cent")
            expect(explained).to_contain_text("at rate version FY2026.1", timeout=30_000)
            page.screenshot(path=SCREENSHOTS / "03_usage_events.png", full_page=True)

            choose(page, "Usage event", EVENT, typed="2026-02-20")
            expect(page.get_by_text("line 5 (data row 4)")).to_be_visible(timeout=30_000)
            raw = page.get_by_test_id("stTable").first
            expect(raw).to_contain_text("200.25")
            expect(raw).to_contain_text("RU-4")
            raw.scroll_into_view_if_needed()
            page.screenshot(path=SCREENSHOTS / "04_raw_event.png", full_page=True)

            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
            expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("Page not found")).to_have_count(0)
            expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
            page.screenshot(path=SCREENSHOTS / "05_overview.png", full_page=True)
            assert errors == []
        except Exception:
            if page is not None:
                page.screenshot(path=SCREENSHOTS / "failure.png", full_page=True)
            raise
        finally:
            browser.close()
    for name in ("01_invoices", "02_invoice_lines", "03_usage_events", "04_raw_event"):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
