"""Drafting benchmark: our own overhead per letter, without the model's time.

`.venv/bin/python bench/drafting.py` (`--help` for the options), on one thread. A user with realistic
materials (the demo candidate's CV and a letter sample from ops/demo_data) drafts letters for three
postings (English, Norwegian, German) with a provider that answers at once with her other 200-word letter, so
what is timed is ours: loading the user's index, building the prompt (fit-score evidence, the closest
letter samples), the output and unsupported-claim checks (one embedding call for the letter's
sentences), and writing the generation, the version and the audit rows. p50/p95 per phase and for the
whole run_generation(), written to bench/results/drafting.json. Like bench/run.py, the run never
touches var/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
SAMPLES = REPO_DIR / "ops" / "demo_data"
MATERIALS = ["cv_backend_en.md", "letter_sample_2_en.md"]
# The "model" answers with a letter of the candidate that is not among the bench user's materials, so
# the checks meet sentences they must look up as they would in a fresh draft.
ANSWER = "letter_sample_1_en.md"
POSTINGS = ["p01_backend_fintech_en.txt", "p05_backend_nb.txt", "p06_platform_de.html"]

if sys.path and Path(sys.path[0] or ".").resolve() == BENCH_DIR:
    sys.path[0] = str(REPO_DIR)
elif str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="drafts per posting (30)")
    parser.add_argument("--name", default="drafting", help="results file name (drafting)")
    return parser.parse_args(argv)


class InstantProvider:
    """Answers at once with the demo candidate's own letter, in 20 pieces (as a stream would)."""

    key = "instant"
    model = "instant-1"

    def __init__(self, text: str) -> None:
        self.text = text

    def complete(self, prompt: Any, *, on_text: Any = None, cancelled: Any = None) -> Any:
        from coach.providers.base import Completion

        words = self.text.split(" ")
        step = max(1, len(words) // 20)
        for start in range(0, len(words), step):
            if cancelled is not None:
                cancelled()
            if on_text is not None:
                on_text(" ".join(words[start : start + step]) + " ")
        return Completion(text=self.text, provider=self.key, model=self.model)


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "runs": len(ordered),
    }


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def measure(runs: int) -> dict[str, Any]:
    from django.db import transaction

    from accounts.models import User
    from applications.actions import do_add_application
    from applications.drafting.actions import do_request_draft
    from applications.drafting.generate import check_text, run_generation
    from applications.intake import posting_from_page, posting_from_text
    from coach.evaluation import material_kind
    from coach.prompts import build_prompt
    from coach.providers.base import DraftInstructions
    from coach.retrieval import UserIndex
    from materials.actions import do_add_material
    from materials.search import do_embed_material
    from privacy_kernel.audit import Actor

    actor = Actor.system("bench")
    user = User.objects.create_user("bench-drafting@omoikane.invalid", None, name="Ingrid Solberg")
    for name in MATERIALS:
        path = SAMPLES / "materials" / name
        do_embed_material(
            do_add_material(
                user,
                kind=material_kind(path),
                title=path.stem,
                actor=actor,
                data=path.read_bytes(),
                file_name=name,
            )
        )
    letter = (SAMPLES / "materials" / ANSWER).read_text(encoding="utf-8")
    provider = InstantProvider(letter)
    phases: dict[str, list[float]] = {
        "index_load": [],
        "prompt": [],
        "checks": [],
        "checks_sentences_kept": [],
        "run_generation": [],
    }
    per_posting: dict[str, Any] = {}
    for name in POSTINGS:
        raw = (SAMPLES / "postings" / name).read_text(encoding="utf-8")
        posting = (
            posting_from_page(raw, f"https://example.invalid/{name}")
            if name.endswith(".html")
            else posting_from_text(raw)
        )
        application = do_add_application(user, posting, actor=actor)
        instructions = DraftInstructions(language=application.language or "en")
        totals: list[float] = []
        prompt_chars = 0
        for _ in range(runs):
            seconds, index = timed(lambda: UserIndex.load(user))
            phases["index_load"].append(seconds)
            seconds, prompt = timed(partial(build_prompt, application, user, instructions, index=index))
            phases["prompt"].append(seconds)
            prompt_chars = len(prompt.system) + len(prompt.stable) + len(prompt.task)
            # The provider answers with the same letter every time; a real draft's sentences are new to the
            # index, so the vectors it keeps are dropped first (then again with them kept, for comparison).
            index.embedded.clear()
            seconds, _checks = timed(
                partial(check_text, letter, application, language=instructions.language, index=index)
            )
            phases["checks"].append(seconds)
            seconds, _checks = timed(
                partial(check_text, letter, application, language=instructions.language, index=index)
            )
            phases["checks_sentences_kept"].append(seconds)
            index.embedded.clear()
            with transaction.atomic():
                generation = do_request_draft(application, instructions, actor=actor)
            # The whole worker run: index, prompt, (instant) model, checks, version and audit rows.
            seconds, version = timed(partial(run_generation, generation, provider=provider))
            assert version is not None
            totals.append(seconds)
            phases["run_generation"].append(seconds)
        per_posting[name] = {
            "language": application.language,
            "prompt_chars": prompt_chars,
            "run_generation": percentiles(totals),
        }
    return {"phases": {name: percentiles(values) for name, values in phases.items()}, "postings": per_posting}


def metadata(seconds: float) -> dict[str, Any]:
    import django
    from django.db import connection

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": connection.vendor,
        "cpu_count": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "seconds": round(seconds, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.update({"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    # Every draft of the run counts against the daily limit of the one bench user.
    os.environ["DRAFTS_PER_DAY"] = str(10 * args.runs * len(POSTINGS))
    from bench.run import configure_environment, scratch_database

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="omoikane-bench-drafting-") as temporary:
        workdir = Path(temporary)
        configure_environment(workdir)
        import django

        django.setup()
        with scratch_database(workdir):
            results = measure(args.runs)
            results["metadata"] = metadata(time.perf_counter() - started)
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{args.name}.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, figures in results["phases"].items():
        print(f"{name:15} p50 {figures['p50_ms']:8} ms   p95 {figures['p95_ms']:8} ms")
    print(f"Written to {path.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
