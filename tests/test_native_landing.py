"""DuckDB's CSV reader (native.py) lands exactly the rows records.py lands, or is not used.

Each case lands the same folder twice, once with every file read by records.py and once with
the native reader, and compares every raw table and the manifest row for row (the landing
time aside). Real files, real DuckDB and PostgreSQL; no mocks."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from chargeback.landing import Warehouse, land, loader, native, records
from chargeback.landing.feeds import FEEDS, MANIFEST_TABLE, REFUSALS_TABLE
from chargeback.settings import load_settings

from .conftest import (
    FIXTURE_LANDING,
    FOCUS_SAMPLE,
    drop_pg_schemas,
    pg_schema,
    require_postgres,
    use_duckdb,
)

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
RU_HEADER = "record_id,usage_date,cost_center_id,sku_id,asset_id,quantity,unit\n"

# lines the native reader must read exactly as records.py does, or hand over to it
TRICKY = {
    # wrong field counts, between good lines: DuckDB rejects them, records.py re-splits them
    "ru/a_counts.csv": RU_HEADER
    + "R1,2026-01-01,DPS-100,SRV-VM-STD,vm-1,1,server-day\n"
    + "R2,2026-01-01,DPS-100\n"
    + "R3,2026-01-01,DPS-100,SRV-VM-STD,vm-1,1,server-day,EXTRA,MORE\n"
    + "R4,2026-01-01,DPS-100,SRV-VM-STD,vm-1,1,server-day\n",
    # quotes: doubled, empty, inside an unquoted value, around a comma; spaces; empty fields
    "ru/b_quotes.csv": RU_HEADER
    + '"R1","2026-01-02","DPS-100","STO-T1-GBM","vol ""a""",12.5,GB-month\n'
    + 'R2,,"",STO-T1-GBM, spaced ,1,a"b\n'
    + 'R3,2026-01-02,DPS-100,STO-T1-GBM,"x,y",2,"é ü 雪"\n'
    + "R4,2026-01-02,DPS-100,STO-T1-GBM,back\\slash,3,GB-month",  # no newline at the end
    # a quoted newline: the file goes through records.py
    "ru/c_multiline.csv": RU_HEADER + 'R1,2026-01-03,DPS-100,MF-CPU-HR,"mf\n1",2,CPU-hour\n',
    # a blank line: not a record, so the file goes through records.py
    "ru/d_blank.csv": RU_HEADER + "R1,2026-01-03,DPS-100,MF-CPU-HR,m,2,CPU-hour\n\n"
    + "R2,2026-01-03,DPS-100,MF-CPU-HR,m,2,CPU-hour\n",
    # an unclosed quote: records.py cuts it back to one line
    "ru/e_unclosed.csv": RU_HEADER + 'R1,2026-01-04,DPS-100,MF-CPU-HR,"m,2,CPU-hour\n'
    + "R2,2026-01-04,DPS-100,MF-CPU-HR,m,2,CPU-hour\n",
    # CRLF line ends: read natively, a short line too (its text is read from the file)
    "ru/f_crlf.csv": (RU_HEADER + "R1,2026-01-05,DPS-100,MF-CPU-HR,m,2,CPU-hour\n"
                      + "R2,2026-01-05\n").replace("\n", "\r\n"),
    "ru/j_crlf.csv": (RU_HEADER + "R1,2026-01-05,DPS-100,MF-CPU-HR,m,2,CPU-hour\n"
                      + 'R2,2026-01-05,DPS-100,MF-CPU-HR,"m",2,\n').replace("\n", "\r\n"),
    # columns the feed does not know, with values JSON must escape
    "ru/g_extra.csv": RU_HEADER.rstrip("\n") + ',Note,"Cost ""center"""\n'
    + 'R1,2026-01-06,DPS-100,MF-CPU-HR,m,2,CPU-hour,"say ""hi""\\ / \t tab",é\n'
    + "R2,2026-01-06,DPS-100,MF-CPU-HR,m,2,CPU-hour,,\n"
    + "R3,2026-01-06,DPS-100\n",
    # short lines scattered: first, consecutive, last
    "ru/k_scattered.csv": RU_HEADER + "".join(
        f"R{i},2026-01-07\n" if i in (1, 3, 5, 6, 9) else f"R{i},2026-01-07,D,S,a,{i},u\n"
        for i in range(1, 10)
    ),
    # a line with more fields than the one pass has spare columns: DuckDB rejects it, so the
    # file is read again in two passes
    "ru/l_very_long.csv": RU_HEADER + "R1,2026-01-08,D,S,a,1,u\n"
    + "R2,2026-01-08" + ",x" * 20 + "\n" + "R3,2026-01-08,D,S,a,3,u\n",
    # a header only
    "ru/h_header_only.csv": RU_HEADER,
}  # fmt: skip


def tricky_landing(root: Path) -> Path:
    landing = root / "landing"
    for name, text in TRICKY.items():
        path = landing / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    gz = landing / "ru" / "i_counts.csv.gz"
    gz.write_bytes(gzip.compress(TRICKY["ru/a_counts.csv"].encode()))
    return landing


def raw_rows(wh: Warehouse) -> dict[str, list[tuple]]:
    """Every raw table and the manifest, in a stable order, without landing times."""
    out = {}
    for table in [f.table for f in FEEDS.values()] + [MANIFEST_TABLE]:
        cols = [
            r[0]
            for r in wh.fetchall(
                "select column_name from information_schema.columns where table_schema = "
                f"{wh.param} and table_name = {wh.param} order by ordinal_position",
                [wh.settings.raw_schema, table],
            )
            if r[0] not in ("_loaded_at", "loaded_at")
        ]
        select = ", ".join(f'"{c}"' for c in cols)
        key = '"_file_id", "_source_row"' if table != MANIFEST_TABLE else '"file_id"'
        rows = wh.fetchall(f"select {select} from {wh.qualified(table)} order by {key}")
        out[table] = [cols, *rows]
    return out


def land_both(landing: Path, target: str, tmp_path: Path, monkeypatch) -> tuple[dict, dict, list]:
    """Land `landing` with records.py only, then with the native reader: both tables."""
    monkeypatch.setenv("CHARGEBACK_TARGET", target)
    results, reports = [], []
    for reader in ("python", "native"):
        if target == "duckdb":
            monkeypatch.setenv("CHARGEBACK_DUCKDB_PATH", str(tmp_path / f"{reader}.duckdb"))
            monkeypatch.delenv("CHARGEBACK_SCHEMA", raising=False)
        else:
            schema = pg_schema(f"native_{reader}")
            drop_pg_schemas(schema)
            monkeypatch.setenv("CHARGEBACK_SCHEMA", schema)
        with Warehouse.open(load_settings()) as wh:
            report = land(wh, landing, native_reader=reader == "native")
            results.append(raw_rows(wh))
            reports.append(report)
    assert reports[0].summary() == reports[1].summary()
    return results[0], results[1], reports


def test_the_native_reader_lands_exactly_what_records_py_lands(tmp_path, monkeypatch, caplog):
    landing = tricky_landing(tmp_path)
    shutil.copytree(HOSTILE, landing, dirs_exist_ok=True)
    shutil.copytree(FIXTURE_LANDING, landing, dirs_exist_ok=True)
    caplog.set_level("DEBUG", logger="chargeback.landing.loader")
    python, native, _ = land_both(landing, "duckdb", tmp_path, monkeypatch)
    for table in python:
        assert native[table] == python[table], table
    # the files that break the line count went through records.py, the others did not
    by_python = {r.getMessage().split(" is read")[0] for r in caplog.records
                 if "is read by records.py" in r.getMessage()}  # fmt: skip
    assert {"ru/c_multiline.csv", "ru/d_blank.csv", "ru/e_unclosed.csv"} <= by_python
    in_two_passes = {r.getMessage().split(" is read")[0] for r in caplog.records
                     if "is read in two passes" in r.getMessage()}  # fmt: skip
    natively = ("ru/a_counts.csv", "ru/b_quotes.csv", "ru/f_crlf.csv", "ru/g_extra.csv",
                "ru/i_counts.csv.gz", "ru/j_crlf.csv", "ru/k_scattered.csv",
                "ru/ru_usage_2026-02.csv")  # fmt: skip
    for native_file in natively:  # in one pass, short and long lines included
        assert native_file not in by_python | in_two_passes, native_file
    assert "ru/l_very_long.csv" in in_two_passes - by_python
    # the hand-checked rows of the short and long lines
    ru = {row[2]: row for row in native["ru_usage"][1:] if row[1] == "ru/a_counts.csv"}
    assert sorted(ru) == [1, 2, 3, 4]
    scattered = {row[2]: (row[3], row[7] or row[5]) for row in native["ru_usage"][1:]
                 if row[1] == "ru/k_scattered.csv"}  # fmt: skip
    assert scattered == {i: (i + 1, f"R{i},2026-01-07" if i in (1, 3, 5, 6, 9) else f"R{i}")
                         for i in range(1, 10)}  # fmt: skip
    assert ru[2][4] == "expected 7 fields, found 3" and ru[2][5] == "R2,2026-01-01,DPS-100"
    assert ru[3][4] == "expected 7 fields, found 9"
    extra = {row[2]: row[6] for row in native["ru_usage"][1:] if row[1] == "ru/g_extra.csv"}
    assert extra == {1: '{"Note": "say \\"hi\\"\\\\ / \\t tab", "Cost \\"center\\"": "é"}',
                     2: '{"Note": "", "Cost \\"center\\"": ""}', 3: None}  # fmt: skip


def test_the_focus_sample_lands_natively_as_it_does_through_records_py(tmp_path, monkeypatch):
    landing = tmp_path / "landing"
    (landing / "focus" / "sample").mkdir(parents=True)
    shutil.copy(FOCUS_SAMPLE, landing / "focus" / "sample" / "focus_sample.csv")
    python, native, reports = land_both(landing, "duckdb", tmp_path, monkeypatch)
    assert native == python
    assert reports[1].rows_loaded == len(native["focus_usage"]) - 1


@pytest.mark.postgres
def test_postgres_lands_natively_what_records_py_lands(tmp_path, monkeypatch):
    require_postgres()
    landing = tricky_landing(tmp_path)
    python, native, _ = land_both(landing, "postgres", tmp_path, monkeypatch)
    assert native == python
    assert len(native["ru_usage"]) - 1 == 37  # every record of the twelve files


def test_files_duckdb_read_land_together_and_one_that_fails_is_refused_alone(tmp_path, monkeypatch):
    """Files DuckDB can read wait and land in one transaction (loader._Staging), each read
    straight into its table. When that transaction fails, each file lands in its own, and
    only the one that cannot land is refused: here the second file vanishes before the
    flush, so neither DuckDB nor records.py can read it."""
    use_duckdb(monkeypatch, tmp_path / "w.duckdb")
    landing = tmp_path / "landing"
    paths = []
    for i, rows in enumerate((2, 3, 4), start=1):
        path = landing / "ru" / f"ru_{i}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(RU_HEADER + "".join(
            f"R{i}{n},2026-01-0{i},DPS-100,SRV-VM-STD,vm-{n},1,server-day\n" for n in range(rows)
        ))  # fmt: skip
        paths.append(path)
    with Warehouse.open(load_settings()) as wh:
        wh.ensure_schema()
        loaded = wh.loaded_file_ids()
        staging = loader._Staging(wh, loaded, rows=1_000)
        results = [
            loader.land_file(wh, landing, p, FEEDS["ru"], loaded, True, staging) for p in paths
        ]
        count = f"select count(*) from {wh.qualified('ru_usage')}"
        assert len(staging.waiting) == 3 and wh.fetchall(count) == [(0,)]  # nothing yet
        saved = paths[1].read_bytes()
        paths[1].unlink()
        staging.close()
        assert [r.status for r in results] == ["loaded", "refused", "loaded"]
        assert [r.rows for r in results] == [2, 0, 4]
        assert "Refused ru/ru_2.csv: landing it failed" in results[1].message
        assert wh.fetchall(count) == [(6,)]
        manifest = wh.fetchall(
            f"select source_file, row_count from {wh.qualified(MANIFEST_TABLE)} order by 1"
        )
        assert manifest == [("ru/ru_1.csv", 2), ("ru/ru_3.csv", 4)]
        refused = wh.fetchall(f"select source_file from {wh.qualified(REFUSALS_TABLE)}")
        assert refused == [("ru/ru_2.csv",)] and results[1].file_id not in loaded
        # landing again lands the refused file, now that it can be read
        paths[1].write_bytes(saved)
        report = land(wh, landing)
        assert [(f.source_file, f.status, f.rows) for f in report.files] == [
            ("ru/ru_1.csv", "skipped", 0), ("ru/ru_2.csv", "loaded", 3),
            ("ru/ru_3.csv", "skipped", 0),
        ]  # fmt: skip
        assert wh.fetchall(count) == [(9,)]


def test_the_line_index_finds_the_same_lines_as_reading_the_whole_file(tmp_path):
    """native._physical_lines jumps to the mark before each wanted line (FileScan.line_index,
    one every LINE_INDEX_STEP bytes): lines that cross a mark, the first, the last (without
    its newline) and neighbours come out byte for byte as a read of the whole file gives."""
    lines = [f"R{n},{'x' * (n * 7919 % 997)},{n}\n".encode() for n in range(1, 3001)]
    lines[-1] = lines[-1].rstrip(b"\n")
    path = tmp_path / "long.csv"
    path.write_bytes(b"".join(lines))
    scan = records.scan_file(path, "utf-8")
    assert len(scan.line_index) == -(-path.stat().st_size // records.LINE_INDEX_STEP) > 20
    ends, offset = [], 0
    for line in lines:
        offset += len(line)
        ends.append(offset)
    across = [n + 1 for n, end in enumerate(ends)  # lines that hold a mark inside them
              if any(end - len(lines[n]) < m < end for m, _ in scan.line_index)]  # fmt: skip
    wanted = {1, 2, 3000, 2999, 1500, 1501, *across}
    expected = {n: lines[n - 1] for n in wanted}
    assert native._physical_lines(path, wanted, scan.line_index) == expected
    assert native._physical_lines(path, wanted) == expected
    assert len(across) > 10


def test_a_placeholder_left_by_an_interrupted_landing_goes_at_the_next(tmp_path, monkeypatch):
    """A line whose fields do not fit lands as a placeholder, beside records.py's own row of
    it, in one transaction; landing deletes the placeholders after that transaction. One
    left behind (a landing that stopped in between) is deleted by the next landing, and
    staging never reads it (macros/landing_lineage.sql; its unit test in
    _landing__unit_tests.yml)."""
    use_duckdb(monkeypatch, tmp_path / "w.duckdb")
    landing = tmp_path / "landing"
    (landing / "ru").mkdir(parents=True)
    (landing / "ru" / "a_counts.csv").write_text(TRICKY["ru/a_counts.csv"])
    with Warehouse.open(load_settings()) as wh:
        land(wh, landing)
        table = wh.qualified("ru_usage")
        rows = f"select _source_row, _parse_error from {table} order by 1, 2"
        settled = wh.fetchall(rows)
        assert settled == [(1, None), (2, "expected 7 fields, found 3"),
                           (3, "expected 7 fields, found 9"), (4, None)]  # fmt: skip
        wh.execute(
            f"insert into {table} (_file_id, _source_file, _source_row, _parse_error) "
            "select _file_id, _source_file, _source_row, ? from "
            f"{table} where _source_row = 2",
            [native.PENDING],
        )
        assert len(wh.fetchall(rows)) == 5
        report = land(wh, landing)
        assert [f.status for f in report.files] == ["skipped"]
        assert wh.fetchall(rows) == settled
