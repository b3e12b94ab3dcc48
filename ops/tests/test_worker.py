from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.db import OperationalError, transaction
from django.tasks import task
from django.test import TestCase, TransactionTestCase
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from omoikane.db import retry_on_conflict
from ops.worker import claim_next, reclaim_stale

RESULTS: list[str] = []


@task()
def remember(word: str) -> str:
    RESULTS.append(word)
    return word.upper()


class ClaimTests(TestCase):
    def test_it_claims_a_ready_task_once(self) -> None:
        remember.enqueue("one")
        first = claim_next(DBTaskResult.objects.ready(), "worker-a")
        assert first is not None
        self.assertEqual((first.status, first.worker_ids), (TaskResultStatus.RUNNING, ["worker-a"]))
        self.assertIsNone(claim_next(DBTaskResult.objects.ready(), "worker-b"))

    def test_it_loses_the_race_gracefully(self) -> None:
        # Worker B read the candidate list before worker A's UPDATE landed: B's conditional UPDATE must
        # match no row, and B must move on rather than run the task a second time.
        remember.enqueue("raced")
        stale_candidates = DBTaskResult.objects.ready()
        snapshot = list(stale_candidates.values_list("id", flat=True))
        self.assertIsNotNone(claim_next(DBTaskResult.objects.ready(), "worker-a"))
        self.assertIsNone(claim_next(DBTaskResult.objects.filter(id__in=snapshot), "worker-b"))
        self.assertEqual(DBTaskResult.objects.get().worker_ids, ["worker-a"])

    def test_it_returns_nothing_for_an_empty_queue(self) -> None:
        self.assertIsNone(claim_next(DBTaskResult.objects.ready(), "worker-a"))


class WorkerCommandTests(TransactionTestCase):
    def test_it_runs_queued_tasks_to_completion(self) -> None:
        RESULTS.clear()
        results = [remember.enqueue(word) for word in ["alpha", "beta"]]
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        self.assertEqual(sorted(RESULTS), ["alpha", "beta"])
        for result in results:
            result.refresh()
            self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(sorted(r.return_value for r in results), ["ALPHA", "BETA"])


class SerializationFailure(OperationalError):
    sqlstate = "40001"


class RetryOnConflictTests(TransactionTestCase):
    """A TransactionTestCase: retrying is only right outside a transaction, as in a real request."""

    def test_it_retries_serialization_failures(self) -> None:
        calls: list[int] = []

        @retry_on_conflict(base_delay=0)
        def flaky() -> str:
            calls.append(1)
            if len(calls) < 3:
                raise SerializationFailure("could not serialize access")
            return "done"

        self.assertEqual(flaky(), "done")
        self.assertEqual(len(calls), 3)

    def test_it_gives_up_after_the_last_attempt(self) -> None:
        calls: list[int] = []

        @retry_on_conflict(attempts=2, base_delay=0)
        def always_conflicting() -> None:
            calls.append(1)
            raise SerializationFailure("could not serialize access")

        with self.assertRaises(SerializationFailure):
            always_conflicting()
        self.assertEqual(len(calls), 2)

    def test_it_does_not_retry_other_errors(self) -> None:
        calls: list[int] = []

        @retry_on_conflict(base_delay=0)
        def broken() -> None:
            calls.append(1)
            raise OperationalError("disk full")

        with self.assertRaises(OperationalError):
            broken()
        self.assertEqual(len(calls), 1)

    def test_it_does_not_retry_inside_an_outer_transaction(self) -> None:
        calls: list[int] = []

        @retry_on_conflict(base_delay=0)
        def conflicting() -> None:
            calls.append(1)
            raise SerializationFailure("could not serialize access")

        with self.assertRaises(SerializationFailure), transaction.atomic():
            conflicting()
        self.assertEqual(len(calls), 1)


class ReclaimTests(TestCase):
    def claimed(self, word: str, *, started_ago: timedelta) -> DBTaskResult[Any, Any]:
        remember.enqueue(word)
        task = claim_next(DBTaskResult.objects.ready(), "worker-that-died")
        assert task is not None
        DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - started_ago)
        return task

    def test_it_queues_again_a_task_left_running_too_long(self) -> None:
        stale = self.claimed("stale", started_ago=timedelta(hours=2))
        self.assertEqual(reclaim_stale(), 1)
        stale.refresh_from_db()
        self.assertEqual((stale.status, stale.started_at), (TaskResultStatus.READY, None))
        self.assertIsNotNone(claim_next(DBTaskResult.objects.ready(), "worker-b"))

    def test_it_leaves_a_task_that_is_still_within_its_time(self) -> None:
        fresh = self.claimed("fresh", started_ago=timedelta(minutes=5))
        self.assertEqual(reclaim_stale(), 0)
        fresh.refresh_from_db()
        self.assertEqual(fresh.status, TaskResultStatus.RUNNING)

    def test_it_leaves_finished_tasks(self) -> None:
        task = self.claimed("done", started_ago=timedelta(hours=2))
        DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.SUCCESSFUL)
        self.assertEqual(reclaim_stale(), 0)


class WorkerReclaimTests(TransactionTestCase):
    def test_the_worker_runs_a_task_a_dead_worker_left_running(self) -> None:
        RESULTS.clear()
        result = remember.enqueue("orphan")
        claim_next(DBTaskResult.objects.ready(), "worker-that-died")
        DBTaskResult.objects.update(started_at=timezone.now() - timedelta(hours=2))
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        result.refresh()
        self.assertEqual(result.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(RESULTS, ["orphan"])
