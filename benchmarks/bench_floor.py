"""The floor: what bare DuckDB needs for the core of the work, on the same files.

Not a test, and not the product: a yardstick for `make bench` (issue 14). One DuckDB
connection, no dbt, no lineage, no quarantine reasons, no tests. It does what the
warehouse's usage path does at its core:
1. reads the three usage feeds with DuckDB's CSV reader, every value as text, with the file
   name and the malformed lines kept (`store_rejects`); FOCUS files per provider folder
   (a folder's files share one header);
2. drops repeated records by content hash, per feed;
3. assigns each record its cost center (RU and labour carry it; a cloud row goes to the
   cost center of its `department` tag, else to the owner of its sub-account) and so its
   customer;
4. joins the rate card in force on the charge date, and
5. aggregates invoice lines per customer, month and SKU.

Usage: .venv/bin/python benchmarks/bench_floor.py --landing DIR [--threads 2]
Prints the seconds it took and the number of invoice lines and usage rows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def read(con: duckdb.DuckDBPyConnection, table: str, pattern: str) -> None:
    con.execute(
        f"create or replace table {table} as select * from read_csv(?, all_varchar = true, "
        "header = true, filename = true, store_rejects = true)",
        [pattern],
    )


def floor(landing: Path, threads: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="chargeback-floor-"))
    con = duckdb.connect(str(work / "floor.duckdb"))
    con.execute(f"set threads = {threads}")
    started = time.perf_counter()
    read(con, "ru", str(landing / "ru" / "**" / "*.csv"))
    read(con, "labour", str(landing / "labour" / "**" / "*.csv"))
    clouds = []
    for i, folder in enumerate(sorted(p for p in (landing / "focus").iterdir() if p.is_dir())):
        read(con, f"cloud_{i}", str(folder / "**" / "*.csv"))
        clouds.append(
            f"select 'cloud' as feed, 'CLOUD-' || upper(ProviderName) as sku_id, "
            f"null as cost_center_id, SubAccountId as sub_account_id, "
            f"json_extract_string(Tags, '$.department') as department, "
            f"try_cast(replace(replace(ChargePeriodStart, 'T', ' '), 'Z', '') as timestamp) "
            f"as charge_at, try_cast(BilledCost as decimal(38, 12)) as quantity, "
            f"md5(concat_ws('|', *columns(* exclude (filename)))) as row_hash from cloud_{i}"
        )
    for seed in ("rate_cards", "cost_centers", "cloud_accounts"):
        con.execute(
            f"create table {seed} as select * from read_csv(?, header = true)",
            [str(SEEDS / f"{seed}.csv")],
        )
    con.execute(f"""
        create table events as
        select 'ru' as feed, upper(sku_id) as sku_id, cost_center_id, null as sub_account_id,
            null as department, try_cast(usage_date as timestamp) as charge_at,
            try_cast(quantity as decimal(38, 12)) as quantity,
            md5(concat_ws('|', record_id, usage_date, cost_center_id, sku_id, asset_id,
                quantity, unit)) as row_hash
        from ru
        union all
        select 'labour', 'LAB-' || upper(activity_code), cost_center_id, null, null,
            try_cast(activity_date as timestamp), try_cast(hours as decimal(38, 12)),
            md5(concat_ws('|', ticket_id, activity_id, technician_id, activity_date,
                activity_code, site, shift, hours, cost_center_id))
        from labour
        {"".join(" union all " + c for c in clouds)}
    """)
    lines = con.execute("""
        with first_seen as (
            select * from events
            where quantity is not null and charge_at is not null
            qualify row_number() over (partition by feed, row_hash order by charge_at) = 1
        ),
        assigned as (
            select first_seen.*,
                coalesce(first_seen.cost_center_id, tagged.cost_center_id,
                    owned.owner_cost_center_id) as payer
            from first_seen
            left join cost_centers as tagged on first_seen.department = tagged.department_tag
            left join cloud_accounts as owned
                on first_seen.sub_account_id = owned.sub_account_id
        ),
        rated as (
            select assigned.*, cost_centers.customer_id, rate_cards.unit_price,
                assigned.quantity * rate_cards.unit_price as amount
            from assigned
            join cost_centers on assigned.payer = cost_centers.cost_center_id
            join rate_cards on assigned.sku_id = rate_cards.sku_id
                and cast(assigned.charge_at as date) between rate_cards.effective_from
                and coalesce(rate_cards.effective_to, date '9999-12-31')
        )
        select customer_id, date_trunc('month', charge_at) as month, sku_id,
            round(sum(amount), 2) as line_amount, count(*) as events
        from rated group by all
    """).fetchall()
    seconds = time.perf_counter() - started
    rows = con.execute("select count(*) from events").fetchall()[0][0]
    con.close()
    for path in work.iterdir():
        path.unlink()
    work.rmdir()
    return {"seconds": seconds, "invoice_lines": len(lines), "usage_rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    result = floor(args.landing, args.threads)
    print(f"floor {result['seconds']:.1f} s: {result['usage_rows']:,} usage rows, "
          f"{result['invoice_lines']:,} invoice lines")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
