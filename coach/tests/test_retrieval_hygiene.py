from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, TestCase

from coach.retrieval import UserIndex, expansion, searchable
from coach.scoring import score_posting
from materials.models import Material
from materials.tests.factories import LETTER_TEXT, add_material
from omoikane.testing import make_user

SAMPLES = Path(settings.BASE_DIR) / "ops" / "demo_data"
HAND_LABELLED = Path(__file__).with_name("evidence_labels.json")


class SearchableTests(SimpleTestCase):
    def test_it_leaves_greetings_and_sign_offs_of_letters_out(self) -> None:
        for line in [
            "Dear Hiring Team at Nordlys Bank,",
            "Kind regards,\nIngrid Solberg",
            "Met vriendelijke groet,\nSanne de Vries",
            "Med vennlig hilsen\nKari Haugen",
            "Mit freundlichen Grüßen\nLena Hoffmann",
            "Αγαπητή κυρία Παπαδοπούλου,",
            "Με εκτίμηση,\nΝίκος Παπαδόπουλος",
            "Jeg ser fram til å høre fra dere.",
            "Project Falcon",  # a code name alone shows nothing
        ]:
            with self.subTest(line=line):
                self.assertFalse(searchable(Material.Kind.LETTER, line))

    def test_it_keeps_what_a_letter_claims_and_every_cv_line(self) -> None:
        self.assertTrue(searchable(Material.Kind.LETTER, "At Fjordpay I rebuilt the settlement pipeline."))
        self.assertTrue(searchable(Material.Kind.LETTER, "Til daglig leder jeg et team på seks sykepleiere."))
        self.assertTrue(searchable(Material.Kind.CV, "Kubernetes"))
        self.assertTrue(searchable(Material.Kind.CV, "Kind regards"))


class ExpansionTests(SimpleTestCase):
    def test_it_expands_a_concept_in_every_language(self) -> None:
        for line in [
            "Ervaring met leidinggeven.",
            "Experience in people management.",
            "Erfaring med personalansvar.",
            "Führungserfahrung ist ein Muss.",
            "Εμπειρία σε διοίκηση ομάδας.",
        ]:
            with self.subTest(line=line):
                self.assertIn("led a team of", expansion(line))

    def test_it_leaves_other_lines_alone(self) -> None:
        for line in ["Python", "Cardiac care experience.", "Abgeschlossene Lehre als Elektriker.", ""]:
            with self.subTest(line=line):
                self.assertEqual(expansion(line), "")


class IndexHygieneTests(TestCase):
    def test_it_never_offers_a_letters_greeting_as_evidence(self) -> None:
        user = make_user("alice@example.org")
        add_material(user, kind=Material.Kind.LETTER, text=LETTER_TEXT, title="Letter")
        index = UserIndex.load(user)
        texts = [chunk.text for chunk in index.chunks]
        self.assertEqual(len(texts), index.matrix.shape[0])
        self.assertFalse(any(text.startswith(("Dear", "Kind regards")) for text in texts), texts)
        top = index.search("Excellent written communication skills.", limit=3)
        self.assertTrue(top)
        self.assertTrue(all(not m.chunk.text.startswith(("Dear", "Kind")) for m in top))

    def test_it_finds_leadership_shown_in_other_words(self) -> None:
        user = make_user("sanne@example.org")
        add_material(user, text=(SAMPLES / "materials" / "cv_marketing_nl.md").read_text(encoding="utf-8"))
        top = [m.chunk.text for m in UserIndex.load(user).search("Ervaring met leidinggeven.")]
        self.assertTrue(any("een team van vijf" in text for text in top), top)


class HandLabelledEvidenceTests(TestCase):
    """Each requirement's first evidence chunk must be one a recruiter marked as supporting it."""

    def test_it_shows_a_chunk_that_supports_the_requirement(self) -> None:
        labels = json.loads(HAND_LABELLED.read_text(encoding="utf-8"))
        for case in labels["cases"]:
            user = make_user(f"{case['candidate']}@example.org")
            for name in case["materials"]:
                kind = Material.Kind.LETTER if name.startswith("letter") else Material.Kind.CV
                add_material(user, kind=kind, text=(SAMPLES / "materials" / name).read_text(encoding="utf-8"))
            posting = (SAMPLES / "postings" / case["posting"]).read_text(encoding="utf-8")
            result = score_posting(user, posting, language=case["language"])
            by_text = {r.text: r for r in result.requirements}
            for requirement, supporting in case["evidence"].items():
                with self.subTest(posting=case["posting"], requirement=requirement):
                    shown = by_text[requirement].evidence
                    self.assertTrue(shown)
                    self.assertTrue(
                        any(phrase in shown[0].text for phrase in supporting),
                        f"{shown[0].text!r} supports none of {supporting}",
                    )
