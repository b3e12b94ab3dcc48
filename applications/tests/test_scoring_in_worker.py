"""The fit score leaves the request: the posting is saved at once, the worker scores it, and the page shows
the progress (streamed, or refreshed without JavaScript); a score that fails says so and stores nothing."""

from __future__ import annotations

import json

from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from applications.fit import score_application
from applications.models import Application, FitScore
from applications.tests.factories import POSTING_TEXT, add_application
from materials.models import Chunk
from materials.tests.factories import add_material
from omoikane.testing import BaseTestCase, BaseTransactionTestCase
from omoikane.tests.test_query_counts import AUDIT_ROW, SIGNED_IN_BASE
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

REFRESH = '<noscript><meta http-equiv="refresh" content="2"></noscript>'


def events(response: object) -> list[tuple[str, dict[str, object]]]:
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    out = []
    for block in body.strip().split("\n\n"):
        name, data = block.split("\n")
        out.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return out


def queued_scores() -> list[dict[str, object]]:
    rows = DBTaskResult.objects.filter(task_path__endswith="score_application", status="READY")
    return [row.args_kwargs["kwargs"] for row in rows]


class ScoringInTheWorkerTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        add_material(self.alice)
        self.client.force_login(self.alice)

    def add(self) -> Application:
        response = self.client.post(reverse("applications:add"), {"text": POSTING_TEXT})
        application = Application.objects.get(user=self.alice)
        self.assertRedirects(response, application.get_absolute_url(), fetch_redirect_response=False)
        return application

    def score(self, application: Application) -> None:
        score_application.call(user_id=self.alice.pk, application_id=application.pk)
        application.refresh_from_db()

    def test_it_saves_the_posting_and_queues_the_score(self) -> None:
        application = self.add()
        self.assertEqual(application.scoring, Application.Scoring.QUEUED)
        self.assertIsNone(application.score)
        self.assertFalse(FitScore.objects.exists())
        self.assertEqual(queued_scores(), [{"user_id": self.alice.pk, "application_id": application.pk}])

    def test_adding_a_posting_costs_a_fixed_number_of_queries(self) -> None:
        # No scoring in the request: the materials are not read at all. Session and user, the write's
        # savepoint and its release, the application, the audit row and the queued score.
        self.client.get(reverse("applications:add"))
        with self.assertNumQueries(SIGNED_IN_BASE + 4 + AUDIT_ROW):
            self.client.post(reverse("applications:add"), {"text": POSTING_TEXT})

    def test_the_page_shows_the_progress_and_refreshes_without_javascript(self) -> None:
        application = self.add()
        page = self.client.get(application.get_absolute_url())
        self.assertContains(page, REFRESH, html=False)
        self.assertContains(page, "The posting is saved. Computing your fit score…")
        self.assertContains(
            page, f'data-progress-url="{reverse("applications:score_stream", args=[application.pk])}"'
        )
        self.assertNotContains(page, "Compute again now")

    def test_the_worker_stores_the_score_and_the_page_shows_it(self) -> None:
        application = self.add()
        self.score(application)
        self.assertEqual(application.scoring, Application.Scoring.DONE)
        score = FitScore.objects.get(application=application)
        self.assertEqual(application.score, score.value)
        event = AuditEvent.objects.get(event=Event.APPLICATION_SCORED)
        self.assertEqual((event.subject, event.actor_label), (self.alice, "scoring"))
        page = self.client.get(application.get_absolute_url())
        self.assertNotContains(page, REFRESH, html=False)
        self.assertContains(page, "Evidence from your materials")
        self.assertContains(page, "Compute again now")

    def test_the_stream_ends_with_done_once_scored(self) -> None:
        application = self.add()
        self.score(application)
        r = self.client.get(reverse("applications:score_stream", args=[application.pk]))
        self.assertEqual(r["Content-Type"], "text/event-stream")
        self.assertEqual(events(r), [("done", {"url": application.get_absolute_url()})])

    def test_a_score_that_fails_says_so_and_stores_nothing(self) -> None:
        application = self.add()
        # A damaged vector: reading the user's index fails in the worker.
        Chunk.objects.filter(user=self.alice).update(embedding=b"\x00" * 5)
        with self.assertRaises(ValueError):
            self.score(application)
        application.refresh_from_db()
        self.assertEqual(application.scoring, Application.Scoring.FAILED)
        self.assertFalse(FitScore.objects.exists())
        self.assertIsNone(application.score)
        self.assertTrue(AuditEvent.objects.filter(event=Event.APPLICATION_SCORING_FAILED).exists())
        page = self.client.get(application.get_absolute_url())
        self.assertContains(page, "We could not compute the fit score. The posting is saved")
        self.assertContains(page, "Try again")
        self.assertNotContains(page, REFRESH, html=False)
        r = self.client.get(reverse("applications:score_stream", args=[application.pk]))
        self.assertEqual(events(r), [("failed", {})])

    def test_trying_again_queues_a_new_score(self) -> None:
        application = self.add()
        Chunk.objects.filter(user=self.alice).update(embedding=b"\x00" * 5)
        with self.assertRaises(ValueError):
            self.score(application)
        Chunk.objects.all().delete()
        add_material(self.alice, title="CV again")
        r = self.client.post(reverse("applications:rescore", args=[application.pk]))
        self.assertRedirects(r, application.get_absolute_url(), fetch_redirect_response=False)
        application.refresh_from_db()
        self.assertEqual(application.scoring, Application.Scoring.QUEUED)
        self.assertTrue(AuditEvent.objects.filter(event=Event.APPLICATION_SCORE_REQUESTED).exists())
        self.score(application)
        self.assertEqual(application.scoring, Application.Scoring.DONE)
        self.assertEqual(FitScore.objects.filter(application=application).count(), 1)

    def test_it_does_not_queue_a_second_score_while_one_waits(self) -> None:
        application = self.add()
        r = self.client.post(reverse("applications:rescore", args=[application.pk]), follow=True)
        self.assertContains(r, "The fit score is being computed already.")
        self.assertEqual(len(queued_scores()), 1)

    def test_a_corrected_text_is_scored_again_in_the_worker(self) -> None:
        application = add_application(self.alice)
        url = reverse("applications:edit", args=[application.pk])
        data = {
            "title": application.title,
            "company": application.company,
            "location": application.location,
            "language": "en",
            "deadline": "",
            "source_url": "",
            "employment_type": "",
            "posting_text": POSTING_TEXT + "\n- Experience with Terraform.\n",
        }
        self.assertRedirects(self.client.post(url, data), application.get_absolute_url())
        application.refresh_from_db()
        self.assertEqual(application.scoring, Application.Scoring.QUEUED)
        self.assertEqual(FitScore.objects.filter(application=application).count(), 1)
        self.score(application)
        latest = FitScore.objects.filter(application=application).first()
        assert latest is not None
        self.assertIn("Experience with Terraform.", [r["text"] for r in latest.requirements])

    def test_it_skips_an_application_scored_meanwhile(self) -> None:
        application = self.add()
        self.score(application)
        # The task queued by the add runs again (a retried task, a second worker): nothing new is stored.
        self.assertIsNone(score_application.call(user_id=self.alice.pk, application_id=application.pk))
        self.assertEqual(FitScore.objects.count(), 1)

    def test_the_stream_is_the_owners_only(self) -> None:
        application = self.add()
        self.client.force_login(self.charlie)
        r = self.client.get(reverse("applications:score_stream", args=[application.pk]))
        self.assertEqual(r.status_code, 404)


class WorkerTests(BaseTransactionTestCase):
    def test_the_worker_scores_a_posting_added_through_the_page(self) -> None:
        add_material(self.alice)
        self.client.force_login(self.alice)
        self.client.post(reverse("applications:add"), {"text": POSTING_TEXT})
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        application = Application.objects.get()
        self.assertEqual(application.scoring, Application.Scoring.DONE)
        self.assertEqual(application.score, FitScore.objects.get().value)
