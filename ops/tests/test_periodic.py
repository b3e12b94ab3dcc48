"""Periodic work the worker queues itself: audit archiving, trace retention, expired exports."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ops.periodic import JOBS, Periodic, enqueue_due

KEYS = [f"omoikane:periodic:{job.name}" for job in JOBS]


class EnqueueDueTests(TestCase):
    def test_it_queues_each_job_once_per_interval(self) -> None:
        self.assertEqual(
            enqueue_due(),
            [
                "archive_audit_events",
                "purge_old_traces",
                "expire_old_exports",
                "scrub_if_erased_recently",
                "make_scheduled_backup",
                "run_scheduled_restore_drill",
                "verify_audit_chains",
                "send_weekly_reviews",
            ],
        )
        self.assertEqual(enqueue_due(), [])
        self.assertEqual(
            sorted(DBTaskResult.objects.values_list("task_path", flat=True)),
            [
                "coach.tasks.purge_old_traces",
                "diary.tasks.send_weekly_review_emails",
                "ops.tasks.make_scheduled_backup",
                "ops.tasks.run_scheduled_restore_drill",
                "ops.tasks.verify_audit_chains",
                "privacy_rights.jobs.expire_old_exports",
                "privacy_rights.retention.archive_audit_events",
                "privacy_rights.scrub.scrub_if_erased_recently",
            ],
        )
        self.assertEqual(
            [(job.name, job.every) for job in JOBS],
            [
                ("archive_audit_events", timedelta(days=1)),
                ("purge_old_traces", timedelta(days=1)),
                ("expire_old_exports", timedelta(hours=1)),
                ("scrub_if_erased_recently", timedelta(days=1)),
                ("make_scheduled_backup", timedelta(days=1)),
                ("run_scheduled_restore_drill", timedelta(days=1)),
                ("verify_audit_chains", timedelta(days=1)),
                ("send_weekly_reviews", timedelta(days=1)),
            ],
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
    databases = {"default", "traces"}

    def setUp(self) -> None:
        # The cache table is not flushed between transaction tests.
        cache.delete_many(KEYS)
        self.addCleanup(cache.delete_many, KEYS)

    def test_it_queues_and_runs_the_periodic_jobs_when_it_starts(self) -> None:
        call_command(
            "worker",
            "--max-tasks",
            str(len(JOBS)),
            "--interval",
            "0.05",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
        )
        results = {result.task_path: result for result in DBTaskResult.objects.all()}
        self.assertEqual(
            {path: result.status for path, result in results.items()},
            {
                "privacy_rights.retention.archive_audit_events": TaskResultStatus.SUCCESSFUL,
                "coach.tasks.purge_old_traces": TaskResultStatus.SUCCESSFUL,
                "privacy_rights.jobs.expire_old_exports": TaskResultStatus.SUCCESSFUL,
                "privacy_rights.scrub.scrub_if_erased_recently": TaskResultStatus.SUCCESSFUL,
                # Without a BACKUP_TARGET the backup and the drill have nothing to do; the chains verify.
                "ops.tasks.make_scheduled_backup": TaskResultStatus.SUCCESSFUL,
                "ops.tasks.run_scheduled_restore_drill": TaskResultStatus.SUCCESSFUL,
                "ops.tasks.verify_audit_chains": TaskResultStatus.SUCCESSFUL,
                # Nobody asked for a weekly review: none sent.
                "diary.tasks.send_weekly_review_emails": TaskResultStatus.SUCCESSFUL,
            },
        )
        self.assertEqual(results["diary.tasks.send_weekly_review_emails"].return_value, 0)
        self.assertEqual(
            results["privacy_rights.retention.archive_audit_events"].return_value["archived_events"], 0
        )
        self.assertIsNone(results["ops.tasks.make_scheduled_backup"].return_value)
        self.assertTrue(results["ops.tasks.verify_audit_chains"].return_value)

    def test_it_queues_nothing_in_batch_mode(self) -> None:
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        self.assertFalse(DBTaskResult.objects.exists())
