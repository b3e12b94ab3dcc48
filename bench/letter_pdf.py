"""Letter PDF benchmark: how long `render_letter_pdf` takes for a one-page letter, and how big the PDF is.

`.venv/bin/python bench/letter_pdf.py` renders a one-page letter (the offline drafter's letter for the
first sample case, about 200 words) --runs times (30) in each of the five languages, after one unmeasured
warm-up render per language, each run with another date (Typst memoises: an identical input would only
measure its cache), and prints p50, p95 and the maximum in milliseconds and the PDF's
size in kilobytes. The first render of a process is reported separately: it loads the fonts, which later
renders reuse. Results go to bench/results/letter_pdf.json (`--name` changes the file name).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
# Run as a script, this file's folder comes first on sys.path; the repository takes its place.
if sys.path and Path(sys.path[0] or ".").resolve() == BENCH_DIR:
    sys.path[0] = str(REPO_DIR)
elif str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

SALUTATIONS = {
    "en": "Dear hiring team at Krone Pay,",
    "nl": "Beste team van Krone Pay,",
    "nb": "Til ansettelsesteamet i Krone Pay,",
    "de": "Liebes Team von Krone Pay,",
    "el": "Αγαπητή ομάδα της Krone Pay,",
}


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=30, help="measured renders per language (30)")
    parser.add_argument("--name", default="letter_pdf", help="results file name (letter_pdf)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omoikane.settings")
    import django

    django.setup()
    from pypdf import PdfReader

    from applications.letters.document import LetterDocument
    from applications.letters.pdf import render_letter_pdf
    from coach.providers.offline import write_letter
    from coach.tests.offline_groundings import grounding

    body = write_letter(grounding(0))
    words = len(body.split())
    results: dict[str, object] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "runs": args.runs,
        "body_words": words,
        "languages": {},
    }
    first = True
    for language, salutation in SALUTATIONS.items():
        letter = LetterDocument(
            sender_name="Ingrid Solberg",
            sender_lines=("Trondheim, Norway", "ingrid.solberg@example.org · +47 400 00 000"),
            recipient_lines=("Krone Pay", "Hiring team", "Oslo, Norway"),
            place_and_date="Trondheim, 3 December 2026",
            subject="Application: Senior Python Engineer — Payments Platform",
            body=body.replace("Dear hiring team at Krone Pay,", salutation, 1),
            language=language,
        )
        start = time.perf_counter()
        pdf = render_letter_pdf(letter)
        warmup_ms = (time.perf_counter() - start) * 1000
        if first:
            results["first_render_ms"] = round(warmup_ms, 1)
            first = False
        timings = []
        for run in range(args.runs):
            # A different date each time: Typst memoises, and the same input twice would measure its cache.
            dated = dataclasses.replace(letter, place_and_date=f"Trondheim, {run + 1} December 2026")
            start = time.perf_counter()
            pdf = render_letter_pdf(dated)
            timings.append((time.perf_counter() - start) * 1000)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        row = {
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(percentile(timings, 0.95), 2),
            "max_ms": round(max(timings), 2),
            "size_kb": round(len(pdf) / 1024, 1),
            "pages": pages,
        }
        results["languages"][language] = row  # type: ignore[index]
        print(
            f"{language}: p50 {row['p50_ms']:6.2f} ms  p95 {row['p95_ms']:6.2f} ms"
            f"  max {row['max_ms']:6.2f} ms  size {row['size_kb']:5.1f} KB  pages {pages}"
        )
    print(f"first render in the process: {results['first_render_ms']} ms; body {words} words")
    out = BENCH_DIR / "results" / f"{args.name}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to bench/results/{out.name}")


if __name__ == "__main__":
    main()
