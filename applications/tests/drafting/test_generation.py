from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from applications.drafting.generate import run_generation
from applications.drafting.tasks import generate_draft
from applications.models import DraftGeneration, DraftVersion, Status
from applications.tests.drafting.doubles import ScriptedProvider
from applications.tests.drafting.helpers import LETTER, applicant, request
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class GenerationTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)

    def test_it_queues_the_task_with_the_generation(self) -> None:
        generation = request(self.application)
        self.assertEqual(generation.status, DraftGeneration.Status.QUEUED)
        task = DBTaskResult.objects.get(task_path__endswith="generate_draft")
        self.assertEqual(
            task.args_kwargs["kwargs"], {"user_id": self.alice.pk, "generation_id": generation.pk}
        )

    def test_it_writes_a_version_with_checks(self) -> None:
        generation = request(self.application)
        provider = ScriptedProvider(LETTER)
        version = run_generation(generation, provider=provider)
        assert version is not None
        self.assertEqual(version.number, 1)
        self.assertEqual(version.text, LETTER)
        self.assertEqual(version.source, DraftVersion.Source.GENERATED)
        self.assertEqual((version.provider, version.model), ("scripted", "scripted-1"))
        self.assertEqual(version.word_count, len(LETTER.split()))
        self.assertEqual(version.flags, [])
        self.assertIn("claims", version.checks)
        generation.refresh_from_db()
        self.assertEqual(generation.status, DraftGeneration.Status.DONE)
        self.assertEqual(generation.version, version)
        self.assertEqual(generation.partial_text, LETTER)
        self.assertIsNotNone(generation.finished_at)
        self.assertTrue(
            AuditEvent.objects.filter(event=Event.DRAFT_WRITTEN, target_id=str(version.pk)).exists()
        )
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, Status.DRAFTING)
        self.assertIn("<posting>", provider.prompts[0].task)

    def test_it_keeps_no_version_when_the_provider_fails_halfway(self) -> None:
        generation = request(self.application)
        version = run_generation(generation, provider=ScriptedProvider(LETTER, fail_after=10))
        self.assertIsNone(version)
        generation.refresh_from_db()
        self.assertEqual(generation.status, DraftGeneration.Status.FAILED)
        self.assertIn("overloaded", generation.error)
        self.assertFalse(DraftVersion.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(event=Event.DRAFT_FAILED).exists())
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, Status.SAVED)

    def test_it_fails_an_empty_answer(self) -> None:
        generation = request(self.application)
        self.assertIsNone(run_generation(generation, provider=ScriptedProvider("   ")))
        generation.refresh_from_db()
        self.assertEqual(generation.status, DraftGeneration.Status.FAILED)
        self.assertIn("empty", generation.error)
        self.assertFalse(DraftVersion.objects.exists())

    def test_it_stops_when_the_user_cancels_while_writing(self) -> None:
        from applications.drafting.actions import do_cancel_generation
        from applications.tests.drafting.helpers import as_user

        generation = request(self.application)

        def click_cancel(number: int) -> None:
            if number == 3:
                do_cancel_generation(generation, actor=as_user(self.alice))

        provider = ScriptedProvider(LETTER, on_piece=click_cancel, pause=0.04)
        self.assertIsNone(run_generation(generation, provider=provider))
        generation.refresh_from_db()
        self.assertEqual(generation.status, DraftGeneration.Status.CANCELLED)
        self.assertFalse(DraftVersion.objects.exists())
        # It stopped well before the end: the cancel flag is read while writing, not only at the end.
        self.assertLess(len(generation.partial_text), len(LETTER))

    def test_it_keeps_nothing_when_cancelled_after_the_last_piece(self) -> None:
        from applications.drafting.actions import do_cancel_generation
        from applications.tests.drafting.helpers import as_user

        generation = request(self.application)
        last = len(LETTER.split(" ")) - 1

        def click_cancel(number: int) -> None:
            if number == last:
                do_cancel_generation(generation, actor=as_user(self.alice))

        self.assertIsNone(
            run_generation(generation, provider=ScriptedProvider(LETTER, on_piece=click_cancel))
        )
        generation.refresh_from_db()
        self.assertEqual(generation.status, DraftGeneration.Status.CANCELLED)
        self.assertFalse(DraftVersion.objects.exists())

    def test_it_runs_a_generation_once(self) -> None:
        generation = request(self.application)
        self.assertIsNotNone(run_generation(generation, provider=ScriptedProvider(LETTER)))
        self.assertIsNone(run_generation(generation, provider=ScriptedProvider(LETTER)))
        self.assertEqual(DraftVersion.objects.count(), 1)

    def test_it_numbers_versions_per_application(self) -> None:
        for _ in range(2):
            run_generation(request(self.application), provider=ScriptedProvider(LETTER))
        self.assertEqual(list(self.application.draft_versions.values_list("number", flat=True)), [2, 1])

    def test_the_task_ignores_a_generation_that_is_gone(self) -> None:
        self.assertIsNone(generate_draft.call(user_id=self.alice.pk, generation_id=987654))

    def test_the_task_ignores_another_users_generation(self) -> None:
        generation = request(self.application)
        self.assertIsNone(generate_draft.call(user_id=self.charlie.pk, generation_id=generation.pk))
        generation.refresh_from_db()
        self.assertEqual(generation.status, DraftGeneration.Status.QUEUED)
