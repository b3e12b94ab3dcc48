"""Draft a letter for every case of an evaluation folder and report what the checks find.

The folder is laid out like the shared samples: materials/, postings/ (.txt, .md or .html) and
labels.json (which candidate applies to which posting). Each case's candidate is loaded as a throwaway
user through the real upload path, the posting is added through the real action, and the letter is
drafted by the configured provider (the offline drafter when none is configured; --provider names
another class) exactly as the worker drafts it. Everything is rolled back afterwards.

Per case: language, word count against the asked length, the sentences not found in the materials,
the sentences in another language than the letter's, and the flagged output. The last line is JSON:
cases, flagged (flagged items over all cases), flagged_cases, unsupported_rate (unsupported sentences
over all sentences that make a claim), failed, length_within (letters within a fifth of the asked
length, over letters), purity (sentences in the letter's language over all sentences), notices (letters
whose drafter said it left material in another language out), short_of_evidence (letters the drafter
marked as short because the evidence held no more), and the same per language.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from applications.actions import do_add_application
from applications.drafting.actions import do_request_draft
from applications.drafting.forms import LENGTHS
from applications.drafting.generate import run_generation
from applications.intake import posting_from_page, posting_from_text
from applications.models import DraftGeneration
from coach.checks import draft_sentences, name_from_cv
from coach.evaluation import load_cases, throwaway_candidate
from coach.providers import get_provider
from coach.providers.base import DraftInstructions, Provider
from materials.language import detect_language
from privacy_kernel.audit import Actor

ACTOR = Actor.system("evaluation")
# A letter is "of the asked length" within a fifth of it either way.
LENGTH_TOLERANCE = 0.2
# Quotations (of the posting) are the posting's words, not the letter's: left out of the language check.
_QUOTED_RE = re.compile(r"“[^”]*”|‘[^’]*’|«[^»]*»|„[^“”]*[“”]|\"[^\"]*\"")


def foreign_sentences(text: str, language: str, names: list[str]) -> tuple[int, list[str]]:
    """(sentences, those written in another language than `language`). Quotations and the names of the
    posting, the company and the applicant are left out first: they are what they are in any language.
    A sentence too short to tell counts by its script (Greek letters for Greek, Latin for the others)."""
    sentences = draft_sentences(text)
    foreign = []
    for sentence in sentences:
        plain = _QUOTED_RE.sub(" ", sentence)
        for name in sorted((n for n in names if len(n.strip()) > 2), key=len, reverse=True):
            plain = plain.replace(name.strip(), " ")
        letters = [ch for ch in plain if ch.isalpha()]
        if not letters:
            continue
        detected = detect_language(plain)
        greek = sum("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in letters) * 2 > len(
            letters
        )
        if (detected and detected != language) or (not detected and greek != (language == "el")):
            foreign.append(sentence)
    return len(sentences), foreign


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
            "--length",
            choices=sorted(LENGTHS),
            default="medium",
            help="the length asked for, as in the draft form (short, medium or long)",
        )
        parser.add_argument(
            "--language",
            default="",
            help="write every letter in this language instead of the posting's (en, nl, nb, de, el)",
        )
        parser.add_argument(
            "--provider",
            default="",
            help="dotted path of a provider class to use instead of the configured one",
        )

    def handle(
        self, *args: Any, folder: Path, provider: str, length: str, language: str, **options: Any
    ) -> None:
        if not (folder / "labels.json").is_file():
            raise CommandError(f"{folder} has no labels.json.")
        writer = _provider(provider)
        asked = LENGTHS[length]
        self.stdout.write(f"Provider: {writer.key} ({writer.model}); asked length {length} ({asked} words)")
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
                letter_language = language or application.language or case.language or "en"
                generation = do_request_draft(
                    application, DraftInstructions(language=letter_language, length_words=asked), actor=ACTOR
                )
                version = run_generation(generation, provider=writer)
                if version is None:
                    generation.refresh_from_db()
            counts = totals[letter_language]
            counts["cases"] += 1
            name = f"{case.posting.name} for {case.candidate} ({letter_language})"
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
            cvs = [path.read_text(encoding="utf-8") for path in case.materials if path.name.startswith("cv")]
            signed = name_from_cv(cvs[0]) if cvs else ""
            sentences, foreign = foreign_sentences(
                version.text, letter_language, [application.title, application.company, signed]
            )
            within = abs(version.word_count - asked) <= asked * LENGTH_TOLERANCE
            counts["letters"] += 1
            counts["length_within"] += within
            counts["words"] += version.word_count
            counts["sentences"] += sentences
            counts["foreign"] += len(foreign)
            counts["notices"] += bool(version.left_out_languages)
            counts["short"] += version.short_of_evidence
            mark = "!!" if version.flags else "ok"
            notice = (
                f", left out: {', '.join(version.left_out_languages)}" if version.left_out_languages else ""
            )
            self.stdout.write(
                f"{mark} {name}: {version.word_count} words (asked {asked}), {len(version.unsupported)} of "
                f"{checks.get('claims', 0)} sentences not found in the materials, {len(foreign)} of "
                f"{sentences} in another language, {len(version.flags)} flagged{notice}"
            )
            for sentence in foreign:
                self.stdout.write(f"    other language: {sentence}")
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
            "length_within": _share(counts, "length_within", "letters"),
            "mean_words": _share(counts, "words", "letters", digits=1),
            "purity": round(1 - counts.get("foreign", 0) / sentences, 4)
            if (sentences := counts.get("sentences", 0))
            else None,
            "notices": counts.get("notices", 0),
            "short_of_evidence": counts.get("short", 0),
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


def _share(counts: dict[str, int], part: str, whole: str, *, digits: int = 4) -> float | None:
    return round(counts.get(part, 0) / counts[whole], digits) if counts.get(whole) else None
