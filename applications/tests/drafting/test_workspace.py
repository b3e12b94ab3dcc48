from __future__ import annotations

from django.urls import reverse

from applications.drafting.actions import do_cancel_generation, do_request_draft
from applications.drafting.generate import run_generation
from applications.models import DraftGeneration
from applications.tests.drafting.doubles import ScriptedProvider
from applications.tests.drafting.helpers import LETTER, applicant, as_user, draft, request
from coach.providers.base import DraftInstructions
from coach.providers.offline import OfflineDrafter as Offline
from omoikane.testing import BaseTestCase
from omoikane.tests.test_query_counts import AUDIT_ROW
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

SIGNED_IN_BASE = 2  # as in omoikane/tests/test_query_counts.py


class OfflineDrafter(ScriptedProvider):
    key = "offline"
    model = "offline-template-1"


class WorkspaceTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)
        self.url = reverse("applications:letter", args=[self.application.pk])
        self.client.force_login(self.alice)

    def test_it_offers_a_first_draft(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, "No letter yet.")
        self.assertContains(r, reverse("applications:letter_draft", args=[self.application.pk]))
        self.assertTrue(
            AuditEvent.objects.filter(event=Event.DRAFT_VIEWED, target_id=str(self.application.pk)).exists()
        )

    def test_it_shows_the_latest_version_to_edit(self) -> None:
        draft(self.application)
        version = draft(self.application, LETTER.replace("Kind regards", "Best wishes"))
        r = self.client.get(self.url)
        self.assertContains(r, "Version 2")
        self.assertContains(r, "Best wishes,\nAlice Andersen</textarea>")
        self.assertContains(r, f"{version.word_count} words")
        self.assertContains(r, "Drafted by scripted-1 (scripted)")
        self.assertContains(r, 'href="?v=1"')

    def test_it_shows_an_older_version_when_asked(self) -> None:
        draft(self.application)
        draft(self.application, LETTER.replace("Kind regards", "Best wishes"))
        r = self.client.get(self.url + "?v=1")
        self.assertContains(r, "Kind regards,\nAlice Andersen</textarea>")
        self.assertContains(r, "Version 1")

    def test_it_marks_sentences_not_found_in_the_materials(self) -> None:
        made_up = "I led the machine-learning team at Google for twelve years."
        draft(self.application, LETTER.replace("I look forward", f"{made_up}\n\nI look forward"))
        r = self.client.get(self.url)
        self.assertContains(r, "Not found in your materials")
        self.assertContains(r, f'<li><mark class="mark-unsupported">{made_up}</mark></li>', html=False)
        self.assertContains(r, f'title="Not found in your materials">{made_up}</mark>')

    def test_it_labels_the_offline_drafter(self) -> None:
        draft(self.application, provider=OfflineDrafter(LETTER))
        self.assertContains(self.client.get(self.url), "Offline drafter — no AI model is configured")

    def test_it_says_when_the_offline_drafter_left_material_in_another_language_out(self) -> None:
        # An English CV, a Greek letter: the offline drafter cannot translate, so it says so.
        generation = do_request_draft(
            self.application, DraftInstructions(language="el"), actor=as_user(self.alice)
        )
        version = run_generation(generation, provider=Offline())
        assert version is not None
        self.assertEqual(version.left_out_languages, ["en"])
        r = self.client.get(self.url)
        self.assertContains(r, "Some of your experience is not in this letter.")
        self.assertContains(r, "A language model is needed to write this letter from them.")
        self.assertContains(r, "(English)")
        self.assertContains(r, "This letter is shorter than you asked")
        for sentence in version.text.split("\n"):
            self.assertNotIn("I designed", sentence)

    def test_it_says_nothing_of_languages_when_nothing_was_left_out(self) -> None:
        version = run_generation(request(self.application), provider=Offline())
        assert version is not None
        self.assertEqual(version.left_out_languages, [])
        page = self.client.get(self.url)
        self.assertNotContains(page, "Some of your experience is not in this letter.")
        self.assertEqual(
            "This letter is shorter than you asked" in page.content.decode(), version.short_of_evidence
        )

    def test_it_links_a_draft_being_written(self) -> None:
        generation = request(self.application)
        r = self.client.get(self.url)
        self.assertContains(
            r, reverse("applications:letter_progress", args=[self.application.pk, generation.pk])
        )

    def test_it_does_not_call_a_cancelled_draft_being_written(self) -> None:
        generation = request(self.application)
        # The worker claimed it (run_generation's conditional update) and has not yet seen the cancel flag.
        DraftGeneration.objects.filter(pk=generation.pk).update(status=DraftGeneration.Status.RUNNING)
        self.assertTrue(do_cancel_generation(generation, actor=as_user(self.alice)))
        self.assertEqual(generation.status, DraftGeneration.Status.RUNNING)
        r = self.client.get(self.url)
        self.assertNotContains(r, "A draft is being written.")
        self.assertNotContains(
            r, reverse("applications:letter_progress", args=[self.application.pk, generation.pk])
        )

    def test_it_escapes_the_letter(self) -> None:
        draft(self.application, LETTER.replace("Dear Hiring Team,", "Dear <script>alert(1)</script> team,"))
        r = self.client.get(self.url)
        self.assertNotContains(r, "<script>alert(1)</script>")
        self.assertContains(r, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_it_is_linked_from_the_application(self) -> None:
        self.assertContains(self.client.get(self.application.get_absolute_url()), f'href="{self.url}"')

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_keeps_its_queries_flat(self) -> None:
        draft(self.application)
        self.client.get(self.url)
        # application, versions, sent versions, a running draft, then the audit head and row.
        with self.assertNumQueries(SIGNED_IN_BASE + 4 + AUDIT_ROW):
            self.client.get(self.url)
        for _ in range(3):
            draft(self.application)
        with self.assertNumQueries(SIGNED_IN_BASE + 4 + AUDIT_ROW):
            self.client.get(self.url)
