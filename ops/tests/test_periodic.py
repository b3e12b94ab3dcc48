"""Periodic work the worker queues itself: the daily audit archiving."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ops.periodic import JOBS, Periodic, enqueue_due

ARCHIVE_KEY = "omoikane:periodic:archive_audit_events"


class EnqueueDueTests(TestCase):
    def test_it_queues_the_archiving_once_a_day(self) -> None:
        self.assertEqual(enqueue_due(), ["archive_audit_events"])
        self.assertEqual(enqueue_due(), [])
        (queued,) = DBTaskResult.objects.all()
        self.assertEqual(queued.task_path, "privacy.tasks.archive_audit_events")
        self.assertEqual(
            [(job.name, job.every) for job in JOBS], [("archive_audit_events", timedelta(days=1))]
        )

    def test_it_queues_again_once_the_interval_has_passed(self) -> None:
        queued: list[str] = []
        job = Periodic("probe", timedelta(seconds=60), lambda: queued.append("probe"))
        enqueue_due([job])
        enqueue_due([job])
        cache.delete("omoikane:periodic:probe")  # as the key's expiry does after 60 s
        enqueue_due([job])
        self.assertEqual(queued, ["probe", "probe"])


class WorkerPeriodicTests(TransactionTestCase):
    def setUp(self) -> None:
        # The cache table is not flushed between transaction tests.
        cache.delete(ARCHIVE_KEY)
        self.addCleanup(cache.delete, ARCHIVE_KEY)

    def test_it_queues_and_runs_the_archiving_when_it_starts(self) -> None:
        call_command(
            "worker",
            "--max-tasks",
            "1",
            "--interval",
            "0.05",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
        )
        (result,) = DBTaskResult.objects.all()
        self.assertEqual(
            (result.task_path, result.status),
            ("privacy.tasks.archive_audit_events", TaskResultStatus.SUCCESSFUL),
        )
        self.assertEqual(result.return_value["archived_events"], 0)

    def test_it_queues_nothing_in_batch_mode(self) -> None:
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        self.assertFalse(DBTaskResult.objects.exists())
