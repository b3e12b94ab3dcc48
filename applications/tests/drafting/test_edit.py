from __future__ import annotations

from django.urls import reverse

from applications.models import DraftVersion
from applications.tests.drafting.helpers import LETTER, applicant, draft
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class EditTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)
        self.version = draft(self.application)
        self.url = reverse("applications:letter_edit", args=[self.application.pk])
        self.client.force_login(self.alice)

    def test_it_keeps_an_edit_as_a_new_version(self) -> None:
        text = LETTER.replace("Kind regards", "Warm regards") + "\n"
        r = self.client.post(self.url, {"text": text.replace("\n", "\r\n"), "based_on": self.version.pk})
        self.assertRedirects(r, reverse("applications:letter", args=[self.application.pk]))
        version = self.application.draft_versions.get(number=2)
        self.assertEqual(version.text, text.strip())
        self.assertEqual(version.source, DraftVersion.Source.EDITED)
        self.assertEqual(version.word_count, len(text.split()))
        self.assertIn("unsupported", version.checks)
        self.assertEqual(AuditEvent.objects.get(event=Event.DRAFT_EDITED).metadata["based_on"], 1)
        self.version.refresh_from_db()
        self.assertIn("Kind regards", self.version.text)  # the old version is untouched

    def test_it_refuses_an_empty_letter_and_keeps_nothing(self) -> None:
        r = self.client.post(self.url, {"text": "   \n  ", "based_on": self.version.pk})
        self.assertContains(r, "The letter is empty.", status_code=400)
        self.assertEqual(DraftVersion.objects.count(), 1)

    def test_it_refuses_an_unchanged_letter(self) -> None:
        r = self.client.post(self.url, {"text": LETTER + "\n\n", "based_on": self.version.pk})
        self.assertContains(r, "Nothing changed, so no new version was made.", status_code=400)
        self.assertEqual(DraftVersion.objects.count(), 1)

    def test_it_keeps_the_users_text_when_refusing_it(self) -> None:
        r = self.client.post(self.url, {"text": "x" * 20_001})
        self.assertContains(r, "x" * 100, status_code=400)
        self.assertEqual(DraftVersion.objects.count(), 1)

    def test_it_ignores_a_base_version_of_another_application(self) -> None:
        other = draft(applicant(self.alice), "Dear Hiring Team,\n\nSomething else.")
        r = self.client.post(self.url, {"text": "Dear Hiring Team,\n\nSomething else.", "based_on": other.pk})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(
            self.application.draft_versions.get(number=2).text, "Dear Hiring Team,\n\nSomething else."
        )

    def test_it_refuses_a_base_that_is_not_a_number(self) -> None:
        r = self.client.post(self.url, {"text": "New text", "based_on": "v1"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(DraftVersion.objects.count(), 1)

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(self.url, {"text": "Stolen"}).status_code, 404)
        self.assertEqual(DraftVersion.objects.count(), 1)
