from __future__ import annotations

from django.urls import reverse

from applications.drafting.render import word_diff
from applications.tests.drafting.helpers import LETTER, applicant, draft
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

REMOVED = '<span class="visually-hidden">Removed: </span>'
ADDED = '<span class="visually-hidden">Added: </span>'


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
            r,
            f"<del>{REMOVED}Kind regards,</del> <ins>{ADDED}Warm &lt;b&gt;regards&lt;/b&gt;,</ins>",
        )
        self.assertTrue(AuditEvent.objects.filter(event=Event.DRAFT_DIFF_VIEWED).exists())

    def test_it_escapes_both_sides(self) -> None:
        self.assertEqual(
            str(word_diff("a <i>", "a <b>")),
            f'<span class="diff-sentence">a <del>{REMOVED}&lt;i&gt;</del> <ins>{ADDED}&lt;b&gt;</ins></span>',
        )

    def test_it_keeps_a_run_of_changed_words_together(self) -> None:
        # Not "~~describe~~have ~~how~~spent": the run goes whole, then its replacement, with a space.
        html = str(word_diff("Let me describe how I work here.", "Let me have spent years here."))
        self.assertIn(
            f"Let me <del>{REMOVED}describe how I work</del> <ins>{ADDED}have spent years</ins> here.", html
        )

    def test_it_marks_whole_sentences_that_came_or_went(self) -> None:
        old = "I build payment systems. I like Python.\nKind regards"
        new = "I build payment systems. I mentor juniors every week on Fridays.\nKind regards"
        html = str(word_diff(old, new))
        self.assertIn("I build payment systems. ", html)
        self.assertIn(f"<del>{REMOVED}I like Python.</del>", html)
        self.assertIn(f"<ins>{ADDED}I mentor juniors every week on Fridays.</ins>", html)
        self.assertTrue(html.endswith("\nKind regards"))

    def test_it_says_in_words_what_was_removed_and_added(self) -> None:
        self.alice.language = "de"
        self.alice.save(update_fields=["language"])
        r = self.client.get(self.url, {"old": self.old.pk, "new": self.new.pk}, HTTP_ACCEPT_LANGUAGE="de")
        self.assertContains(r, '<span class="visually-hidden">Entfernt: </span>')
        self.assertContains(r, '<span class="visually-hidden">Hinzugefügt: </span>')

    def test_it_compares_identical_and_empty_texts(self) -> None:
        self.assertEqual(str(word_diff(LETTER, LETTER)), LETTER.replace("&", "&amp;"))
        self.assertIn(f"<ins>{ADDED}", str(word_diff("", "New text.")))
        self.assertEqual(str(word_diff("", "")), "")

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
