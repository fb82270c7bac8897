"""Landing: real files into a real DuckDB file (and PostgreSQL), no mocks."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from chargeback.landing import Warehouse, land
from chargeback.landing.cli import main as land_cli
from chargeback.settings import load_settings

from .conftest import (
    FIXTURE_LANDING,
    FOCUS_SAMPLE,
    drop_pg_schemas,
    duck_query,
    pg_schema,
    require_postgres,
    use_duckdb,
)

VENDORED_SAMPLE = Path(__file__).parent / "fixtures" / "focus_sample" / "focus_sample.csv"
RU_HEADER = "record_id,usage_date,cost_center_id,sku_id,asset_id,quantity,unit\n"


@pytest.fixture
def duck(tmp_path, monkeypatch):
    use_duckdb(monkeypatch, tmp_path / "w.duckdb")
    return tmp_path / "w.duckdb"


def write(path: Path, text: str, sidecar: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    if sidecar is not None:
        path.with_name(path.name + ".sha256").write_text(f"{sidecar}  {path.name}\n")
    return path


def land_once(landing: Path):
    with Warehouse.open(load_settings()) as wh:
        return land(wh, landing)


def test_every_record_lands_with_lineage_and_a_manifest_row(duck, tmp_path):
    landing = tmp_path / "landing"
    body = (
        RU_HEADER
        + "R1,2026-01-01,DPS-100,SRV-VM-STD,vm-1,1,server-day\n"
        + "R2,2026-01-01,DPS-100\n"  # too few fields
        + '"R3","2026-01-02","DPS-100","STO-T1-GBM","vol ""a""",12.5,GB-month,EXTRA\n'
        + "\n"  # a blank line is not a record
        + 'R4,2026-01-03,DPS-100,MF-CPU-HR,"mf\n1",2,CPU-hour\n'  # a newline in quotes
    )
    write(landing / "ru" / "ru_usage_2026-01.csv", body)
    report = land_once(landing)
    assert report.summary() == "1 file(s) loaded (5 rows), 0 already loaded, 0 refused"
    rows = duck_query(
        duck,
        "select _source_row, _source_line, record_id, asset_id, _parse_error, _raw_line "
        "from main_raw.ru_usage order by _source_row",
    )
    assert rows == [
        (1, 2, "R1", "vm-1", None, None),
        (2, 3, None, None, "expected 7 fields, found 3", "R2,2026-01-01,DPS-100"),
        (3, 4, None, None, "expected 7 fields, found 8",
         '"R3","2026-01-02","DPS-100","STO-T1-GBM","vol ""a""",12.5,GB-month,EXTRA'),
        # a meter value never holds a newline: the quote is unclosed on its own line, and
        # costs that line; the next line is read as a record of its own
        (4, 6, None, None, "unclosed quote: the record would run over more than one line",
         'R4,2026-01-03,DPS-100,MF-CPU-HR,"mf'),
        (5, 7, None, None, "expected 7 fields, found 3", '1",2,CPU-hour'),
    ]  # fmt: skip
    manifest = duck_query(
        duck, "select source_file, row_count, file_id, size_bytes from main_raw.landing_manifest"
    )
    expected_sha = hashlib.sha256(body.encode()).hexdigest()
    assert manifest == [("ru/ru_usage_2026-01.csv", 5, expected_sha, len(body.encode()))]


def test_landing_the_same_files_twice_changes_nothing(duck):
    first = land_once(FIXTURE_LANDING)
    assert len(first.by_status("loaded")) == 7  # usage 3, disputes 2, SLA 2
    before = duck_query(duck, "select count(*) from main_raw.ru_usage")
    second = land_once(FIXTURE_LANDING)
    assert second.rows_loaded == 0
    assert [f.status for f in second.files] == ["skipped"] * 7
    assert duck_query(duck, "select count(*) from main_raw.ru_usage") == before
    assert duck_query(duck, "select count(*) from main_raw.landing_manifest") == [(7,)]


def test_a_copied_file_under_another_name_is_not_landed_again(duck, tmp_path):
    landing = tmp_path / "landing"
    write(
        landing / "ru" / "a.csv", RU_HEADER + "R1,2026-01-01,DPS-100,SRV-VM-STD,vm-1,1,server-day\n"
    )
    land_once(landing)
    shutil.copy(landing / "ru" / "a.csv", landing / "ru" / "b.csv")
    report = land_once(landing)
    skipped = report.by_status("skipped")
    assert [f.source_file for f in skipped] == ["ru/a.csv", "ru/b.csv"]
    assert skipped[1].message == "already loaded as ru/a.csv"


def test_a_checksum_mismatch_is_refused_with_a_clear_message(duck, tmp_path, capsys):
    landing = tmp_path / "landing"
    good = RU_HEADER + "R1,2026-01-01,DPS-100,SRV-VM-STD,vm-1,1,server-day\n"
    write(landing / "ru" / "good.csv", good, hashlib.sha256(good.encode()).hexdigest())
    write(landing / "ru" / "bad.csv", good + "R2,2026-01-01,DPS-100,SRV-VM-STD,vm-1,1,server-day\n",
          hashlib.sha256(good.encode()).hexdigest())  # fmt: skip
    assert land_cli(["--landing", str(landing)]) == 1
    err = capsys.readouterr().err
    assert "Refused ru/bad.csv: its sha256 is" in err
    assert "declares " + hashlib.sha256(good.encode()).hexdigest() in err
    # the good file landed, the bad one did not, not even partly
    assert duck_query(duck, "select _source_file, count(*) from main_raw.ru_usage group by 1") == [
        ("ru/good.csv", 1)
    ]
    manifest = "select source_file, declared_sha256 is not null from main_raw.landing_manifest"
    assert duck_query(duck, manifest) == [("ru/good.csv", True)]
    # refusing again does not pile up refusal rows
    assert land_cli(["--landing", str(landing)]) == 1
    assert duck_query(duck, "select count(*) from main_raw.landing_refusals") == [(1,)]


def test_unknown_columns_land_in_extra_and_missing_ones_are_null(duck, tmp_path):
    landing = tmp_path / "landing"
    header = "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ProviderName,Colour"
    write(landing / "focus" / "x.csv", header + "\n1.50,USD,Usage,2026-01-01,AWS,blue\n")
    land_once(landing)
    assert duck_query(
        duck, "select billed_cost, provider_name, service_name, _extra from main_raw.focus_usage"
    ) == [("1.50", "AWS", None, '{"Colour": "blue"}')]


def test_a_quoted_newline_lands_in_a_feed_whose_values_hold_newlines(duck, tmp_path):
    """ServiceNow's notes hold newlines: a disputes record may span up to 200 lines."""
    landing = tmp_path / "landing"
    header = "number,opened_at,company,u_billing_period,u_disputed_amount,state,sys_updated_on"
    write(landing / "disputes" / "d.csv",
          header + '\nDSP1,2026-03-01,C01,2026-02,10,New,"2026-03-01"\n'
          'DSP2,2026-03-02,C01,2026-02,12,New,2026-03-02\n')  # fmt: skip
    write(landing / "disputes" / "e.csv",
          header.replace("sys_updated_on", "close_notes,sys_updated_on")
          + '\nDSP3,2026-03-03,C02,2026-02,5,Closed,"line one\nline two",2026-03-04\n')  # fmt: skip
    land_once(landing)
    assert duck_query(
        duck,
        "select number, close_notes, _source_line, _parse_error "
        "from main_raw.dispute_requests order by number",
    ) == [("DSP1", None, 2, None), ("DSP2", None, 3, None), ("DSP3", "line one\nline two", 2, None)]


def test_a_header_only_file_is_recorded_and_an_empty_one_refused(duck, tmp_path):
    landing = tmp_path / "landing"
    write(landing / "ru" / "empty.csv", "")
    write(landing / "ru" / "header.csv", RU_HEADER)
    report = land_once(landing)
    assert [(f.source_file, f.rows) for f in report.by_status("loaded")] == [("ru/header.csv", 0)]
    assert [f.source_file for f in report.by_status("refused")] == ["ru/empty.csv"]


def test_sidecars_and_underscore_folders_are_not_data(duck, tmp_path):
    landing = tmp_path / "landing"
    write(
        landing / "ru" / "a.csv", RU_HEADER, sidecar=hashlib.sha256(RU_HEADER.encode()).hexdigest()
    )
    write(landing / "ru" / "_meta" / "notes.csv", "x\n1\n")
    report = land_once(landing)
    assert [f.source_file for f in report.files] == ["ru/a.csv"]


def test_the_vendored_focus_sample_is_the_foundations_file_unchanged():
    if not FOCUS_SAMPLE.exists():
        pytest.skip(f"{FOCUS_SAMPLE} is not beside this checkout")
    assert VENDORED_SAMPLE.read_bytes() == FOCUS_SAMPLE.read_bytes()


def test_the_focus_sample_lands_exactly_as_it_is(duck, tmp_path):
    landing = tmp_path / "landing"
    (landing / "focus" / "sample").mkdir(parents=True)
    shutil.copy(VENDORED_SAMPLE, landing / "focus" / "sample" / "focus_sample.csv")
    report = land_once(landing)
    assert report.rows_loaded == 1000
    (count, total, ids, nulls, tagged, errors) = duck_query(
        duck,
        "select count(*), sum(cast(billed_cost as decimal(38, 12))), "
        "count(distinct json_extract_string(_extra, '$.Id')), "
        "count(*) filter (where charge_class = 'NULL'), "
        "count(*) filter (where tags like '{%'), count(_parse_error) from main_raw.focus_usage",
    )[0]
    assert (count, total, ids, errors) == (1000, Decimal("20.52022672899"), 1000, 0)
    assert nulls == 1000  # the bare NULL tokens land as the text NULL; staging reads them
    assert tagged == 711  # 289 rows are untagged (NULL)


@pytest.mark.postgres
def test_landing_on_postgres_is_idempotent_and_exact(tmp_path, monkeypatch):
    require_postgres()
    schema = pg_schema()
    monkeypatch.setenv("CHARGEBACK_TARGET", "postgres")
    monkeypatch.setenv("CHARGEBACK_SCHEMA", schema)
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    (landing / "focus" / "sample").mkdir(parents=True)
    shutil.copy(VENDORED_SAMPLE, landing / "focus" / "sample" / "focus_sample.csv")
    pq.write_table(pacsv.read_csv(VENDORED_SAMPLE), landing / "focus" / "sample.parquet")
    try:
        # the sample (CSV and Parquet), then the fixture: cloud 9, ru 18, labour 7,
        # disputes 3 + 4, SLA 4 + 1
        assert land_once(landing).rows_loaded == 2 * 1000 + 9 + 18 + 7 + 7 + 5
        assert land_once(landing).rows_loaded == 0
        with Warehouse.open(load_settings()) as wh:
            rows = wh.fetchall(
                f'select sum(cast(billed_cost as numeric)) from "{schema}_raw".focus_usage '
                "where _source_file like 'focus/sample%' group by _source_file"
            )
            raw = wh.fetchall(
                f'select _raw_line from "{schema}_raw".ru_usage where _parse_error is not null'
            )
        assert rows == [(Decimal("20.52022672899"),)] * 2
        assert raw == [("RU-10,2026-02-12,DPS-100,SRV-VM-STD",)]
    finally:
        drop_pg_schemas(schema)


def test_gzip_and_parquet_focus_files_land_whole(duck, tmp_path):
    """AWS and Azure deliver FOCUS as gzip CSV or Parquet: the sample lands whole in each
    form. The gzip file's records are the CSV's, line for line; its checksum (manifest and
    sidecar) is the one of the bytes delivered."""
    landing = tmp_path / "landing"
    folder = landing / "focus" / "sample"
    folder.mkdir(parents=True)
    shutil.copy(VENDORED_SAMPLE, folder / "focus_sample.csv")
    gz = folder / "focus_sample.csv.gz"
    with gzip.open(gz, "wb") as fh:
        fh.write(VENDORED_SAMPLE.read_bytes())
    digest = hashlib.sha256(gz.read_bytes()).hexdigest()
    gz.with_name(gz.name + ".sha256").write_text(f"{digest}  {gz.name}\n")
    pq.write_table(pacsv.read_csv(VENDORED_SAMPLE), folder / "focus_sample.parquet")
    report = land_once(landing)
    assert report.summary() == "3 file(s) loaded (3000 rows), 0 already loaded, 0 refused"
    per_file = duck_query(
        duck,
        "select _source_file, count(*), sum(cast(billed_cost as decimal(38, 12))), "
        "count(_parse_error), count(_source_line), min(_source_row), max(_source_row), "
        "count(distinct json_extract_string(_extra, '$.Id')) "
        "from main_raw.focus_usage group by 1 order by 1",
    )
    total = Decimal("20.52022672899")
    assert per_file == [
        ("focus/sample/focus_sample.csv", 1000, total, 0, 1000, 1, 1000, 1000),
        ("focus/sample/focus_sample.csv.gz", 1000, total, 0, 1000, 1, 1000, 1000),
        ("focus/sample/focus_sample.parquet", 1000, total, 0, 0, 1, 1000, 1000),
    ]
    assert duck_query(duck, "select file_id from main_raw.landing_manifest "
                      "where source_file like '%.gz'") == [(digest,)]  # fmt: skip
    same = duck_query(
        duck,
        "select count(*) from main_raw.focus_usage as csv join main_raw.focus_usage as gz "
        "on csv._source_file like '%.csv' and gz._source_file like '%.csv.gz' "
        "and csv._source_row = gz._source_row and csv._source_line = gz._source_line "
        "and csv.billed_cost = gz.billed_cost and csv.tags is not distinct from gz.tags "
        "and csv.charge_period_start = gz.charge_period_start and csv._extra = gz._extra",
    )
    assert same == [(1000,)]
    assert land_once(landing).summary() == "0 file(s) loaded (0 rows), 3 already loaded, 0 refused"


def test_a_broken_gzip_file_is_refused_and_a_typed_parquet_lands_as_text(duck, tmp_path):
    landing = tmp_path / "landing"
    folder = landing / "focus"
    folder.mkdir(parents=True)
    whole = gzip.compress(VENDORED_SAMPLE.read_bytes())
    (folder / "truncated.csv.gz").write_bytes(whole[: len(whole) // 2])
    (folder / "empty.csv.gz").write_bytes(gzip.compress(b""))
    start = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    table = pa.table({
        "ProviderName": ["AWS", "AWS"],
        "ChargeCategory": ["Usage", "Usage"],
        "ChargePeriodStart": pa.array([start, None], pa.timestamp("s", tz="UTC")),
        "BilledCost": pa.array([Decimal("1.2300"), Decimal("-0.5")], pa.decimal128(12, 4)),
        "BillingCurrency": ["USD", "USD"],
        "PricingQuantity": pa.array([0.00001234, 2.0]),
        "Tags": pa.array([[("department", "Public Safety")], None],
                         pa.map_(pa.string(), pa.string())),
        "x_Discount": pa.array([1, None], pa.int32()),
    })  # fmt: skip
    pq.write_table(table, folder / "typed.parquet")
    report = {r.source_file: r for r in land_once(landing).files}
    assert report["focus/truncated.csv.gz"].status == "refused"
    assert "not a valid gzip file" in report["focus/truncated.csv.gz"].message
    assert report["focus/empty.csv.gz"].status == "refused"
    assert "the file is empty" in report["focus/empty.csv.gz"].message
    assert report["focus/typed.parquet"].rows == 2
    rows = duck_query(
        duck,
        "select _source_row, charge_period_start, billed_cost, pricing_quantity, tags, _extra "
        "from main_raw.focus_usage order by _source_row",
    )
    assert rows == [
        (1, "2026-02-01 00:00:00.000Z", "1.2300", "0.00001234", '{"department": "Public Safety"}',
         '{"x_Discount": "1"}'),
        (2, None, "-0.5000", "2", None, '{"x_Discount": null}'),
    ]  # fmt: skip


def test_duckdb_memory_limit_and_spill_folder_come_from_the_environment(duck, monkeypatch):
    # landing's connection and dbt's profile (through dbt_env) get the same two settings
    monkeypatch.delenv("CHARGEBACK_DUCKDB_TEMP_DIR", raising=False)
    monkeypatch.setenv("CHARGEBACK_DUCKDB_MEMORY_LIMIT", "1GB")
    settings = load_settings()
    assert settings.dbt_env()["CHARGEBACK_DUCKDB_MEMORY_LIMIT"] == "1GB"
    assert "CHARGEBACK_DUCKDB_TEMP_DIR" not in settings.dbt_env()  # next to the file
    with Warehouse.open(settings) as wh:
        limit, spill = wh.fetchall(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        )[0]
    assert limit == "953.6 MiB"  # DuckDB shows 1GB (10^9 bytes) in binary units
    assert spill == f"{duck}.tmp"
    monkeypatch.delenv("CHARGEBACK_DUCKDB_MEMORY_LIMIT")
    assert load_settings().duckdb_memory_limit == "5GB"
    monkeypatch.setenv("CHARGEBACK_DUCKDB_TEMP_DIR", str(duck.parent / "spill"))
    assert load_settings().dbt_env()["CHARGEBACK_DUCKDB_TEMP_DIR"] == str(duck.parent / "spill")
