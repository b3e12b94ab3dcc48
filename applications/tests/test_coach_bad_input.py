"""Bad input to the coach, end to end through the pages: each gives a clear message or an honest
low-confidence result, never a 500, and nothing half-stored."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from applications.drafting.actions import do_request_draft
from applications.drafting.generate import run_generation
from applications.models import Application, Reply
from applications.tests.factories import POSTING_TEXT, add_application
from coach.providers.base import DraftInstructions
from coach.providers.offline import OfflineDrafter
from materials.tests.factories import add_material
from omoikane.testing import BaseTestCase, run_queued
from privacy_kernel.audit import Actor

FRENCH_CV = """# Camille Martin
Ingénieure backend · Lyon

## Expérience
- J'ai dirigé une équipe de quatre ingénieurs qui a reconstruit la chaîne de règlement des cartes en Python.
- J'ai conçu le schéma PostgreSQL et le partitionnement pour 400 millions de lignes du grand livre.
- J'ai mené la migration des machines virtuelles vers Kubernetes avec Terraform, sans interruption.
- J'ai écrit le pipeline d'événements sur Kafka qui synchronise les rendez-vous avec les hôpitaux.

## Compétences
Python, Django, PostgreSQL, Kafka, Kubernetes, Terraform.
"""


class BadInputTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)
        self.add_url = reverse("applications:add")

    def _add(self, text: str) -> Application:
        response = self.client.post(self.add_url, {"text": text})
        self.assertEqual(response.status_code, 302, response.content[:500])
        return Application.objects.get(user=self.alice)

    def test_it_says_so_when_there_are_no_materials(self) -> None:
        application = self._add(POSTING_TEXT)
        run_queued("score_application", user_id=self.alice.pk, application_id=application.pk)
        page = self.client.get(application.get_absolute_url())
        self.assertContains(page, "You have no materials yet, so nothing can be matched.")
        self.assertNotContains(page, "Weak fit")
        # Drafting without materials writes a letter that claims nothing.
        generation = do_request_draft(application, DraftInstructions(language="en"), actor=Actor.system("t"))
        version = run_generation(generation, provider=OfflineDrafter())
        assert version is not None
        self.assertEqual(version.unsupported, [])
        self.assertIn("The details are in my résumé.", version.text)
        self.assertEqual(
            self.client.get(reverse("applications:letter", args=[application.pk])).status_code, 200
        )

    def test_it_refuses_a_pasted_posting_of_three_words_and_stores_nothing(self) -> None:
        add_material(self.alice)
        response = self.client.post(self.add_url, {"text": "Python developer wanted"})
        self.assertContains(response, "We found no posting text there.", status_code=400)
        self.assertFalse(Application.objects.exists())

    def test_it_says_so_when_a_posting_edited_down_to_three_words_holds_no_requirement(self) -> None:
        add_material(self.alice)
        application = add_application(self.alice)
        edit = reverse("applications:edit", args=[application.pk])
        fields = {"title": application.title, "company": application.company, "language": "en"}
        response = self.client.post(edit, {**fields, "posting_text": "Python developer wanted"})
        self.assertEqual(response.status_code, 302)
        # The corrected text is scored again in the worker.
        run_queued("score_application", user_id=self.alice.pk, application_id=application.pk)
        page = self.client.get(application.get_absolute_url())
        self.assertContains(page, "We found no requirements in this posting to score against")
        self.assertNotContains(page, "Weak fit")

    def test_it_refuses_a_posting_of_forty_thousand_words_and_stores_nothing(self) -> None:
        add_material(self.alice)
        text = ("Experience with Python and PostgreSQL is required. " * 6_000)[: 40_000 * 8]
        self.assertGreater(len(text.split()), 39_000)
        response = self.client.post(self.add_url, {"text": text})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This is longer than any posting", status_code=400)
        self.assertFalse(Application.objects.exists())

    def test_it_scores_a_long_posting_under_the_limit(self) -> None:
        add_material(self.alice)
        lines = [f"- Experience with system number {n} and its tooling." for n in range(1_600)]
        text = "Senior Engineer\nAcme\n\nRequirements\n" + "\n".join(lines)
        self.assertLess(len(text), settings.POSTING_MAX_CHARS)
        application = self._add(text)
        self.assertEqual(self.client.get(application.get_absolute_url()).status_code, 200)

    def test_a_cv_in_a_language_no_posting_uses_is_scored_and_never_pasted_into_a_letter(self) -> None:
        add_material(self.alice, text=FRENCH_CV, title="CV (français)")
        application = self._add(POSTING_TEXT)
        self.assertEqual(self.client.get(application.get_absolute_url()).status_code, 200)
        generation = do_request_draft(application, DraftInstructions(language="en"), actor=Actor.system("t"))
        version = run_generation(generation, provider=OfflineDrafter())
        assert version is not None
        self.assertNotIn("J'ai", version.text)
        self.assertNotIn("équipe", version.text)
        self.assertEqual(version.left_out_languages, ["other"])
        page = self.client.get(reverse("applications:letter", args=[application.pk]))
        self.assertContains(page, "Some of your experience is not in this letter.")
        self.assertContains(page, "(another language)")

    def test_a_reply_in_a_language_outside_the_five_is_stored_and_suggests_nothing(self) -> None:
        application = add_application(self.alice)
        for text in (
            "Bonjour,\n\nNous avons le plaisir de vous inviter à un entretien mardi à 10h.\n\nCordialement",
            "Hola,\n\nLamentamos informarle que hemos elegido a otro candidato.\n\nSaludos",
        ):
            response = self.client.post(
                reverse("applications:add_reply", args=[application.pk]), {"text": text}
            )
            self.assertEqual(response.status_code, 302)
        for reply in Reply.objects.filter(application=application):
            self.assertIn(reply.suggested_kind, ("other",))
        self.assertEqual(Application.objects.get(pk=application.pk).status, "saved")
        self.assertEqual(self.client.get(application.get_absolute_url()).status_code, 200)
