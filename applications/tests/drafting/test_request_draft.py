from __future__ import annotations

from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from applications.models import DraftGeneration
from applications.tests.drafting.helpers import applicant, draft, request
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class RequestDraftTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)
        self.url = reverse("applications:letter_draft", args=[self.application.pk])
        self.client.force_login(self.alice)

    def test_it_queues_a_draft_and_shows_its_progress(self) -> None:
        r = self.client.post(
            self.url, {"tone": "warm", "length": "short", "language": "nb", "stress": " Kafka "}
        )
        generation = DraftGeneration.objects.get()
        self.assertRedirects(
            r, reverse("applications:letter_progress", args=[self.application.pk, generation.pk])
        )
        self.assertEqual(
            generation.instructions,
            {
                "language": "nb",
                "tone": "warm and personal",
                "length_words": 200,
                "stress": "Kafka",
                "revision": "",
            },
        )
        task = DBTaskResult.objects.get(task_path__endswith="generate_draft")
        self.assertEqual(task.args_kwargs["kwargs"]["generation_id"], generation.pk)
        event = AuditEvent.objects.get(event=Event.DRAFT_REQUESTED)
        self.assertEqual(event.metadata["language"], "nb")

    def test_it_writes_in_the_postings_language_unless_asked(self) -> None:
        self.client.post(self.url, {"tone": "", "length": "medium", "language": ""})
        self.assertEqual(DraftGeneration.objects.get().instructions["language"], "en")

    @override_settings(DRAFTS_PER_DAY=2)
    def test_it_refuses_when_the_daily_limit_is_reached(self) -> None:
        for _ in range(2):
            draft(self.application)
        r = self.client.post(self.url, {"length": "medium"}, follow=True)
        self.assertContains(r, "You have asked for 2 drafts in the last 24 hours")
        self.assertEqual(DraftGeneration.objects.count(), 2)
        self.assertEqual(DBTaskResult.objects.filter(task_path__endswith="generate_draft").count(), 2)

    @override_settings(DRAFTS_PER_DAY=1)
    def test_it_counts_drafts_of_deleted_applications(self) -> None:
        from applications.actions import do_delete_application
        from applications.tests.drafting.helpers import as_user

        draft(self.application)
        other = applicant(self.charlie)  # charlie's drafts do not count for alice
        draft(other)
        do_delete_application(self.application, actor=as_user(self.alice))
        fresh = applicant(self.alice)
        r = self.client.post(
            reverse("applications:letter_draft", args=[fresh.pk]), {"length": "medium"}, follow=True
        )
        self.assertContains(r, "You have asked for 1 drafts")
        self.assertFalse(fresh.draft_generations.exists())

    def test_it_refuses_a_second_draft_while_one_is_written(self) -> None:
        request(self.application)
        r = self.client.post(self.url, {"length": "medium"}, follow=True)
        self.assertContains(r, "A draft of this letter is being written already.")
        self.assertEqual(DraftGeneration.objects.count(), 1)

    def test_it_refuses_unknown_choices(self) -> None:
        r = self.client.post(self.url, {"length": "epic", "language": "tlh"}, follow=True)
        self.assertContains(r, "Choose a tone, a length and a language from the lists.")
        self.assertFalse(DraftGeneration.objects.exists())

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(self.url, {"length": "medium"}).status_code, 404)
        self.assertFalse(DraftGeneration.objects.exists())


class RegenerateTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)
        self.version = draft(self.application)
        self.url = reverse("applications:letter_regenerate", args=[self.application.pk, self.version.pk])
        self.client.force_login(self.alice)

    def test_it_drafts_again_from_the_version_with_the_instruction(self) -> None:
        from applications.drafting.generate import run_generation
        from applications.tests.drafting.doubles import ScriptedProvider

        r = self.client.post(self.url, {"instruction": "Shorter, and mention Kafka"})
        generation = DraftGeneration.objects.filter(previous_version=self.version).get()
        self.assertRedirects(
            r, reverse("applications:letter_progress", args=[self.application.pk, generation.pk])
        )
        self.assertEqual(generation.instructions["revision"], "Shorter, and mention Kafka")
        provider = ScriptedProvider("Dear Hiring Team,\n\nI know Kafka.\n\nKind regards,\nAlice Andersen")
        version = run_generation(generation, provider=provider)
        assert version is not None
        self.assertEqual(
            (version.number, version.source, version.instruction),
            (2, "regenerated", "Shorter, and mention Kafka"),
        )
        self.assertIn("<previous_draft>", provider.prompts[0].task)
        self.assertIn("At Fjordpay I rebuilt", provider.prompts[0].task)

    def test_it_needs_an_instruction(self) -> None:
        r = self.client.post(self.url, {"instruction": ""})
        self.assertContains(r, "Say how the next draft should differ.", status_code=400)
        self.assertEqual(DraftGeneration.objects.count(), 1)

    def test_it_refuses_a_version_of_another_application(self) -> None:
        other = draft(applicant(self.alice))
        url = reverse("applications:letter_regenerate", args=[self.application.pk, other.pk])
        self.assertEqual(self.client.post(url, {"instruction": "Shorter"}).status_code, 404)
        self.assertEqual(
            self.client.post(
                reverse("applications:letter_regenerate", args=[self.application.pk, 999999]),
                {"instruction": "x"},
            ).status_code,
            404,
        )
