"""Tests for the deterministic demo-data generator (chargeback.demo_data).

Everything runs against real files in tmp_path.  ``_audit`` re-derives every dirt count
from the written files alone (the way a warehouse would) and the tests require it to
match the generator's summary exactly.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from chargeback.demo_data import (
    CHUNK_ROWS,
    DIRT_KINDS,
    FOCUS_COLUMNS,
    LABOUR_COLUMNS,
    MALFORMED_KINDS,
    RU_COLUMNS,
    generate,
    main,
)
from chargeback.demo_data.dirt import UNKNOWN_COST_CENTER

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED_SAMPLE = Path("/work/shared/data/focus-sample-1.0/focus_sample.csv")

SMALL = {"seed": 42, "customers": 20, "months": 6, "end_month": "2026-10", "rows": 50_000}


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


CATALOG = {r["sku_id"]: r for r in _seed("sku_catalog.csv")}
COST_CENTERS = {r["cost_center_id"]: r for r in _seed("cost_centers.csv")}
SEED_SUBACCOUNTS = {r["sub_account_id"] for r in _seed("cloud_accounts.csv")}
HEADERS = {
    "aws": FOCUS_COLUMNS,
    "microsoft": FOCUS_COLUMNS,
    "ru": RU_COLUMNS,
    "labour": LABOUR_COLUMNS,
}
SERIES_OF = {
    "focus_aws": "aws",
    "focus_microsoft": "microsoft",
    "ru_usage": "ru",
    "servicedesk": "labour",
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _sha(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _run(tmp_path: Path, name: str = "out", **overrides) -> tuple[Path, dict]:
    out = tmp_path / name
    args = {**SMALL, **overrides}
    return out, generate(out, **args)


def _num(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _valid_date(text: str) -> bool:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return False
    y, mo, d = map(int, m.groups())
    return 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]


def _audit(out: Path, summary: dict) -> dict:
    """Count rows, dirt and tags straight from the files, like a warehouse would."""
    dirt = Counter()
    malformed = Counter()
    seen: dict[str, set[str]] = {s: set() for s in SERIES_OF.values()}
    untagged = unmapped = 0
    rows_per_file = {}
    for entry in summary["files"]:
        path = out / entry["path"]
        if entry["path"].startswith("focus/sample/"):
            continue
        name = path.name
        series = SERIES_OF[re.sub(r"_\d{4}-\d{2}(_part\d{2})?\.csv$", "", name)]
        file_month = re.search(r"_(\d{4}-\d{2})(_part\d{2})?\.csv$", name).group(1)
        raw = path.read_bytes().decode("utf-8")
        assert raw.endswith("\n") and "\r" not in raw
        lines = raw.split("\n")[:-1]
        header = lines[0].split(",")
        assert header == HEADERS[series]
        records = list(csv.reader(lines[1:]))
        assert len(records) == len(lines) - 1  # one record per physical line
        rows_per_file[entry["path"]] = len(records)
        for line, rec in zip(lines[1:], records, strict=True):
            if line in seen[series]:
                dirt["duplicate"] += 1
                continue
            seen[series].add(line)
            if len(rec) < len(header):
                malformed["too_few_fields"] += 1
                continue
            if len(rec) > len(header):
                malformed["too_many_fields"] += 1
                continue
            row = dict(zip(header, rec, strict=True))
            if series in ("aws", "microsoft"):
                number, day = row["BilledCost"], row["ChargePeriodStart"][:10]
                assert row["ChargePeriodStart"].endswith(" 00:00:00")
            elif series == "ru":
                number, day = row["quantity"], row["usage_date"]
            else:
                number, day = row["hours"], row["activity_date"]
            value = _num(number)
            if value is None:
                malformed["bad_number"] += 1
                continue
            if not _valid_date(day):
                malformed["bad_date"] += 1
                continue
            if day[:7] != file_month:
                assert day[:7] < file_month
                dirt["late_arriving"] += 1
            if series in ("aws", "microsoft"):
                if row["ProviderName"] not in ("AWS", "Microsoft"):
                    dirt["unknown_sku"] += 1
                elif abs(value) > Decimal(CATALOG["CLOUD-AWS"]["max_quantity_per_row"]):
                    dirt["absurd_quantity"] += 1
                tags = json.loads(row["Tags"]) if row["Tags"] else {}
                if "department" not in tags:
                    untagged += 1
                    if row["SubAccountId"] not in SEED_SUBACCOUNTS:
                        unmapped += 1
                else:
                    assert row["SubAccountId"] in SEED_SUBACCOUNTS
                continue
            if series == "ru":
                sku = row["sku_id"]
                if sku in CATALOG:
                    assert row["unit"] == CATALOG[sku]["pricing_unit"]
            else:
                sku = "LAB-" + row["activity_code"]
            if sku not in CATALOG:
                dirt["unknown_sku"] += 1
            elif value < 0:
                dirt["negative_quantity"] += 1
            elif value > Decimal(CATALOG[sku]["max_quantity_per_row"]):
                dirt["absurd_quantity"] += 1
            elif row["cost_center_id"] not in COST_CENTERS:
                dirt["unknown_cost_center"] += 1
    dirt["malformed"] = sum(malformed.values())
    return {
        "dirt": {k: dirt[k] for k in DIRT_KINDS},
        "malformed_by_kind": {k: malformed[k] for k in MALFORMED_KINDS},
        "untagged": untagged,
        "unmapped": unmapped,
        "rows_per_file": rows_per_file,
    }


# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict]:
    return _run(tmp_path_factory.mktemp("small"))


def test_layout_and_summary(small):
    out, summary = small
    names = {f["path"] for f in summary["files"]}
    months = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    expected = set()
    for m in months:
        expected |= {
            f"focus/aws/focus_aws_{m}.csv",
            f"focus/microsoft/focus_microsoft_{m}.csv",
            f"ru/ru_usage_{m}.csv",
            f"labour/servicedesk_{m}.csv",
        }
    assert names == expected
    assert set(summary) >= {
        "seed",
        "args",
        "files",
        "rows_by_feed",
        "total_rows",
        "dirt",
        "malformed_by_kind",
        "untagged_cloud_rows",
        "unmapped_cloud_rows",
    }
    on_disk = json.loads((out / "_meta" / "generation.json").read_text())
    assert on_disk == summary
    assert summary["args"]["rows"] == 50_000 and summary["seed"] == 42


def test_sidecars_and_row_counts(small):
    out, summary = small
    audit = _audit(out, summary)
    for f in summary["files"]:
        path = out / f["path"]
        sidecar = path.with_name(path.name + ".sha256")
        assert sidecar.read_bytes() == f"{_sha(path)}  {path.name}\n".encode()
        assert audit["rows_per_file"][f["path"]] == f["rows"] > 0
    by_feed = Counter()
    for f in summary["files"]:
        by_feed[f["feed"]] += f["rows"]
    assert dict(by_feed) == summary["rows_by_feed"]
    assert sum(summary["rows_by_feed"].values()) == summary["total_rows"]
    assert abs(summary["total_rows"] - 50_000) <= 0.02 * 50_000
    shares = {k: v / summary["total_rows"] for k, v in summary["rows_by_feed"].items()}
    assert shares["ru"] == pytest.approx(0.55, abs=0.02)
    assert shares["cloud"] == pytest.approx(0.40, abs=0.02)
    assert shares["labour"] == pytest.approx(0.05, abs=0.01)


def test_dirt_counts_are_exact(small):
    out, summary = small
    audit = _audit(out, summary)
    assert audit["dirt"] == summary["dirt"]
    assert audit["malformed_by_kind"] == summary["malformed_by_kind"]
    total_dirt = sum(summary["dirt"].values())
    assert total_dirt == pytest.approx(0.01 * summary["total_rows"], rel=0.05)
    assert all(v > 0 for v in summary["dirt"].values()), summary["dirt"]
    assert all(v > 0 for v in summary["malformed_by_kind"].values())
    # roughly even spread: no kind more than 3x another
    assert max(summary["dirt"].values()) <= 3 * min(summary["dirt"].values())


def test_tags(small):
    out, summary = small
    audit = _audit(out, summary)
    assert audit["untagged"] == summary["untagged_cloud_rows"]
    assert audit["unmapped"] == summary["unmapped_cloud_rows"] > 0
    cloud = summary["rows_by_feed"]["cloud"]
    assert summary["untagged_cloud_rows"] / cloud == pytest.approx(0.15, abs=0.01)
    assert summary["unmapped_cloud_rows"] / summary["untagged_cloud_rows"] == pytest.approx(
        0.05, abs=0.01
    )
    # tagged rows name a department of a cost center of the sub-account's customer
    cust_of_account = {
        r["sub_account_id"]: COST_CENTERS[r["owner_cost_center_id"]]["customer_id"]
        for r in _seed("cloud_accounts.csv")
    }
    depts = {}
    for cc in COST_CENTERS.values():
        depts.setdefault(cc["customer_id"], set()).add(cc["department_tag"])
    checked = 0
    for f in summary["files"]:
        if f["feed"] != "cloud":
            continue
        with (out / f["path"]).open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["Tags"] and None not in row and row.get("Tags") is not None:
                    tags = json.loads(row["Tags"])
                    if "department" in tags:
                        cust = cust_of_account[row["SubAccountId"]]
                        assert tags["department"] in depts[cust]
                        assert set(tags) == {"department", "project", "application"}
                        checked += 1
    assert checked > 10_000


def test_cloud_values(small):
    out, summary = small
    categories = Counter()
    for f in summary["files"]:
        if f["feed"] != "cloud":
            continue
        provider = "AWS" if "/aws/" in f["path"] else "Microsoft"
        with (out / f["path"]).open(newline="", encoding="utf-8") as fh:
            for rec in csv.reader(fh):
                if len(rec) != len(FOCUS_COLUMNS) or rec[0] == "BilledCost":
                    continue
                row = dict(zip(FOCUS_COLUMNS, rec, strict=True))
                billed = _num(row["BilledCost"])
                if billed is None or row["ProviderName"] != provider or billed > 100_000:
                    continue  # dirty rows
                categories[row["ChargeCategory"]] += 1
                assert row["BillingCurrency"] == "USD" and row["ChargeClass"] == ""
                assert row["BillingPeriodStart"].endswith("-01 00:00:00")
                assert _num(row["ListCost"]) >= billed
                assert row["EffectiveCost"] == row["ContractedCost"] == row["BilledCost"]
                if row["ChargeCategory"] == "Usage":
                    assert billed >= 0
                    q, p = Decimal(row["PricingQuantity"]), Decimal(row["ContractedUnitPrice"])
                    assert billed == (q * p).quantize(Decimal("1e-10"))
                    assert row["ServiceCategory"] in {
                        "Compute",
                        "Storage",
                        "Databases",
                        "Networking",
                    }
                else:
                    assert row["ChargeCategory"] in {"Credit", "Adjustment"}
                    assert row["PricingQuantity"] == "" and row["ConsumedQuantity"] == ""
                    if row["ChargeCategory"] == "Credit":
                        assert billed < 0
    total = sum(categories.values())
    assert categories["Credit"] / total == pytest.approx(0.005, abs=0.002)
    assert categories["Adjustment"] > 0


def test_labour_and_ru_values(small):
    out, summary = small
    ru_ids, act_ids = Counter(), Counter()
    nights = weekends = labour = 0
    for f in summary["files"]:
        with (out / f["path"]).open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            for row in reader:
                if f["feed"] == "ru":
                    ru_ids[row["record_id"]] += 1
                elif f["feed"] == "labour" and None not in row and row["hours"] is not None:
                    act_ids[row["activity_id"]] += 1
                    if not _valid_date(row["activity_date"]):
                        continue
                    labour += 1
                    nights += row["shift"] == "night"
                    y, m, d = map(int, row["activity_date"].split("-"))
                    weekends += calendar.weekday(y, m, d) >= 5
                    assert re.fullmatch(r"INC\d{7}", row["ticket_id"])
                    assert row["site"] in {"Austin HQ", "Site A", "Site B", "Remote"}
                    h = _num(row["hours"])
                    if h is not None and 0 < h <= 12:
                        assert h * 4 == int(h * 4) and h <= 8
    # record ids repeat only for exact duplicates
    assert sum(n - 1 for n in ru_ids.values()) <= summary["dirt"]["duplicate"]
    assert nights / labour == pytest.approx(0.15, abs=0.03)
    assert weekends > 0


def test_same_seed_is_byte_identical_and_other_seed_differs(tmp_path):
    out_a, sa = _run(tmp_path, "a", rows=20_000, months=3)
    out_b, sb = _run(tmp_path, "b", rows=20_000, months=3)
    assert _tree(out_a) == _tree(out_b)
    assert sa == sb
    out_c, _ = _run(tmp_path, "c", rows=20_000, months=3, seed=43)
    tree_c = _tree(out_c)
    assert tree_c.keys() == _tree(out_a).keys()
    data = [k for k in tree_c if k.endswith(".csv")]
    assert all(tree_c[k] != _tree(out_a)[k] for k in data)


def test_rerun_replaces_previous_output(tmp_path):
    out, _ = _run(tmp_path, rows=5_000, months=4)
    keep = out / "notes.txt"
    keep.write_text("mine")
    _, summary = _run(tmp_path, rows=5_000, months=2)
    csvs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.csv"))
    assert csvs == sorted(f["path"] for f in summary["files"])
    assert keep.read_text() == "mine"


def test_zero_dirt_is_clean(tmp_path):
    out, summary = _run(tmp_path, rows=30_000, months=3, dirt_rate=0.0)
    assert sum(summary["dirt"].values()) == 0
    assert sum(summary["malformed_by_kind"].values()) == 0
    audit = _audit(out, summary)
    assert sum(audit["dirt"].values()) == 0
    for f in summary["files"]:
        with (out / f["path"]).open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            for rec in reader:
                assert len(rec) == len(header)
                row = dict(zip(header, rec, strict=True))
                if f["feed"] == "ru":
                    assert row["sku_id"] in CATALOG and CATALOG[row["sku_id"]]["feed"] == "ru"
                    assert row["cost_center_id"] in COST_CENTERS
                    q = Decimal(row["quantity"])
                    assert 0 <= q <= Decimal(CATALOG[row["sku_id"]]["max_quantity_per_row"])
                    assert row["usage_date"][:7] in f["path"]
                elif f["feed"] == "labour":
                    assert "LAB-" + row["activity_code"] in CATALOG
                    assert row["cost_center_id"] in COST_CENTERS
                    assert Decimal("0.25") <= Decimal(row["hours"]) <= 8
                else:
                    assert row["ProviderName"] in {"AWS", "Microsoft"}
                    assert row["ChargePeriodStart"][:7] in f["path"]


def test_clean_lines_are_canonical_csv(small):
    """Re-writing a parsed line with csv.writer (QUOTE_MINIMAL, \\n) reproduces it."""
    out, summary = small
    for f in summary["files"][:8]:
        lines = (out / f["path"]).read_text(encoding="utf-8").split("\n")[:-1]
        for line in lines:
            buf = _CsvLine()
            csv.writer(buf, lineterminator="\n").writerow(next(csv.reader([line])))
            assert buf.text == line + "\n"


class _CsvLine:
    text = ""

    def write(self, s: str) -> None:
        self.text += s


def test_chunking_and_parts(tmp_path):
    out, summary = _run(
        tmp_path, rows=12_000, months=2, dirt_rate=0.05, chunk_rows=500, max_rows_per_file=1_000
    )
    assert summary["limits"]["max_lines_in_memory"] <= 500
    parts = [f for f in summary["files"] if "_part" in f["path"]]
    assert parts and all(f["rows"] <= 1_000 for f in summary["files"])
    assert any(f["path"].endswith("ru_usage_2026-10_part01.csv") for f in parts)
    assert not any(f["path"].endswith("ru_usage_2026-10.csv") for f in summary["files"])
    audit = _audit(out, summary)
    assert audit["dirt"] == summary["dirt"]
    assert audit["malformed_by_kind"] == summary["malformed_by_kind"]
    assert audit["untagged"] == summary["untagged_cloud_rows"]
    for f in summary["files"]:
        path = out / f["path"]
        assert path.with_name(path.name + ".sha256").read_text().split()[0] == _sha(path)
    assert CHUNK_ROWS <= 200_000


@pytest.mark.parametrize("rows", [1, 7, 100])
def test_tiny_row_counts(tmp_path, rows):
    out, summary = _run(tmp_path, rows=rows, months=3, customers=2, dirt_rate=0.5)
    assert len(summary["files"]) == 12
    assert all(f["rows"] >= 1 for f in summary["files"])
    audit = _audit(out, summary)
    assert audit["dirt"] == summary["dirt"]
    assert summary["total_rows"] <= max(rows, 12) + 1


def test_customers_subset(tmp_path):
    out, summary = _run(tmp_path, rows=5_000, months=2, customers=3)
    allowed = {cc for cc, r in COST_CENTERS.items() if r["customer_id"] in {"C01", "C02", "C03"}}
    assert summary["customers"] == ["C01", "C02", "C03"]
    for f in summary["files"]:
        if f["feed"] == "cloud":
            continue
        with (out / f["path"]).open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            for rec in reader:
                if len(rec) == len(header):  # malformed lines are checked by _audit
                    cc = rec[header.index("cost_center_id")]
                    assert cc in allowed or cc == UNKNOWN_COST_CENTER
    seen_accounts = set()
    for f in summary["files"]:
        if f["feed"] == "cloud":
            with (out / f["path"]).open(newline="", encoding="utf-8") as fh:
                for rec in csv.reader(fh):
                    if len(rec) == len(FOCUS_COLUMNS):
                        seen_accounts.add(rec[FOCUS_COLUMNS.index("SubAccountName")])
    seen_accounts.discard("SubAccountName")
    assert {a.split()[0] for a in seen_accounts if a} <= {"DPS", "HHSC", "DOT", "Shared"}


def test_focus_sample_copied(tmp_path):
    sample = tmp_path / "sample.csv"
    sample.write_bytes(b'"A","B"\n1,"two\nlines"\n3,4\n')
    if SHARED_SAMPLE.is_file():
        sample = SHARED_SAMPLE
    out, summary = _run(tmp_path, rows=2_000, months=1, focus_sample=sample)
    dest = out / "focus" / "sample" / "focus_sample.csv"
    assert dest.read_bytes() == sample.read_bytes()
    assert not dest.with_name("focus_sample.csv.sha256").exists()
    entry = next(f for f in summary["files"] if f["path"] == "focus/sample/focus_sample.csv")
    with sample.open(newline="", encoding="utf-8") as fh:
        assert entry["rows"] == sum(1 for _ in csv.reader(fh)) - 1
    assert entry["feed"] == "cloud"
    assert summary["focus_sample_rows"] == entry["rows"]


def test_focus_sample_already_in_place(tmp_path):
    """--focus-sample pointing at the copy inside --out must survive a re-run."""
    sample = tmp_path / "sample.csv"
    sample.write_bytes(b"A,B\n1,2\n")
    out, _ = _run(tmp_path, rows=1_000, months=1, focus_sample=sample)
    in_place = out / "focus" / "sample" / "focus_sample.csv"
    _, summary = _run(tmp_path, rows=1_000, months=1, focus_sample=in_place)
    assert in_place.read_bytes() == b"A,B\n1,2\n" and summary["focus_sample_rows"] == 1
    _, summary = _run(tmp_path, rows=1_000, months=1)
    assert not in_place.exists() and summary["focus_sample_rows"] == 0


# --------------------------------------------------------------------------------------
# CLI


def test_cli_writes_summary(tmp_path, capsys):
    out = tmp_path / "cli"
    rc = main(["--out", str(out), "--rows", "3000", "--months", "2", "--seed", "5"])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "3,000 rows" in printed or "rows" in printed
    summary = json.loads((out / "_meta" / "generation.json").read_text())
    assert summary["args"]["seed"] == 5 and summary["total_rows"] == 3000


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--customers", "22"], "--customers"),
        (["--customers", "0"], "--customers"),
        (["--months", "0"], "--months"),
        (["--rows", "0"], "--rows"),
        (["--dirt-rate", "0.6"], "--dirt-rate"),
        (["--dirt-rate", "-0.1"], "--dirt-rate"),
        (["--untagged-rate", "1.5"], "--untagged-rate"),
        (["--end-month", "2026-13"], "--end-month"),
        (["--end-month", "Oct 2026"], "--end-month"),
        (["--rows", "many"], "--rows"),
        (["--seed", "-1"], "--seed"),
        (["--focus-sample", "/nonexistent/sample.csv"], "--focus-sample"),
    ],
)
def test_cli_bad_arguments(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        main(["--out", str(tmp_path / "x"), *argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_cli_out_is_a_file(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(SystemExit) as exc:
        main(["--out", str(target)])
    assert exc.value.code == 2
    assert "not a directory" in capsys.readouterr().err


def test_python_dash_m(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "chargeback.demo_data", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0
    for word in ("--dirt-rate", "--untagged-rate", "late_arriving", "malformed", "sha256"):
        assert word in res.stdout
    res = subprocess.run(
        [sys.executable, "-m", "chargeback.demo_data", "--out", str(tmp_path), "--months", "-3"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 2 and "Traceback" not in res.stderr and "--months" in res.stderr
