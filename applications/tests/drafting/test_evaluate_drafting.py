from __future__ import annotations

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from accounts.models import User
from applications.models import Application
from applications.tests.drafting.doubles import PLANTED
from coach.models import LLMTrace
from coach.tests.fakes import fake_anthropic
from materials.models import Material

DEMO = Path(settings.BASE_DIR) / "ops" / "demo_data"
MATERIALS = ["cv_backend_en.md", "letter_sample_1_en.md"]
POSTINGS = ["p01_backend_fintech_en.txt", "p05_backend_nb.txt"]
LABELS = {
    "candidates": {"ingrid": MATERIALS},
    "cases": [
        {"candidate": "ingrid", "posting": "p01_backend_fintech_en.txt", "language": "en"},
        {"candidate": "ingrid", "posting": "p05_backend_nb.txt", "language": "nb"},
    ],
}
DOUBLES = "applications.tests.drafting.doubles"


class EvaluateDraftingTests(TestCase):
    databases = {"default", "traces"}

    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        # Two cases of the demo folder: an English and a Norwegian posting for one candidate.
        for kind, names in (("materials", MATERIALS), ("postings", POSTINGS)):
            (self.folder / kind).mkdir()
            for name in names:
                shutil.copy(DEMO / kind / name, self.folder / kind / name)
        (self.folder / "labels.json").write_text(json.dumps(LABELS), encoding="utf-8")

    def run_command(self, provider: str) -> tuple[list[str], dict[str, object]]:
        out = StringIO()
        call_command("evaluate_drafting", str(self.folder), provider=f"{DOUBLES}.{provider}", stdout=out)
        lines = out.getvalue().strip().splitlines()
        return lines, json.loads(lines[-1])

    def test_it_reports_a_grounded_letter_as_clean(self) -> None:
        lines, summary = self.run_command("GroundedProvider")
        self.assertEqual(summary["cases"], 2)
        self.assertEqual(summary["failed"], 0)
        self.assertEqual(summary["flagged"], 0)
        self.assertEqual(summary["provider"], "grounded")
        self.assertIsInstance(summary["unsupported_rate"], float)
        self.assertEqual(sorted(summary["per_language"]), ["en", "nb"])  # type: ignore[call-overload]
        self.assertTrue(any("p05_backend_nb.txt for ingrid (nb)" in line for line in lines))

    def test_it_flags_everything_a_misbehaving_model_makes_up(self) -> None:
        lines, summary = self.run_command("MisbehavingProvider")
        self.assertEqual(summary["flagged_cases"], 2)
        self.assertEqual(summary["flagged"], 8)
        text = "\n".join(lines)
        for expected in [
            "flagged phone: +31 6 1234 5678",
            "flagged email: recruiter.bait@evil.example",
            "flagged url: https://evil.example/cv",
            "flagged name: Pieter Jansen",
        ]:
            self.assertEqual(text.count(expected), 2, expected)
        self.assertIn("unsupported: You can call me on", text)

    def test_it_flags_every_leak_of_a_misbehaving_model_behind_the_anthropic_api(self) -> None:
        # The configured provider (no --provider): the real Anthropic SDK, pointed at the local server.
        with fake_anthropic() as server:
            server.responder = lambda body: "Dear Hiring Team,\n\n" + PLANTED + "\n\nKind regards"
            out = StringIO()
            with self.settings(**server.django_settings()):
                call_command("evaluate_drafting", str(self.folder), stdout=out)
        lines = out.getvalue().strip().splitlines()
        summary = json.loads(lines[-1])
        self.assertEqual((summary["provider"], summary["cases"], summary["failed"]), ("anthropic", 2, 0))
        self.assertEqual(summary["flagged_cases"], 2)
        self.assertEqual(summary["flagged"], 8)
        self.assertEqual(len(server.requests), 2)

    def test_it_leaves_no_users_behind(self) -> None:
        self.run_command("GroundedProvider")
        self.assertFalse(User.objects.exists())
        self.assertFalse(Material.objects.exists())
        self.assertFalse(Application.objects.exists())
        self.assertFalse(LLMTrace.objects.exists())

    def test_it_refuses_a_folder_without_labels(self) -> None:
        (self.folder / "labels.json").unlink()
        with self.assertRaises(CommandError):
            call_command("evaluate_drafting", str(self.folder), stdout=StringIO())
