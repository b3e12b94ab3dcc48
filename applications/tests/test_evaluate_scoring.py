from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase

from materials.models import Material

DEMO_DATA = Path(settings.BASE_DIR) / "ops" / "demo_data"
HOLDOUT = Path(settings.BASE_DIR) / "coach" / "tests" / "scoring_data" / "holdout2"


def evaluate(folder: Path) -> tuple[list[str], dict[str, Any]]:
    out = StringIO()
    call_command("evaluate_scoring", str(folder), stdout=out)
    lines = out.getvalue().strip().splitlines()
    return lines, json.loads(lines[-1])


class EvaluateScoringTests(TestCase):
    databases = {"default", "traces"}

    def test_it_agrees_with_the_labels_of_the_shipped_samples(self) -> None:
        lines, summary = evaluate(DEMO_DATA)
        self.assertEqual(summary["cases"], 7)
        self.assertEqual(summary["requirements"], 17)
        self.assertEqual(summary["unmatched_requirements"], 0)
        self.assertGreaterEqual(summary["band_agreement"], 0.8)
        self.assertGreaterEqual(summary["requirement_accuracy"], 0.8)
        self.assertEqual(set(summary["per_language"]), {"en", "nl", "nb", "de"})
        self.assertTrue(
            any(
                "p01_backend_fintech_en.txt (en) for ingrid: expected high, got high" in line
                for line in lines
            )
        )
        self.assertTrue(any("expected missing got missing" in line for line in lines))
        self.assertFalse(Material.objects.exists())  # the throwaway candidates left nothing behind

    def test_it_agrees_with_the_labels_of_postings_it_was_not_tuned_on(self) -> None:
        # Written after the scorer was frozen, labels fixed before the first run; all five languages.
        _, summary = evaluate(HOLDOUT)
        self.assertEqual(summary["cases"], 14)
        self.assertGreaterEqual(summary["band_agreement"], 0.8)
        self.assertGreaterEqual(summary["requirement_accuracy"], 0.8)
        self.assertEqual(set(summary["per_language"]), {"en", "nl", "nb", "de", "el"})
        self.assertEqual(summary["suspicious_lines"], 1)

    def test_it_refuses_a_folder_without_labels(self) -> None:
        with self.assertRaisesMessage(CommandError, "has no labels.json"):
            call_command("evaluate_scoring", str(DEMO_DATA / "postings"), stdout=StringIO())
