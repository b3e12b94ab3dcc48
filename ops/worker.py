"""The task worker, with a claim that is correct on YugabyteDB.

django-tasks-db claims work with SELECT ... FOR UPDATE SKIP LOCKED. We claim with one conditional UPDATE
instead ("set RUNNING where id = X and status is still READY"): the database decides which worker wins,
on SQLite, PostgreSQL and YugabyteDB alike, with no row locks held across statements, no advisory locks
and no LISTEN/NOTIFY. A worker that loses the race sees 0 rows updated and tries the next candidate.

A worker that dies (killed, out of memory, host lost) leaves its task RUNNING for ever: django-tasks-db
never looks at it again. Every worker therefore puts tasks RUNNING for longer than
TASK_RECLAIM_AFTER_SECONDS back to READY (`reclaim_stale`), so another worker runs them again. Tasks must
be safe to run twice for this (the export and erasure jobs are); the timeout is set well above the longest
legitimate run.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker, logger
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet
from django_tasks_db.utils import is_locked_database_exception

from omoikane.db import retry_on_conflict
from ops.periodic import enqueue_due

CANDIDATES_PER_POLL = 5
# How often an idle worker asks whether periodic work is due (ops/periodic.py): one cache read each time.
PERIODIC_CHECK_SECONDS = 60.0
# How often (seconds) a worker looks for tasks left RUNNING by a dead worker.
RECLAIM_EVERY = 60


def reclaim_stale(older_than: timedelta | None = None) -> int:
    """Queue again the tasks RUNNING for longer than `older_than` (default TASK_RECLAIM_AFTER_SECONDS)."""
    older_than = older_than or timedelta(seconds=settings.TASK_RECLAIM_AFTER_SECONDS)
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - older_than
    )
    # One conditional UPDATE: a task that finished in the meantime is no longer RUNNING and stays as it is.
    reclaimed = stale.update(status=TaskResultStatus.READY, started_at=None)
    if reclaimed:
        logger.warning("Queued again %d task(s) left running by a worker that stopped", reclaimed)
    return reclaimed


@retry_on_conflict
def claim_next(tasks: DBTaskResultQuerySet, worker_id: str) -> DBTaskResult[Any, Any] | None:
    """Claim the first ready task no other worker has taken; None when the queue is empty."""
    candidates = list(tasks.values_list("id", "worker_ids")[:CANDIDATES_PER_POLL])
    for task_id, worker_ids in candidates:
        claimed = DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.READY).update(
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now(),
            worker_ids=[*worker_ids, worker_id],
        )
        if claimed == 1:
            return DBTaskResult.objects.get(id=task_id)
    return None


class ClaimingWorker(Worker):
    _periodic_checked_at: float | None = None

    def queue_periodic_work(self) -> None:
        """Queue the periodic jobs that are due, at most once a minute per worker; never in --batch mode,
        which runs what is queued and stops."""
        if self.batch:
            return
        now = time.monotonic()
        if self._periodic_checked_at is not None and now - self._periodic_checked_at < PERIODIC_CHECK_SECONDS:
            return
        self._periodic_checked_at = now
        try:
            for name in enqueue_due():
                logger.info("Queued periodic task %s on worker_id=%s", name, self.worker_id)
        except OperationalError as error:
            # SQLite's "database is locked" while the web server writes: the next check will do.
            if not is_locked_database_exception(error):
                raise

    def ready_tasks(self) -> DBTaskResultQuerySet:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        try:
            super().run_task(db_task_result)
        except DatabaseError:
            # Recording the outcome failed because the row is gone: an erasure removed the user's task rows
            # while this one ran. Nothing is left to record; anything else is a real error.
            if DBTaskResult.objects.filter(id=db_task_result.id).exists():
                raise
            logger.info("Task %s was erased while it ran", db_task_result.id)

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        last_reclaim = 0.0
        while self.running:
            close_old_connections()
            self.queue_periodic_work()
            if time.monotonic() - last_reclaim >= RECLAIM_EVERY:
                reclaim_stale()
                last_reclaim = time.monotonic()
            try:
                task_result = claim_next(self.ready_tasks(), self.worker_id)
            except OperationalError as error:
                # SQLite says "database is locked" while the web server writes; the next poll succeeds.
                if not is_locked_database_exception(error):
                    raise
                task_result = None
            else:
                if task_result is None and self.batch:
                    logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                    return
            if task_result is not None:
                self.run_task(task_result)
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran %d tasks on worker_id=%s - exiting.", self._run_tasks, self.worker_id)
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)
