"""The worker through a database failover: the connection is really cut (pg_terminate_backend from a second
connection), so the cases that need it run on PostgreSQL only; CI runs the suite on PostgreSQL too."""

from __future__ import annotations

import unittest

from django.db import connection
from django.tasks import task
from django.test import TestCase, TransactionTestCase
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from omoikane.testing import cut_own_connection
from ops.worker import ClaimingWorker, claim_next, release_claims

RUNS: list[str] = []


@task()
def cut_on_first_run(word: str) -> str:
    """A task whose first run loses its database connection halfway, as during a failover."""
    RUNS.append(word)
    if len(RUNS) == 1:
        cut_own_connection()
        DBTaskResult.objects.count()  # the next query meets the cut
    return word.upper()


def make_worker() -> ClaimingWorker:
    return ClaimingWorker(
        queue_names=["default"],
        interval=0.1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-a",
        excluded_queue_names=[],
    )


class ReleaseClaimsTests(TestCase):
    def test_it_queues_again_what_this_worker_claimed_and_does_not_run(self) -> None:
        cut_on_first_run.enqueue("mine")
        claimed = claim_next(DBTaskResult.objects.ready(), "worker-a")
        assert claimed is not None
        self.assertEqual(release_claims("worker-a"), 1)
        claimed.refresh_from_db()
        self.assertEqual((claimed.status, claimed.started_at), (TaskResultStatus.READY, None))

    def test_it_leaves_another_workers_claims(self) -> None:
        cut_on_first_run.enqueue("theirs")
        claimed = claim_next(DBTaskResult.objects.ready(), "worker-b")
        assert claimed is not None
        self.assertEqual(release_claims("worker-a"), 0)
        claimed.refresh_from_db()
        self.assertEqual(claimed.status, TaskResultStatus.RUNNING)


@unittest.skipUnless(connection.vendor == "postgresql", "cuts a real PostgreSQL connection")
class WorkerConnectionLostTests(TransactionTestCase):
    def setUp(self) -> None:
        RUNS.clear()

    def test_a_task_that_lost_its_connection_is_queued_again_not_failed(self) -> None:
        result = cut_on_first_run.enqueue("again")
        worker = make_worker()
        claimed = claim_next(worker.ready_tasks(), worker.worker_id)
        assert claimed is not None
        worker.run_task(claimed)
        row = DBTaskResult.objects.get(id=result.id)
        self.assertEqual(row.status, TaskResultStatus.READY)
        self.assertEqual(row.exception_class_path, "")

        worker.run()  # batch mode: runs what is queued, then stops
        row.refresh_from_db()
        self.assertEqual((row.status, row.return_value), (TaskResultStatus.SUCCESSFUL, "AGAIN"))
        self.assertEqual(RUNS, ["again", "again"])
