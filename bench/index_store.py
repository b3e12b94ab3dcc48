"""Where a warm index could live: the cost of writing and reading its bytes in a file, a SQLite blob and a
PostgreSQL bytea (bench/README.md, "The warm index").

`.venv/bin/python bench/index_store.py` (PostgreSQL too when BENCH_DATABASE_URL names a database; a
table of its own is made there and dropped). The bytes are those of a 5,000-chunk index in the layout
coach/warm_index.py writes (vectors, n-gram counts, vocabulary, texts), made up here: only their size and
shape matter. Writes bench/results/index_store.json.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "index_store.json"
CHUNKS = 5000
# n-gram entries and distinct n-grams of bench/materials.py's 5,000 generated chunks, rounded up.
ENTRIES = 600_000
GRAMS = 120_000
RUNS = 5


def index_bytes() -> bytes:
    rng = np.random.default_rng(1)
    rows = [[i, i, "bullet", "Experience", "x" * 160] for i in range(CHUNKS)]
    arrays = {
        "meta": np.frombuffer(json.dumps(rows).encode(), dtype=np.uint8),
        "vectors": rng.standard_normal((CHUNKS, 384)).astype(np.float32),
        "offsets": np.linspace(0, ENTRIES, CHUNKS + 1).astype(np.int64),
        "ids": rng.integers(0, GRAMS, ENTRIES).astype(np.int32),
        "tf": rng.random(ENTRIES),
        "grams": np.frombuffer("\n".join(f" g{i} " for i in range(GRAMS)).encode(), dtype=np.uint8),
    }
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def median_ms(step: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def parse(data: bytes) -> None:
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        for name in arrays.files:
            arrays[name]


def main() -> int:
    blob = index_bytes()
    results: dict[str, Any] = {"bytes": len(blob), "runs": RUNS, "load_average_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "1.npz"

        def write_file() -> None:
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(blob)
            temporary.replace(path)

        results["file_write_ms"] = median_ms(write_file)
        results["file_read_ms"] = median_ms(lambda: parse(path.read_bytes()))
        connection = sqlite3.connect(Path(folder) / "cache.sqlite3")
        connection.execute("create table cache (key text primary key, value blob)")

        def write_sqlite() -> None:
            connection.execute("insert or replace into cache values ('user:1', ?)", (blob,))
            connection.commit()

        results["sqlite_write_ms"] = median_ms(write_sqlite)
        results["sqlite_read_ms"] = median_ms(
            lambda: parse(connection.execute("select value from cache where key = 'user:1'").fetchone()[0])
        )
        connection.close()
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as pg:
            pg.execute("create table bench_index_store (key text primary key, value bytea)")
            try:
                results["postgresql_write_ms"] = median_ms(
                    lambda: pg.execute(
                        "insert into bench_index_store values ('user:1', %s) "
                        "on conflict (key) do update set value = excluded.value",
                        (blob,),
                    )
                )

                def read_postgresql() -> None:
                    row = pg.execute("select value from bench_index_store where key = 'user:1'").fetchone()
                    assert row is not None  # written just above
                    parse(row[0])

                results["postgresql_read_ms"] = median_ms(read_postgresql)
            finally:
                pg.execute("drop table bench_index_store")
    results["load_average_after"] = os.getloadavg()[0]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    json.dump(results, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
