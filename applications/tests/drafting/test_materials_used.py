"""A drafted letter records which CVs and letter samples it was written from; the insights compare reply
rates by the CV used."""

from __future__ import annotations

from applications.drafting.actions import do_save_edit
from applications.tests.drafting.doubles import ScriptedProvider
from applications.tests.drafting.helpers import LETTER, applicant, as_user, draft
from materials.models import Material
from omoikane.testing import BaseTestCase


class MaterialsUsedTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)
        self.cv = Material.objects.get(user=self.alice, kind=Material.Kind.CV)
        self.sample = Material.objects.get(user=self.alice, kind=Material.Kind.LETTER)

    def test_it_records_the_cv_quoted_and_the_letter_sample_shown(self) -> None:
        provider = ScriptedProvider(LETTER)
        version = draft(self.application, provider=provider)
        grounding = provider.prompts[0].grounding
        quoted = sum(1 for r in grounding.requirements for e in r.evidence if e.material_id == self.cv.pk)
        self.assertGreater(quoted, 0)  # the posting's requirements found evidence in the CV
        self.assertEqual(
            version.materials_used,
            [
                {"id": self.cv.pk, "kind": "cv", "title": "CV", "passages": quoted, "sample": False},
                {
                    "id": self.sample.pk,
                    "kind": "letter",
                    "title": "Letter to Nordlys",
                    "passages": 0,
                    "sample": True,
                },
            ],
        )

    def test_an_edit_keeps_the_materials_of_the_draft_it_was_based_on(self) -> None:
        drafted = draft(self.application)
        edited = do_save_edit(self.application, LETTER + "\n\nP.S.", actor=as_user(self.alice))
        self.assertEqual(edited.materials_used, drafted.materials_used)

    def test_a_hand_written_letter_records_none(self) -> None:
        edited = do_save_edit(self.application, LETTER, actor=as_user(self.alice))
        self.assertEqual(edited.materials_used, [])
