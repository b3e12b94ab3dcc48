"""Score every labelled case of an evaluation folder and compare with the labels.

The folder is laid out like ops/demo_data: materials/, postings/ (.txt, .md or .html) and labels.json.
Each case's candidate is loaded as a throwaway user through the real upload path, the posting is read
as the importer reads it (a page with read_posting(), text with read_pasted()), and scored.

It lives in applications, not coach, because it reads postings with the importer, which applications owns.

Two figures, printed as the last line (JSON):
- band_agreement: share of cases whose band (high/medium/low) is the labelled `fit`.
- requirement_accuracy: over the labelled requirements with a `covered` label, each matched to the
  extracted requirement line whose text is most alike (difflib ratio on folded text, at least
  MATCH_AT; a labelled requirement the extractor did not produce scores 0). "covered" agrees with
  covered, "missing" with not covered, and "partial" earns half a point either way: it is the scorer
  saying it cannot tell, and it counts half in the score too.
"""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.importing.parse import read_pasted, read_posting
from coach.evaluation import Case, load_cases, throwaway_candidate
from coach.requirements import fold, suspicious_lines
from coach.retrieval import UserIndex
from coach.scoring import FitScore, RequirementResult, Status, score_posting

MATCH_AT = 0.6


def read_posting_file(path: Path) -> tuple[str, str]:
    """The posting's description as the importer would store it, and its detected language."""
    raw = path.read_text(encoding="utf-8")
    parsed = (
        read_posting(raw, f"https://example.invalid/{path.name}")
        if path.suffix == ".html"
        else read_pasted(raw)
    )
    return parsed.description_text, parsed.language


def best_line(text: str, results: list[RequirementResult]) -> tuple[RequirementResult | None, float]:
    """The extracted requirement most like a labelled one, with the likeness (0-1)."""
    target = fold(text)
    best: tuple[RequirementResult | None, float] = (None, 0.0)
    for result in results:
        ratio = difflib.SequenceMatcher(None, fold(result.text), target).ratio()
        if ratio > best[1]:
            best = (result, ratio)
    return best


def credit(status: str | None, covered: bool) -> float:
    if status == Status.PARTIAL:
        return 0.5
    if status is None:
        return 0.0
    return 1.0 if (status == Status.COVERED) == covered else 0.0


class Command(BaseCommand):
    help = (
        "Score every case of a labelled folder (materials/, postings/, labels.json) and compare bands and "
        "requirement calls with the labels. Prints a block per case, then one JSON line with "
        "band_agreement and requirement_accuracy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a folder with materials/, postings/ and labels.json")

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        if not (folder / "labels.json").is_file():
            raise CommandError(f"{folder} has no labels.json.")
        verbose = options["verbosity"] > 1
        bands: dict[str, list[bool]] = defaultdict(list)
        calls: dict[str, list[float]] = defaultdict(list)
        must_calls: list[bool] = []
        unmatched = 0
        band_distance = 0
        suspicious = 0
        lows: list[bool] = []
        for case in load_cases(folder):
            text, detected = read_posting_file(case.posting)
            with throwaway_candidate(case.materials) as user:
                result = score_posting(user, text, language=detected, index=UserIndex.load(user))
            language = case.language or detected or "?"
            agreed = result.band == case.fit
            bands[language].append(agreed)
            band_distance += abs(_band_rank(result.band) - _band_rank(case.fit)) == 2
            suspicious += len(suspicious_lines(text))
            if case.fit == "low":
                lows.append(result.band == "low")
            self._print_case(case, result, language)
            for requirement in case.requirements:
                if requirement.covered is None:
                    continue
                match, likeness = best_line(requirement.text, result.requirements)
                if match is None or likeness < MATCH_AT:
                    unmatched += 1
                    calls[language].append(0.0)
                    self.stdout.write(f"    ?? not extracted: {requirement.text!r}")
                    continue
                point = credit(match.status, requirement.covered)
                calls[language].append(point)
                if requirement.must is not None:
                    must_calls.append(match.must == requirement.must)
                mark = {1.0: "ok", 0.5: "~~", 0.0: "XX"}[point]
                expected = "covered" if requirement.covered else "missing"
                self.stdout.write(
                    f"    {mark} expected {expected:7} got {match.status:7} "
                    f"({match.basis}, {match.best:.3f}) {'must' if match.must else 'nice'}: {match.text}"
                )
            if verbose:
                for extracted in result.requirements:
                    self.stdout.write(
                        f"       {extracted.status:7} {extracted.best:.3f} {extracted.basis:10} "
                        f"{'must' if extracted.must else 'nice'}: {extracted.text}"
                    )
        every_band = [ok for values in bands.values() for ok in values]
        every_call = [point for values in calls.values() for point in values]
        summary = {
            "band_agreement": _share(every_band),
            "requirement_accuracy": _mean(every_call),
            "cases": len(every_band),
            "requirements": len(every_call),
            "unmatched_requirements": unmatched,
            "must_agreement": _share(must_calls),
            "high_low_swaps": band_distance,
            # In these sets every case labelled low is a posting from another field or trade.
            "low_cases_scored_low": _share(lows),
            "suspicious_lines": suspicious,
            "per_language": {
                language: {
                    "band_agreement": _share(bands[language]),
                    "requirement_accuracy": _mean(calls[language]),
                    "cases": len(bands[language]),
                    "requirements": len(calls[language]),
                }
                for language in sorted(bands)
            },
        }
        self.stdout.write(json.dumps(summary))

    def _print_case(self, case: Case, result: FitScore, language: str) -> None:
        mark = "ok" if result.band == case.fit else "XX"
        self.stdout.write(
            f"{mark} {case.posting.name} ({language}) for {case.candidate}: expected {case.fit}, "
            f"got {result.band} {result.score}{' (another field)' if result.other_field else ''}"
        )
        if result.missing_keywords:
            self.stdout.write(f"    missing keywords: {', '.join(result.missing_keywords)}")


def _band_rank(band: str) -> int:
    return {"low": 0, "medium": 1, "high": 2}.get(band, 1)


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None
