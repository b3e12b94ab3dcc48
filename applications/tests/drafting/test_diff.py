from __future__ import annotations

from django.urls import reverse

from applications.drafting.render import word_diff
from applications.tests.drafting.helpers import LETTER, applicant, draft
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class DiffTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)
        self.old = draft(self.application)
        self.new = draft(self.application, LETTER.replace("Kind regards", "Warm <b>regards</b>"))
        self.url = reverse("applications:letter_diff", args=[self.application.pk])
        self.client.force_login(self.alice)

    def test_it_shows_the_words_that_changed(self) -> None:
        r = self.client.get(self.url, {"old": self.old.pk, "new": self.new.pk})
        self.assertContains(r, "Version 1 → version 2")
        self.assertContains(
            r, "<del>Kind</del><ins>Warm</ins> <del>regards,</del><ins>&lt;b&gt;regards&lt;/b&gt;,</ins>"
        )
        self.assertTrue(AuditEvent.objects.filter(event=Event.DRAFT_DIFF_VIEWED).exists())

    def test_it_escapes_both_sides(self) -> None:
        self.assertEqual(str(word_diff("a <i>", "a <b>")), "a <del>&lt;i&gt;</del><ins>&lt;b&gt;</ins>")

    def test_it_refuses_versions_of_another_application(self) -> None:
        other = draft(applicant(self.alice))
        self.assertEqual(self.client.get(self.url, {"old": other.pk, "new": self.new.pk}).status_code, 404)

    def test_it_refuses_unknown_versions(self) -> None:
        self.assertEqual(self.client.get(self.url, {"old": 999999, "new": self.new.pk}).status_code, 404)

    def test_it_explains_bad_input(self) -> None:
        r = self.client.get(self.url, {"old": self.new.pk, "new": self.new.pk})
        self.assertContains(r, "Choose two different versions.", status_code=400)
        r = self.client.get(self.url, {"old": "one"})
        self.assertContains(r, "Choose two versions of this letter to compare.", status_code=400)

    def test_it_asks_for_two_versions_first(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "Compare versions")
        self.assertContains(r, f'<option value="{self.old.pk}" selected>1</option>', html=False)

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url, {"old": self.old.pk, "new": self.new.pk}).status_code, 404)
