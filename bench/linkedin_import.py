"""How long reading a LinkedIn export takes, and how the zip limits answer a bomb with LinkedIn's names.

`.venv/bin/python bench/linkedin_import.py` prints the numbers and writes bench/results/linkedin_import.json.
Only the reading (zip checks, CSV parsing, Markdown) is timed: chunking and embedding are the same as for
any CV and are measured in bench/embeddings.py.
"""

from __future__ import annotations

import io
import json
import os
import platform
import random
import statistics
import string
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omoikane.settings")

import django  # noqa: E402  # Django must know its settings before the importer's modules load

django.setup()

from materials.linkedin import read_export  # noqa: E402
from materials.tests.linkedin.exports import UNRELATED, csv_file, export_zip, positions, profile  # noqa: E402
from omoikane.errors import Refused  # noqa: E402


def timed(data: bytes, runs: int = 20) -> tuple[float, str]:
    times: list[float] = []
    outcome = ""
    for _ in range(runs):
        start = time.perf_counter()
        try:
            export = read_export(data)
            outcome = f"{len(export.fields)} fields"
        except Refused as refusal:
            outcome = f"refused: {refusal.code}"
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, outcome


def main() -> None:
    rows = [
        (f"Company {n}", f"Engineer {n}", "Shipped a release.\n" * 5, "Jan 2010", "Dec 2011")
        for n in range(25)
    ]
    # A big export: 25 positions, 300 skills, and a 20 MB messages file that must never be inflated.
    # Random words compress about as well as real messages do, so the ratio check lets this file through.
    rng = random.Random(1)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(5000)]
    big_messages = csv_file(
        ["FROM", "TO", "CONTENT"],
        [["Bob", "Alice", " ".join(rng.choices(words, k=50))] for _ in range(60_000)],
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Profile.csv", profile())
        archive.writestr("Positions.csv", b"Company Name,Title\n" + b"a" * (50 * 1024**2))
    cases = {
        "25 positions": export_zip({"Profile.csv": profile(), "Positions.csv": positions(rows)}),
        "25 positions + 300 skills + 20 MB messages": export_zip(
            {
                "Profile.csv": profile(),
                "Positions.csv": positions(rows),
                "Skills.csv": csv_file(["Name"], [[f"Skill {n}"] for n in range(300)]),
                **UNRELATED,
                "messages.csv": big_messages,
            }
        ),
        "zip bomb named Positions.csv (50 MB of 'a')": bomb.getvalue(),
    }
    results = []
    for name, data in cases.items():
        median_ms, outcome = timed(data)
        results.append(
            {"case": name, "zip_bytes": len(data), "median_ms": round(median_ms, 2), "outcome": outcome}
        )
        print(f"{name:48} {len(data) / 1024:9.0f} KiB  {median_ms:8.2f} ms  {outcome}")
    out = BENCH_DIR / "results" / "linkedin_import.json"
    out.parent.mkdir(exist_ok=True)
    metadata = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "python": platform.python_version()}
    out.write_text(json.dumps({"metadata": metadata, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
