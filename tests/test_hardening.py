"""Hardening: hostile files, bad seed edits, two closes at once and role games (issue 13).

The hostile landing folder is the hand-computed fixture plus tests/fixtures/hostile/, one
file per probe (its README says which). It is landed with `chargeback-land`, as an
operator would, and built with `dbt build` (dbt's runner in the test's process), once per
adapter. Every hostile row must be quarantined or its file refused, each with its own
reason, and the invoices must be the fixture's to the cent: one bad row never bills anyone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from . import partial_parse
from .conftest import (
    DBT,
    FIXTURE_LANDING,
    REPO_ROOT,
    copy_project,
    dbt,
    drop_pg_schemas,
    duck_query,
    edit_seed,
    pg_query,
    pg_schema,
    require_postgres,
    use_duckdb,
    warehouse_env,
)
from .dbt_in_process import dbt_in_process

HOSTILE = REPO_ROOT / "tests" / "fixtures" / "hostile"
BIN = Path(sys.executable).parent
PG_ENV = {"CHARGEBACK_PG_HOST", "CHARGEBACK_PG_PORT", "CHARGEBACK_PG_USER",
          "CHARGEBACK_PG_DATABASE", "CHARGEBACK_PERSIST_DOCS"}  # fmt: skip


@dataclass
class Built:
    target: str
    env: dict
    tmp: Path
    land: subprocess.CompletedProcess
    build: subprocess.CompletedProcess

    @property
    def schema(self) -> str:
        return self.env.get("CHARGEBACK_SCHEMA", "main")

    def query(self, sql: str) -> list[tuple]:
        """Run `sql` with {s} (models), {raw} and {register} schemas filled in."""
        s = self.schema
        sql = sql.format(s=f'"{s}"', raw=f'"{s}_raw"', register=f'"{s}_register"')
        if self.target == "duckdb":
            return duck_query(self.env["CHARGEBACK_DUCKDB_PATH"], sql)
        return pg_query(sql)

    def run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            list(args), cwd=REPO_ROOT, env={**self.env, **(env or {})}, capture_output=True,
            text=True, check=False,
        )  # fmt: skip

    def dbt(self, *args: str) -> subprocess.CompletedProcess:
        """`dbt <args>` with this warehouse's environment, in this process (what it returns
        looks like the command's: tests/dbt_in_process.py); its target directory is
        tmp/target."""
        env = {**self.env, "DBT_TARGET_PATH": str(self.tmp / "target")}
        with pytest.MonkeyPatch.context() as mp:
            for key in os.environ:
                if key.startswith("CHARGEBACK_") and key not in env:
                    mp.delenv(key)
            for key, value in env.items():
                if key.startswith(("CHARGEBACK_", "DBT_")):
                    mp.setenv(key, value)
            return dbt_in_process(REPO_ROOT, *args)

    def close(self, period: str, who: str) -> subprocess.Popen:
        """`dbt run-operation close_billing_period` as a command, started and not awaited.
        Each process writes its own target directory (two closes run at once, and two dbt
        processes writing one target/manifest.json leave it corrupt for whoever reads it
        next), starting from the parse of self.dbt() (dbt then parses nothing again: the
        same links, tests/partial_parse.py)."""
        target = self.tmp / f"target-{who}"
        target.mkdir(exist_ok=True)
        env = partial_parse.staged_env(self.env)
        parsed = partial_parse.target_dir(env) / "partial_parse.msgpack"
        if parsed.exists():
            shutil.copy(parsed, target)
        project = partial_parse.project_link(REPO_ROOT)
        return subprocess.Popen(
            [DBT, "run-operation", "close_billing_period", "--args",
             f"{{period: '{period}', closed_by: {who}}}", "--project-dir",
             str(project / "dbt_project"), "--profiles-dir", str(project),
             "--target-path", str(target)],
            cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip


def base_env(target: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEBACK_") or k in PG_ENV}
    return {**env, "DBT_USE_COLORS": "false"}


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def hostile(request, tmp_path_factory) -> Built:
    """The fixture and the hostile files, landed and built on one adapter."""
    target = request.param
    schema = None
    if target == "postgres":
        require_postgres()
        schema = pg_schema("hostile")
        drop_pg_schemas(schema)
    tmp = tmp_path_factory.mktemp(f"hostile_{target}")
    landing = tmp / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    shutil.copytree(HOSTILE, landing, dirs_exist_ok=True)
    env = {**base_env(target), **warehouse_env(tmp, target, landing, schema)}
    land = subprocess.run([str(BIN / "chargeback-land")], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    built = Built(target, env, tmp, land, None)  # type: ignore[arg-type]
    built.build = built.dbt("build")
    assert built.build.returncode == 0, built.build.stdout[-3000:]
    return built


@pytest.fixture(scope="module")
def fixture_invoices(request, hostile) -> list[tuple]:
    """The plain fixture's invoices on the same adapter (the shared, read-only warehouse)."""
    sql = "select invoice_id, billing_month, total_amount from {s}.fct_invoices order by 1"
    if hostile.target == "duckdb":
        path = request.getfixturevalue("fixture_duckdb")
        return duck_query(path, sql.format(s="main"))
    schema = request.getfixturevalue("fixture_postgres")
    return pg_query(sql.format(s=f'"{schema}"'))


# -- 10, 11, 7: files refused whole, with their reason; the others land --------------------
def test_hostile_files_are_refused_with_their_reason_and_the_others_land(hostile):
    output = hostile.land.stdout + hostile.land.stderr
    assert "Traceback" not in output
    assert hostile.land.returncode == 1  # refused files make the CLI exit 1
    assert "13 file(s) loaded (561 rows), 0 already loaded, 3 refused" in output
    refusals = dict(hostile.query("select source_file, reason from {raw}.landing_refusals"))
    assert sorted(refusals) == [
        "ru/zz_hostile_empty.csv", "ru/zz_hostile_missing_columns.csv",
        "ru/zz_hostile_semicolons.csv",
    ]  # fmt: skip
    assert "the file is empty (0 bytes)" in refusals["ru/zz_hostile_empty.csv"]
    assert (
        "needs the column(s) asset_id, unit, missing from its header"
        in (refusals["ru/zz_hostile_missing_columns.csv"])
    )
    assert "separated by semicolons (';')" in refusals["ru/zz_hostile_semicolons.csv"]
    landed = {r[0] for r in hostile.query("select source_file from {raw}.landing_manifest")}
    assert not landed & set(refusals)
    assert len(landed) == 13


# -- 1, 2, 3, 7, 12, 13: every hostile row quarantined with its own reason -----------------
def test_hostile_rows_are_quarantined_each_with_its_reason(hostile):
    rows = hostile.query(
        "select source_file, source_row, reason_code, coalesce(parse_error, '') "
        "from {s}.fct_quarantined_usage where source_file like '%zz_hostile%' order by 1, 2"
    )
    found = {(file, row): (reason, error) for file, row, reason, error in rows}
    assert {key: reason for key, (reason, _) in found.items()} == {
        ("focus/aws/zz_hostile_numbers.csv", 1): "INVALID_COST",  # BilledCost 1e308
        ("labour/zz_hostile_latin1.csv", 1): "MALFORMED_LINE",
        ("labour/zz_hostile_nul_byte.csv", 1): "MALFORMED_LINE",
        ("labour/zz_hostile_unclosed_quote.csv", 1): "MALFORMED_LINE",
        ("ru/zz_hostile_dates.csv", 1): "FUTURE_DATE",  # 2099-01-01
        ("ru/zz_hostile_dates.csv", 2): "FUTURE_DATE",  # 9999-12-31
        ("ru/zz_hostile_dates.csv", 3): "DATE_BEFORE_BILLING_START",  # 1999-12-31
        ("ru/zz_hostile_dates.csv", 4): "INVALID_DATE",  # a leap second, :60
        ("ru/zz_hostile_dates.csv", 5): "NEGATIVE_QUANTITY",  # 23:59:59.9999999, see below
        ("ru/zz_hostile_numbers.csv", 1): "INVALID_QUANTITY",  # 1e308
        ("ru/zz_hostile_numbers.csv", 2): "INVALID_QUANTITY",  # 10^26
        ("ru/zz_hostile_numbers.csv", 3): "INVALID_QUANTITY",  # 1e99999
        ("ru/zz_hostile_numbers.csv", 4): "MISSING_UNIT",
    }
    # both adapters cut a fraction to microseconds: the last instant of January stays in
    # January (PostgreSQL's rounding would have moved it to February)
    (month,) = hostile.query(
        "select billing_month from {s}.fct_quarantined_usage "
        "where source_file = 'ru/zz_hostile_dates.csv' and source_row = 5"
    )[0]
    assert str(month) == "2026-01-01"
    assert found[("labour/zz_hostile_latin1.csv", 1)][1].startswith(
        "not valid utf-8: byte 0xC9 at character 51"
    )
    assert found[("labour/zz_hostile_nul_byte.csv", 1)][1] == "contains a NUL byte at character 37"
    assert found[("labour/zz_hostile_unclosed_quote.csv", 1)][1].startswith("unclosed quote")
    # the raw text is kept, the bad bytes written out
    raw = dict(hostile.query(
        "select _source_file, _raw_line from {raw}.labour_activities "
        "where _source_file like '%zz_hostile%' and _parse_error is not null"
    ))  # fmt: skip
    assert "Phone\\x00support" in raw["labour/zz_hostile_nul_byte.csv"]
    assert "Site \\xc9quipe" in raw["labour/zz_hostile_latin1.csv"]


def test_an_unclosed_quote_costs_one_line(hostile):
    """The 500 lines after the unclosed quote land as records of their own (each a copy of
    a fixture line, so a duplicate): landed = quarantined + duplicates, and the manifest
    counts every record."""
    rows = hostile.query(
        "select manifest_rows, landed_rows, quarantined_rows, duplicate_rows, is_balanced "
        "from {s}.fct_landing_reconciliation "
        "where source_file = 'labour/zz_hostile_unclosed_quote.csv'"
    )
    assert rows == [(501, 501, 1, 500, True)]
    for name in ("nul_byte", "latin1"):
        assert hostile.query(
            "select manifest_rows, quarantined_rows, duplicate_rows "
            f"from {{s}}.fct_landing_reconciliation where source_file like '%{name}%'"
        ) == [(2, 1, 1)]


def test_hostile_rows_bill_nobody(hostile, fixture_invoices):
    """The far-future rows open no billing month, the huge numbers overflow nothing: the
    invoices are the fixture's to the cent, and so are the forecasts' months."""
    assert (
        hostile.query(
            "select invoice_id, billing_month, total_amount from {s}.fct_invoices order by 1"
        )
        == fixture_invoices
    )
    assert hostile.query("select max(billing_month) from {s}.fct_invoice_lines") == [
        (max(r[1] for r in fixture_invoices),)
    ]
    (last_forecast,) = hostile.query("select max(billing_month) from {s}.fct_forecasts")[0]
    assert last_forecast.year < 2030


# -- 12: a declared encoding decodes what UTF-8 cannot -------------------------------------
@pytest.mark.parametrize("target", ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_declared_feed_encoding_decodes_latin1(target, tmp_path):
    schema = None
    if target == "postgres":
        require_postgres()
        schema = pg_schema()
    landing = tmp_path / "landing"
    (landing / "labour").mkdir(parents=True)
    shutil.copy(HOSTILE / "labour" / "zz_hostile_latin1.csv", landing / "labour" / "x.csv")
    env = {**base_env(target), **warehouse_env(tmp_path, target, landing, schema),
           "CHARGEBACK_LANDING_ENCODING_LABOUR": "latin-1"}  # fmt: skip
    result = subprocess.run([str(BIN / "chargeback-land")], env=env, capture_output=True,
                            text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    sql = "select site, _parse_error from {}.labour_activities where ticket_id = 'INC9'"
    if target == "duckdb":
        rows = duck_query(env["CHARGEBACK_DUCKDB_PATH"], sql.format("main_raw"))
    else:
        rows = pg_query(sql.format(f'"{schema}_raw"'))
    assert rows == [("Site Équipe", None)]


# -- 3: any error while landing a file refuses that file, never the landing ----------------
@pytest.mark.parametrize("target", ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_an_error_while_landing_refuses_that_file_and_the_others_land(target, tmp_path):
    """A raw table altered by hand (its quantity typed as an integer) makes the append of a
    file fail in the database: that file is refused with the database's error, the next
    file still lands, and no traceback reaches the user."""
    schema = None
    if target == "postgres":
        require_postgres()
        schema = pg_schema()
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    env = {**base_env(target), **warehouse_env(tmp_path, target, landing, schema)}
    land = [str(BIN / "chargeback-land")]
    (landing / "ru").rename(tmp_path / "ru_later")  # land everything else first
    assert subprocess.run(land, env=env, capture_output=True, check=False).returncode == 0
    alter = "alter table {}.ru_usage alter column quantity type integer using 0"
    if target == "duckdb":
        import duckdb

        con = duckdb.connect(env["CHARGEBACK_DUCKDB_PATH"])
        con.execute(alter.format("main_raw").replace(" using 0", "")).fetchall()
        con.close()
    else:
        pg_query(alter.format(f'"{schema}_raw"'))
    (tmp_path / "ru_later").rename(landing / "ru")
    (landing / "labour" / "servicedesk_2026-03.csv").write_text(
        (FIXTURE_LANDING / "labour" / "servicedesk_2026-02.csv")
        .read_text()
        .replace("2026-02-", "2026-03-")
    )
    result = subprocess.run(land, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "Refused ru/ru_usage_2026-02.csv: landing it failed (" in result.stderr
    assert "No row of it landed; the other files still land." in result.stderr
    assert "1 file(s) loaded (7 rows), 6 already loaded, 1 refused" in result.stdout
    database_error = {"duckdb": "ConversionException", "postgres": "InvalidTextRepresentation"}
    assert database_error[target] in result.stderr  # the database's own reason


# -- 4: seed values out of range stop the build, naming the row ----------------------------
def bad_seed_edits(project: Path) -> None:
    def rates(rows):
        for row in rows:
            if row["rate_version"] == "FY2026" and row["sku_id"] == "SRV-VM-STD":
                row["unit_price"] = "-3.000000"  # not a credit SKU: refused
            if row["sku_id"] == "STO-T1-GBM":  # a credit SKU: its price may be negative
                row["unit_price"] = "-" + row["unit_price"]
        return rows

    def catalog(rows):
        for row in rows:
            if row["sku_id"] in ("STO-T1-GBM", "BKP-GBM"):
                row["is_credit"] = "true"  # BKP-GBM keeps a positive price: refused
        return rows

    def tiers(rows):
        rows[0]["unit_price"] = "-0.01"
        return rows

    def fx(rows):
        rows[1]["rate"] = "0"
        return rows

    def shares(rows):
        rows[0]["share_percent"] = "120.0000"
        return rows

    edit_seed(project, "rate_cards", rates)
    edit_seed(project, "sku_catalog", catalog)
    edit_seed(project, "contract_tiers", tiers)
    edit_seed(project, "fx_rates", fx)
    edit_seed(project, "allocation_fixed_shares", shares)


EXPECTED_SEED_ERRORS = {
    "rate_cards row rate_version=FY2026, sku_id=SRV-VM-STD: unit_price = -3.000000000000 is "
    "below 0, and SRV-VM-STD is not a credit SKU (sku_catalog.is_credit)",
    "rate_cards row rate_version=FY2026, sku_id=BKP-GBM: unit_price = ",
    "contract_tiers row contract_id=K-C02-STO, tier_number=1: unit_price = -0.010000000000 "
    "is below 0",
    "fx_rates row rate_date=2024-09-30, base_currency=USD, quote_currency=EUR: rate = "
    "0.00000000 is not above 0",
    "allocation_fixed_shares row pool_id=POOL-SUP, customer_id=C01: share_percent = ",
}


@pytest.mark.parametrize("target", ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_out_of_range_seed_values_stop_the_build_naming_the_row(target, tmp_path, monkeypatch):
    project = copy_project(tmp_path / "repo")
    bad_seed_edits(project)
    monkeypatch.setenv("CHARGEBACK_TARGET", target)
    monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.delenv("CHARGEBACK_SCHEMA", raising=False)
    if target == "postgres":
        require_postgres()
        monkeypatch.setenv("CHARGEBACK_SCHEMA", pg_schema())
    seeds = ["rate_cards", "sku_catalog", "contract_tiers", "fx_rates", "allocation_fixed_shares"]
    result = dbt(project, "build", "--select", *seeds, "--indirect-selection", "cautious")
    assert result.returncode == 1
    for expected in EXPECTED_SEED_ERRORS:
        assert expected in result.stdout, expected
    assert "sku_id=STO-T1-GBM" not in result.stdout  # a credit SKU's negative price is fine
    assert "is above 0, but BKP-GBM is a credit SKU" in result.stdout


# -- 6: no text becomes a formula in a spreadsheet -----------------------------------------
HOSTILE_TEXT = '=HYPERLINK("http://evil.example","x")'


def test_text_that_looks_like_a_formula_stays_text(fixture_duckdb_copy, monkeypatch, tmp_path):
    """A cloud service name from a feed reaches the invoice-lines CSV and Excel and the
    FOCUS export as text, never as a formula; the invoice's own total stays a formula."""
    import duckdb
    from openpyxl import load_workbook

    from chargeback.outputs import documents
    from chargeback.outputs.export import main as export_main

    con = duckdb.connect(str(fixture_duckdb_copy))
    con.execute(
        "update main.fct_invoice_lines set service_name = ? where invoice_id = 'C03-202602'",
        [HOSTILE_TEXT],
    ).fetchall()
    con.execute("""update main.fct_focus_charges set "ServiceName" = '@SUM(1+1)'""").fetchall()
    con.close()
    use_duckdb(monkeypatch, fixture_duckdb_copy)
    monkeypatch.delenv("CHARGEBACK_DASHBOARD_USER", raising=False)
    files = documents.documents("C03-202602")
    rows = list(csv.DictReader(io.StringIO(files["invoice_C03-202602_lines.csv"].decode())))
    assert {r["service_name"] for r in rows} == {"'" + HOSTILE_TEXT}
    assert sum(Decimal(r["line_amount"]) for r in rows) == Decimal("589.56")  # numbers as is
    sheet = load_workbook(io.BytesIO(files["invoice_C03-202602_lines.xlsx"])).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == HOSTILE_TEXT]
    assert cells and all(c.data_type == "s" for c in cells)
    total = next(row for row in sheet.iter_rows() if row[0].value == "Total")
    assert [c.data_type for c in total if c.value is not None][-1] == "f"  # =SUM(...)
    out = tmp_path / "focus.csv"
    assert export_main(["focus", "--month", "2026-02", "--out", str(out)]) == 0
    focus = list(csv.DictReader(out.open()))
    assert {r["ServiceName"] for r in focus} == {"'@SUM(1+1)"}


# -- 9: the principal comes from the grants only -------------------------------------------
@pytest.mark.parametrize("user", ["postgres", "root", "chargeback_finance_admin", "nobody"])
def test_a_name_without_a_grant_reads_nothing(hostile, user, tmp_path, monkeypatch, capsys):
    """`chargeback-export` (its main(), in this process) as a name that has no grant."""
    from chargeback.outputs.export import main as export_main

    monkeypatch.delenv("CHARGEBACK_SCHEMA", raising=False)
    for key, value in hostile.env.items():
        if key.startswith("CHARGEBACK_"):
            monkeypatch.setenv(key, value)
    args = ["gl", "--month", "2026-02", "--out", str(tmp_path / "gl.csv")]
    monkeypatch.setenv("CHARGEBACK_DASHBOARD_USER", user)
    assert export_main(args) == 1
    assert f"{user!r} has no access to the billing warehouse" in capsys.readouterr().err
    assert not (tmp_path / "gl.csv").exists()
    monkeypatch.setenv("CHARGEBACK_DASHBOARD_USER", "finance_admin")
    assert export_main(args) == 0, capsys.readouterr().err
    assert (tmp_path / "gl.csv").exists()


# -- 14: a table being rebuilt on PostgreSQL is "being refreshed", not forbidden -----------
def test_a_table_being_rebuilt_is_being_refreshed_not_forbidden(hostile, monkeypatch):
    """PostgreSQL: a table dbt has just rebuilt has no grants until on-run-end. DuckDB: a
    build holds the file's write lock. Either way every role is told to wait a minute."""
    from chargeback import db

    for key, value in hostile.env.items():
        if key.startswith("CHARGEBACK_"):
            monkeypatch.setenv(key, value)
    if hostile.target == "duckdb":
        import duckdb

        writer = duckdb.connect(hostile.env["CHARGEBACK_DUCKDB_PATH"])  # a build, as it were
        try:
            for user in ("finance_admin", "viewer_dps"):
                monkeypatch.setenv("CHARGEBACK_DASHBOARD_USER", user)
                with pytest.raises(db.WarehouseUnavailable, match="being refreshed") as caught:
                    db.query(f"select count(*) from {db.relation('fct_invoices')}")
                assert caught.value.reason == "locked"
        finally:
            writer.close()
        return
    groups = "chargeback_finance_admin, chargeback_auditor, chargeback_viewer"
    table = f'"{hostile.schema}".fct_invoices'
    # what dbt leaves between rebuilding a table and on-run-end's grants
    pg_query(f"revoke select on {table} from {groups}")
    try:
        for user, name, reason in [
            ("finance_admin", "fct_invoices", "locked"),
            ("viewer_dps", "fct_invoices", "locked"),
            ("viewer_dps", "fct_feed_reconciliation", "forbidden"),
        ]:
            monkeypatch.setenv("CHARGEBACK_DASHBOARD_USER", user)
            with pytest.raises(db.WarehouseUnavailable) as caught:
                db.query(f"select count(*) from {db.relation(name)}")
            assert caught.value.reason == reason, (user, name, str(caught.value))
            if reason == "locked":
                assert str(caught.value).startswith("The warehouse is being refreshed")
    finally:
        pg_query(f"grant select on {table} to {groups}")


# -- 15: a fallback FX rate is flagged, and a stale one stops the build --------------------
def test_a_fallback_fx_rate_is_flagged_and_a_stale_one_stops_the_build(hostile):
    """28 February 2026 is a Saturday: the EUR lines of February use the rate of the 27th."""
    assert hostile.query(
        "select rate_currency, currency, fx_rate_date, count(*) from {s}.fct_invoice_lines "
        "where is_fx_rate_fallback group by 1, 2, 3"
    ) == [("USD", "EUR", dt.date(2026, 2, 27), 3)]
    result = hostile.dbt("test", "--select", "assert_fx_rates_are_recent_enough",
                         "--vars", "{fx_rate_max_staleness_days: 0}")  # fmt: skip
    assert result.returncode == 1
    assert (
        "the USD -> EUR rate of 2026-02-01 is the one of 2026-02-27, more than 0 days before "
        "the month end" in result.stdout
    )


# -- 5, 8: two closes at once, and a register that cannot be changed -----------------------
def test_two_closes_at_once_close_the_month_once(hostile):
    lock = None
    if hostile.target == "postgres":
        import psycopg2

        from .conftest import PG

        # hold the register's close lock, so that both closes are waiting on it at once
        lock = psycopg2.connect(**PG)
        lock.cursor().execute(
            "select pg_advisory_xact_lock(hashtext(%s))", (f"{hostile.schema}_register.close",)
        )
    closes = [hostile.close("2025-08", who) for who in ("operator_a", "operator_b")]
    if lock is not None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            (waiting,) = pg_query(
                "select count(*) from pg_locks where locktype = 'advisory' and not granted"
            )[0]
            if waiting >= 2 or any(c.poll() is not None for c in closes):
                break
            time.sleep(0.5)
        lock.rollback()
        lock.close()
    outputs = [c.communicate(timeout=300)[0] for c in closes]
    codes = sorted(c.returncode for c in closes)
    assert codes == [0, 1], outputs
    refused = outputs[[c.returncode for c in closes].index(1)]
    assert "is already closed" in refused or "Could not set lock" in refused, refused
    assert "Traceback" not in refused
    assert hostile.query("select count(*) from {register}.period_closes") == [(1,)]
    assert hostile.query(
        "select invoice_number, count(*) from {register}.issued_invoices group by 1"
    ) == [("SDCS-000001", 1)]


def test_the_register_refuses_duplicates_and_changes(hostile):
    """After the close above: a number or a month issued twice is refused by unique keys;
    on PostgreSQL no role, the owner included, may UPDATE, DELETE or TRUNCATE it."""
    duplicate = "insert into {register}.issued_invoices select * from {register}.issued_invoices"
    if hostile.target == "duckdb":
        import duckdb

        con = duckdb.connect(hostile.env["CHARGEBACK_DUCKDB_PATH"])
        try:
            with pytest.raises(duckdb.ConstraintException, match=r"[Dd]uplicate key"):
                con.execute(duplicate.format(register='"main_register"')).fetchall()
        finally:
            con.close()
        return
    import psycopg2

    with pytest.raises(psycopg2.errors.UniqueViolation):
        hostile.query(duplicate)
    for statement in (
        "update {register}.issued_invoices set total_amount = 0",
        "delete from {register}.issued_invoice_lines",
        "truncate {register}.period_closes",
    ):
        with pytest.raises(psycopg2.errors.RaiseException, match="register is append-only"):
            hostile.query(statement)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        hostile.query(
            "set role chargeback_finance_admin; "
            "update {register}.issued_invoices set total_amount = 0"
        )
    assert hostile.query("select sum(total_amount) from {register}.issued_invoices") == [
        (Decimal("4.50"),)
    ]
