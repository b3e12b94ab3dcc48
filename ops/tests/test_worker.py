from __future__ import annotations

from django.core.management import call_command
from django.db import OperationalError, transaction
from django.tasks import task
from django.test import TestCase, TransactionTestCase
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from omoikane.db import retry_on_conflict
from ops.worker import claim_next

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
