from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

from coach.retrieval import UserIndex, search
from materials.models import Material
from materials.tests.factories import LETTER_TEXT, add_material
from omoikane.testing import make_user

DEMO_DATA = Path(settings.BASE_DIR) / "ops" / "demo_data"


class RetrievalTests(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice@example.org")
        self.charlie = make_user("charlie@example.org")
        add_material(self.alice)
        add_material(self.alice, kind=Material.Kind.LETTER, text=LETTER_TEXT, title="Letter")

    def test_it_finds_the_supporting_chunk_with_scores(self) -> None:
        matches = search(self.alice, "Deep knowledge of PostgreSQL, including partitioning large tables.")
        self.assertIn("PostgreSQL schema and partitioning", matches[0].chunk.text)
        self.assertEqual(len(matches), 3)
        self.assertGreaterEqual(matches[0].score, matches[1].score)
        self.assertGreater(matches[0].lexical, 0)

    def test_it_works_across_languages(self) -> None:
        for requirement in [
            "Erfaring med Kubernetes og Terraform.",  # Norwegian
            "Erfahrung mit Kubernetes und Terraform.",  # German
            "Εμπειρία με Kubernetes και Terraform.",  # Greek
        ]:
            with self.subTest(requirement=requirement):
                top = [m.chunk.text for m in search(self.alice, requirement)]
                self.assertTrue(any("migration to Kubernetes" in text for text in top), top)

    def test_it_only_searches_the_users_own_chunks(self) -> None:
        add_material(self.charlie, text="# Charlie\n\n- Ran Kubernetes clusters at a bank for ten years.\n")
        for match in search(self.alice, "Kubernetes at a bank", limit=10):
            self.assertEqual(match.chunk.user_id, self.alice.pk)
        self.assertTrue(all(m.chunk.user_id == self.charlie.pk for m in search(self.charlie, "Kubernetes")))

    def test_it_is_reproducible(self) -> None:
        index = UserIndex.load(self.alice)
        first = [(m.chunk.pk, m.score) for m in index.search("Payment systems experience", limit=5)]
        second = [
            (m.chunk.pk, m.score)
            for m in UserIndex.load(self.alice).search("Payment systems experience", limit=5)
        ]
        self.assertEqual(first, second)

    def test_it_answers_empty_for_a_user_without_materials(self) -> None:
        self.assertEqual(search(make_user("new@example.org"), "Python"), [])


class EvaluateRetrievalTests(TestCase):
    databases = {"default", "traces"}

    def test_it_reports_recall_at_3_on_the_shipped_samples(self) -> None:
        out = StringIO()
        call_command("evaluate_retrieval", str(DEMO_DATA), stdout=out)
        lines = out.getvalue().strip().splitlines()
        summary = json.loads(lines[-1])
        self.assertEqual(summary["requirements"], 12)
        self.assertGreaterEqual(summary["recall_at_3"], 0.8)
        self.assertEqual(set(summary["per_language"]), {"en", "nl", "nb", "de"})
        self.assertTrue(any(line.startswith("p05_backend_nb.txt (nb):") for line in lines))
        self.assertFalse(Material.objects.exists())  # the throwaway candidates left nothing behind
