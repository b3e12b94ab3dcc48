"""How long the erasure scrub holds a PostgreSQL table: VACUUM FULL of an audit-like table by size.

    .venv/bin/python bench/scrub.py --url postgres://postgres@127.0.0.1:5432/postgres --rows 100000 1000000

Creates a throwaway database, fills a table shaped like privacy_auditevent (about 400 bytes a row, two
indexes), deletes 1 % of it as an erasure would, and times `VACUUM (FULL, ANALYZE)`: the time the table's
lock is held, during which requests writing to it wait. Prints a table and writes bench/results/scrub.json.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from pathlib import Path

import psycopg

RESULTS = Path(__file__).resolve().parent / "results" / "scrub.json"


def measure(url: str, rows: int) -> dict[str, float | int]:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_scrub")
        connection.execute(
            "CREATE TABLE bench_scrub (id bigserial PRIMARY KEY, subject_id bigint, created_at timestamptz,"
            " event text, data jsonb)"
        )
        started = time.monotonic()
        connection.execute(
            "INSERT INTO bench_scrub (subject_id, created_at, event, data)"
            " SELECT g %% 5000, now(), 'material.viewed',"
            " jsonb_build_object('target', md5(g::text), 'ip', '203.0.113.7', 'agent', repeat('x', 250))"
            " FROM generate_series(1, %s) g",
            [rows],
        )
        connection.execute("CREATE INDEX ON bench_scrub (subject_id, created_at)")
        filled = time.monotonic() - started
        connection.execute("DELETE FROM bench_scrub WHERE subject_id < 50")
        size = connection.execute("SELECT pg_total_relation_size('bench_scrub')").fetchone()
        started = time.monotonic()
        connection.execute("VACUUM (FULL, ANALYZE) bench_scrub")
        held = time.monotonic() - started
        connection.execute("DROP TABLE bench_scrub")
    return {
        "rows": rows,
        "mb": round((size[0] if size else 0) / 2**20, 1),
        "fill_s": round(filled, 2),
        "vacuum_full_s": round(held, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    name = f"bench_scrub_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = args.url.rsplit("/", 1)[0] + "/" + name
        results = [measure(url, rows) for rows in args.rows]
    finally:
        with psycopg.connect(args.url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"{'rows':>10} {'MB':>8} {'VACUUM FULL s':>14}")
    for r in results:
        print(f"{r['rows']:>10} {r['mb']:>8} {r['vacuum_full_s']:>14}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"benchmark": "scrub", "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
