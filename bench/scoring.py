"""Fit-scoring benchmark: calibration of the thresholds, quality on labelled folders, and speed.

`.venv/bin/python bench/scoring.py` (`--help` for the options), on one thread:

1. `--calibrate`: fits coach/scoring.py's thresholds on a labelled folder (default: the calibration set in
   coach/tests/scoring_data/calibration, never the shared samples nor a holdout set). For every labelled
   requirement that is not a language requirement it takes the best chunk's score among the chunks in the
   posting's language and among the others, fits P(covered | score) with a logistic curve, and reads the
   thresholds off it: partial from P = 1/3, covered from P = 2/3. The cross-language shift is the value
   (on a grid) under which that curve fits best, by likelihood.
2. quality: `manage.py evaluate_scoring` on the shared samples and on every holdout folder.
3. speed: scoring one posting for a user with 300 and with 5,000 chunks (p50/p95, index load included,
   as a page would), and batch throughput with one loaded index (as rescoring after a material change
   does). Chunks are bench/materials.py's generated ones: 300 distinct texts embedded for real, the other
   chunks reuse their vectors with other names and numbers, so the lexical index sees 5,000 texts.

Results go to bench/results/scoring.json (and scoring-calibration.json); bench/README.md, "Fit scoring",
says what they mean. Like bench/run.py, the run never touches var/.
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.models import User

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
SCORING_DATA = REPO_DIR / "coach" / "tests" / "scoring_data"
SAMPLES = REPO_DIR / "ops" / "demo_data"

if sys.path and Path(sys.path[0] or ".").resolve() == BENCH_DIR:
    sys.path[0] = str(REPO_DIR)
elif str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

THREAD_VARIABLES = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# The cross-language shifts tried, and the probabilities the two thresholds stand for.
SHIFTS = tuple(round(step * 0.0025, 4) for step in range(25))
PARTIAL_PROBABILITY = 1 / 3
COVERED_PROBABILITY = 2 / 3


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calibrate", action="store_true", help="fit the thresholds and stop")
    parser.add_argument("--calibration", type=Path, default=SCORING_DATA / "calibration")
    parser.add_argument("--runs", type=int, default=40, help="single-posting scorings per user size (40)")
    parser.add_argument("--batch", type=int, default=3, help="passes over all postings for throughput (3)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 5000], help="chunks per user")
    parser.add_argument("--distinct", type=int, default=300, help="distinct texts embedded for real (300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-quality", action="store_true", help="skip evaluate_scoring on the folders")
    parser.add_argument("--name", default="scoring", help="results file name (scoring)")
    return parser.parse_args(argv)


# --- 1. Calibration -----------------------------------------------------------------------------------


def calibration_pairs(folder: Path) -> list[dict[str, Any]]:
    """For each labelled non-language requirement: the best same- and other-language chunk score."""
    # inside: these need Django, which main() sets up first
    from applications.management.commands.evaluate_scoring import MATCH_AT, read_posting_file
    from coach.evaluation import load_cases, throwaway_candidate
    from coach.language_levels import language_requirement
    from coach.requirements import extract_requirements, fold
    from coach.retrieval import UserIndex
    from coach.scoring import evidence_scores

    pairs: list[dict[str, Any]] = []
    for case in load_cases(folder):
        text, language = read_posting_file(case.posting)
        lines = extract_requirements(text, language=language)
        if not lines:
            continue
        with throwaway_candidate(case.materials) as user:
            scores, cross = evidence_scores(lines, UserIndex.load(user), language=language)
        for requirement in case.requirements:
            if requirement.covered is None:
                continue
            likeness = [
                difflib.SequenceMatcher(None, fold(line.text), fold(requirement.text)).ratio()
                for line in lines
            ]
            row = max(range(len(lines)), key=likeness.__getitem__)
            if likeness[row] < MATCH_AT or language_requirement(lines[row].text) is not None:
                continue
            same = scores[row][~cross]
            other = scores[row][cross]
            pairs.append(
                {
                    "case": case.posting.name,
                    "candidate": case.candidate,
                    "line": lines[row].text,
                    "covered": bool(requirement.covered),
                    "same": float(same.max()) if same.size else None,
                    "other": float(other.max()) if other.size else None,
                }
            )
    return pairs


def fit_logistic(x: Sequence[float], y: Sequence[bool]) -> tuple[float, float, float]:
    """Slope, intercept and log-likelihood of P(y | x) = 1 / (1 + exp(-(slope * x + intercept)))."""
    import numpy as np

    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    centre, spread = float(xs.mean()), float(xs.std()) or 1.0
    z = (xs - centre) / spread
    weights = np.zeros(2)
    design = np.column_stack([z, np.ones_like(z)])
    # Newton steps with a whisper of ridge, so a perfectly separable set still converges.
    for _ in range(100):
        p = 1 / (1 + np.exp(-(design @ weights)))
        gradient = design.T @ (p - ys) + 1e-3 * np.array([weights[0], 0.0])
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + np.diag([1e-3, 1e-9])
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    p = np.clip(1 / (1 + np.exp(-(design @ weights))), 1e-12, 1 - 1e-12)
    likelihood = float(np.sum(ys * np.log(p) + (1 - ys) * np.log(1 - p)))
    slope = float(weights[0] / spread)
    return slope, float(weights[1] - slope * centre), likelihood


def auc(x: Sequence[float], y: Sequence[bool]) -> float:
    positives = [value for value, label in zip(x, y, strict=True) if label]
    negatives = [value for value, label in zip(x, y, strict=True) if not label]
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def calibrate(folder: Path) -> dict[str, Any]:
    pairs = calibration_pairs(folder)
    labels = [pair["covered"] for pair in pairs]

    def best(pair: dict[str, Any], shift: float) -> float:
        values = [pair["same"], pair["other"] + shift if pair["other"] is not None else None]
        return max(value for value in values if value is not None)

    grid = []
    for shift in SHIFTS:
        scores = [best(pair, shift) for pair in pairs]
        slope, intercept, likelihood = fit_logistic(scores, labels)
        grid.append(
            {
                "shift": shift,
                "log_likelihood": round(likelihood, 4),
                "auc": round(auc(scores, labels), 4),
                "slope": slope,
                "intercept": intercept,
            }
        )
    chosen = max(grid, key=lambda row: (row["log_likelihood"], -row["shift"]))

    def at(probability: float) -> float:
        return (math.log(probability / (1 - probability)) - chosen["intercept"]) / chosen["slope"]

    cross_pairs = [
        pair
        for pair in pairs
        if pair["other"] is not None and (pair["same"] is None or pair["other"] > pair["same"])
    ]
    return {
        "folder": str(folder.relative_to(REPO_DIR)) if folder.is_relative_to(REPO_DIR) else str(folder),
        "pairs": len(pairs),
        "covered": sum(labels),
        "pairs_best_in_other_language": len(cross_pairs),
        "cross_language_shift": chosen["shift"],
        "partial_at": round(at(PARTIAL_PROBABILITY), 4),
        "covered_at": round(at(COVERED_PROBABILITY), 4),
        "auc": chosen["auc"],
        "auc_without_shift": grid[0]["auc"],
        "grid": [{key: row[key] for key in ("shift", "log_likelihood", "auc")} for row in grid],
        "pair_scores": pairs,
    }


# --- 2. Quality ---------------------------------------------------------------------------------------


def evaluate(folder: Path) -> dict[str, Any]:
    from django.core.management import call_command

    output = io.StringIO()
    call_command("evaluate_scoring", str(folder), stdout=output)
    summary: dict[str, Any] = json.loads(output.getvalue().strip().splitlines()[-1])
    return summary


# --- 3. Speed -----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def timing(values_ms: Sequence[float]) -> dict[str, float]:
    return {
        "runs": len(values_ms),
        "p50_ms": round(percentile(values_ms, 0.5), 1),
        "p95_ms": round(percentile(values_ms, 0.95), 1),
        "max_ms": round(max(values_ms), 1),
        "mean_ms": round(statistics.fmean(values_ms), 1),
    }


def bench_postings() -> list[tuple[str, str, str]]:
    """(name, text, language) of the sample postings and the holdout ones."""
    # inside: these need Django, which main() sets up first
    from applications.management.commands.evaluate_scoring import read_posting_file

    paths = sorted((SAMPLES / "postings").iterdir())
    for folder in sorted(SCORING_DATA.glob("holdout*")):
        paths += sorted((folder / "postings").iterdir())
    return [(path.name, *read_posting_file(path)) for path in paths]


def measure_user(user: User, postings: list[tuple[str, str, str]], runs: int, batch: int) -> dict[str, Any]:
    """Scoring one posting with the user's index warm (in memory), and cold in the three ways it gets cold:
    another process or a restart (the index is read from its file), a change to one material (that
    material is read again), and nothing kept at all (built from the database, as before the warm index).
    Each posting is scored once per variant, so its requirement lines are embedded afresh."""
    from django.db.models import F

    from coach import warm_index
    from coach.requirements import extract_requirements
    from coach.retrieval import UserIndex
    from coach.scoring import score_posting
    from materials.models import Material

    one_material = Material.objects.filter(user=user).order_by("pk").values_list("pk", flat=True)[0]

    def restart() -> None:
        warm_index.clear_memory()

    def change_one_material() -> None:
        Material.objects.filter(pk=one_material).update(version=F("version") + 1)

    def nothing_kept() -> None:
        warm_index.forget(user.pk)

    def variant(runs: int, offset: int, before: Any = None) -> tuple[list[float], list[float]]:
        wall: list[float] = []
        cpu: list[float] = []
        for run in range(runs):
            _, text, language = postings[(offset + run) % len(postings)]
            # A new index object (a cold variant) keeps no vectors: each posting's lines are new to it.
            if before is not None:
                before()
            started, cpu_started = time.perf_counter(), time.process_time()
            score_posting(user, text, language=language)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        return wall, cpu

    # Every variant scores other postings than the one before it, so no line's vector is kept from it.
    cold_runs = max(3, min(runs, 10))
    single, single_cpu = variant(runs, 0)
    restarted, restarted_cpu = variant(cold_runs, runs, restart)
    changed, changed_cpu = variant(cold_runs, runs + cold_runs, change_one_material)
    rebuilt, rebuilt_cpu = variant(cold_runs, runs + 2 * cold_runs, nothing_kept)
    loads: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        UserIndex.load(user)
        loads.append((time.perf_counter() - started) * 1000)
    file_loads: list[float] = []
    for _ in range(cold_runs):
        warm_index.clear_memory()
        started = time.perf_counter()
        UserIndex.load(user)
        file_loads.append((time.perf_counter() - started) * 1000)
    database_loads: list[float] = []
    for _ in range(cold_runs):
        warm_index.forget(user.pk)
        started = time.perf_counter()
        UserIndex.load(user)
        database_loads.append((time.perf_counter() - started) * 1000)
    index = UserIndex.load(user)
    lines = sum(len(extract_requirements(text, language=language)) for _, text, language in postings)
    started = time.perf_counter()
    for _ in range(batch):
        for _, text, language in postings:
            score_posting(user, text, language=language, index=index)
    seconds = time.perf_counter() - started
    return {
        "chunks": len(index.chunks),
        "single_posting": timing(single),
        "single_posting_cpu": timing(single_cpu),
        "cold_after_restart": timing(restarted),
        "cold_after_restart_cpu": timing(restarted_cpu),
        "cold_after_material_change": timing(changed),
        "cold_after_material_change_cpu": timing(changed_cpu),
        "cold_nothing_kept": timing(rebuilt),
        "cold_nothing_kept_cpu": timing(rebuilt_cpu),
        "index_load": timing(loads),
        "index_load_from_file": timing(file_loads),
        "index_load_from_database": timing(database_loads),
        "batch": {
            "postings": batch * len(postings),
            "requirement_lines": batch * lines,
            "seconds": round(seconds, 2),
            "postings_per_second": round(batch * len(postings) / seconds, 2),
        },
    }


def measure_speed(args: argparse.Namespace) -> dict[str, Any]:
    from bench.materials import embed_generated, generate_chunks, store_user
    from coach.scoring import score_posting

    postings = bench_postings()
    largest = max(args.sizes)
    print(f"Generating {largest} chunks; embedding {args.distinct} distinct texts for real...")
    chunks = generate_chunks(largest, min(args.distinct, largest), args.seed)
    vectors, _, _ = embed_generated(chunks)
    results: dict[str, Any] = {"postings": [name for name, _, _ in postings]}
    for size in sorted(args.sizes):
        user = store_user(f"scoring-{size}", chunks[:size], vectors)
        # The model is loaded and warm before anything is timed.
        score_posting(user, postings[0][1], language=postings[0][2])
        print(f"Scoring for a user with {size} chunks...")
        results[str(size)] = measure_user(user, postings, args.runs, args.batch)
    return results


# --- Run ----------------------------------------------------------------------------------------------


def metadata(load_before: float, seconds: float) -> dict[str, Any]:
    import django
    import numpy

    def git(*command: str) -> str:
        try:
            return subprocess.run(  # noqa: S603 - git with fixed arguments
                ["git", *command],  # noqa: S607
                cwd=REPO_DIR,
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
        except OSError:
            return ""

    from coach import embeddings, scoring

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "numpy": numpy.__version__,
        "cpu_count": os.process_cpu_count(),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "platform": platform.platform(),
        "seconds": round(seconds, 1),
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain")),
        "model": embeddings.MODEL_NAME,
        "model_version": embeddings.MODEL_VERSION,
        "scorer_version": scoring.SCORER_VERSION,
        "thresholds": {
            "partial_at": scoring.PARTIAL_AT,
            "covered_at": scoring.COVERED_AT,
            "cross_language_shift": scoring.CROSS_LANGUAGE_SHIFT,
        },
    }


def report(results: dict[str, Any]) -> None:
    for name, summary in results.get("quality", {}).items():
        print(
            f"{name}: band agreement {summary['band_agreement']}, requirement accuracy "
            f"{summary['requirement_accuracy']} "
            f"({summary['cases']} cases, {summary['requirements']} requirements)"
        )
        for language, figures in summary["per_language"].items():
            print(
                f"    {language}: bands {figures['band_agreement']}, "
                f"requirements {figures['requirement_accuracy']}"
                f" ({figures['cases']} cases, {figures['requirements']} requirements)"
            )
    for size, figures in results.get("speed", {}).items():
        if size == "postings":
            continue
        single, batch = figures["single_posting"], figures["batch"]
        print(
            f"{size} chunks: one posting p50 {single['p50_ms']} ms, p95 {single['p95_ms']} ms; "
            f"index load p50 "
            f"{figures['index_load']['p50_ms']} ms; batch {batch['postings_per_second']} postings/s"
        )
        for name in (
            "single_posting_cpu",
            "cold_after_restart",
            "cold_after_material_change",
            "cold_nothing_kept",
        ):
            if name in figures:
                cpu = figures.get(f"{name}_cpu", {})
                print(
                    f"    {name}: p50 {figures[name]['p50_ms']} ms, p95 {figures[name]['p95_ms']} ms"
                    + (f" (CPU p50 {cpu['p50_ms']} ms)" if cpu else "")
                )
        for name in ("index_load_from_file", "index_load_from_database"):
            if name in figures:
                print(f"    {name}: p50 {figures[name]['p50_ms']} ms")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.update(THREAD_VARIABLES)
    from bench.run import configure_environment, scratch_database

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="omoikane-bench-scoring-") as temporary:
        workdir = Path(temporary)
        configure_environment(workdir)
        import django

        django.setup()
        with scratch_database(workdir):
            load_before = os.getloadavg()[0]
            if args.calibrate:
                print(f"Calibrating on {args.calibration}...")
                calibration = calibrate(args.calibration)
                calibration["metadata"] = metadata(load_before, time.perf_counter() - started)
                RESULTS_DIR.mkdir(exist_ok=True)
                path = RESULTS_DIR / f"{args.name}-calibration.json"
                path.write_text(
                    json.dumps(calibration, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
                )
                print(
                    f"pairs {calibration['pairs']} (covered {calibration['covered']}), "
                    f"cross-language shift {calibration['cross_language_shift']}, "
                    f"PARTIAL_AT {calibration['partial_at']}, COVERED_AT {calibration['covered_at']}, "
                    f"AUC {calibration['auc']} (without the shift "
                    f"{calibration['auc_without_shift']}); written to {path.relative_to(REPO_DIR)}"
                )
                return 0
            results: dict[str, Any] = {}
            if not args.no_quality:
                folders = {"samples": SAMPLES, "calibration": args.calibration}
                folders.update({path.name: path for path in sorted(SCORING_DATA.glob("holdout*"))})
                results["quality"] = {}
                for name, folder in folders.items():
                    print(f"Evaluating {name}...")
                    results["quality"][name] = evaluate(folder)
            results["speed"] = measure_speed(args)
            results["metadata"] = metadata(load_before, time.perf_counter() - started)
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{args.name}.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    report(results)
    print(f"Written to {path.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
