"""Draft a letter for every case of an evaluation folder and report what the checks find.

The folder is laid out like the shared samples: materials/, postings/ (.txt, .md or .html) and
labels.json (which candidate applies to which posting). Each case's candidate is loaded as a throwaway
user through the real upload path, the posting is added through the real action, and the letter is
drafted by the configured provider (the offline drafter when none is configured; --provider names
another class) exactly as the worker drafts it. Everything is rolled back afterwards.

Per case: language, word count, the sentences not found in the materials, and the flagged output.
The last line is JSON: cases, flagged (flagged items over all cases), flagged_cases, unsupported_rate
(unsupported sentences over all sentences that make a claim), failed, and the same per language.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from applications.actions import do_add_application
from applications.drafting.actions import do_request_draft
from applications.drafting.generate import run_generation
from applications.intake import posting_from_page, posting_from_text
from applications.models import DraftGeneration
from coach.evaluation import load_cases, throwaway_candidate
from coach.providers import get_provider
from coach.providers.base import DraftInstructions, Provider
from privacy_kernel.audit import Actor

ACTOR = Actor.system("evaluation")


def _provider(path: str) -> Provider:
    if path:
        provider: Provider = import_string(path)()
        return provider

    return get_provider()


class Command(BaseCommand):
    help = (
        "Draft a letter for every case of a folder (materials/, postings/, labels.json) with the "
        "configured provider and run the output and unsupported-claim checks. Prints a block per case, "
        "then one JSON line with cases, flagged and unsupported_rate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a folder with materials/, postings/ and labels.json")
        parser.add_argument(
            "--provider",
            default="",
            help="dotted path of a provider class to use instead of the configured one",
        )

    def handle(self, *args: Any, folder: Path, provider: str, **options: Any) -> None:
        if not (folder / "labels.json").is_file():
            raise CommandError(f"{folder} has no labels.json.")
        writer = _provider(provider)
        self.stdout.write(f"Provider: {writer.key} ({writer.model})")
        totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for case in load_cases(folder):
            raw = case.posting.read_text(encoding="utf-8")
            posting = (
                posting_from_page(raw, f"https://example.invalid/{case.posting.name}")
                if case.posting.suffix == ".html"
                else posting_from_text(raw)
            )
            with throwaway_candidate(case.materials) as user:
                application = do_add_application(user, posting, actor=ACTOR)
                language = application.language or case.language or "en"
                generation = do_request_draft(application, DraftInstructions(language=language), actor=ACTOR)
                version = run_generation(generation, provider=writer)
                if version is None:
                    generation.refresh_from_db()
            counts = totals[language]
            counts["cases"] += 1
            name = f"{case.posting.name} for {case.candidate} ({language})"
            if version is None:
                counts["failed"] += 1
                reason = generation.error or DraftGeneration.Status(generation.status).label
                self.stdout.write(f"XX {name}: no letter: {reason}")
                continue
            checks = version.checks
            counts["claims"] += int(checks.get("claims", 0))
            counts["unsupported"] += len(version.unsupported)
            counts["flagged"] += len(version.flags)
            counts["flagged_cases"] += bool(version.flags)
            mark = "!!" if version.flags else "ok"
            self.stdout.write(
                f"{mark} {name}: {version.word_count} words, {len(version.unsupported)} of "
                f"{checks.get('claims', 0)} sentences not found in the materials, "
                f"{len(version.flags)} flagged"
            )
            for flag in version.flags:
                self.stdout.write(f"    flagged {flag['kind']}: {flag['value']}")
            for sentence in version.unsupported:
                self.stdout.write(f"    unsupported: {sentence}")
        self.stdout.write(json.dumps(_summary(totals, writer)))


def _summary(totals: dict[str, dict[str, int]], writer: Provider) -> dict[str, Any]:
    def figures(counts: dict[str, int]) -> dict[str, Any]:
        claims = counts.get("claims", 0)
        return {
            "cases": counts.get("cases", 0),
            "failed": counts.get("failed", 0),
            "flagged": counts.get("flagged", 0),
            "flagged_cases": counts.get("flagged_cases", 0),
            "unsupported": counts.get("unsupported", 0),
            "claims": claims,
            "unsupported_rate": round(counts.get("unsupported", 0) / claims, 4) if claims else None,
        }

    overall: dict[str, int] = defaultdict(int)
    for counts in totals.values():
        for key, value in counts.items():
            overall[key] += value
    return {
        **figures(overall),
        "provider": writer.key,
        "model": writer.model,
        "per_language": {language: figures(totals[language]) for language in sorted(totals)},
    }
