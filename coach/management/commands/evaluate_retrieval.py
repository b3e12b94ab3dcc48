from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coach.evaluation import contains_evidence, load_cases, throwaway_candidate
from coach.retrieval import UserIndex

TOP = 3


class Command(BaseCommand):
    help = (
        "For every labelled requirement with an evidence phrase, check whether one of the top 3 chunks of "
        "the candidate's materials contains it. Prints a line per case, then one JSON line with recall_at_3."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a folder with materials/, postings/ and labels.json")

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        if not (folder / "labels.json").is_file():
            raise CommandError(f"{folder} has no labels.json.")
        hits: dict[str, list[bool]] = defaultdict(list)
        for case in load_cases(folder):
            labelled = [r for r in case.requirements if r.evidence]
            if not labelled:
                continue
            with throwaway_candidate(case.materials) as user:
                index = UserIndex.load(user)
                found = []
                for requirement in labelled:
                    matches = index.search(requirement.text, limit=TOP)
                    ok = any(contains_evidence(m.chunk.text, requirement.evidence) for m in matches)
                    found.append(ok)
                    if not ok and options["verbosity"] > 1:
                        self.stdout.write(
                            f"    missed: {requirement.text!r} -> {[m.chunk.text[:60] for m in matches]}"
                        )
            hits[case.language or "?"].extend(found)
            self.stdout.write(
                f"{case.posting.name} ({case.language}): "
                f"{sum(found)}/{len(found)} evidence phrases in the top {TOP}"
            )
        every = [ok for language in hits.values() for ok in language]
        summary = {
            "recall_at_3": round(sum(every) / len(every), 4) if every else None,
            "requirements": len(every),
            "per_language": {
                language: {"recall": round(sum(v) / len(v), 4), "requirements": len(v)}
                for language, v in sorted(hits.items())
            },
        }
        self.stdout.write(json.dumps(summary))
