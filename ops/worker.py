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

A worker also outlives a database failover. A lost connection while polling is waited out; a task whose
body lost the connection is queued again at once (not marked failed: it did nothing wrong, and its writes
either committed whole or not at all); a result that could not be recorded is recorded again once the
database is back, so a finished task neither runs twice nor stays RUNNING until the reclaim.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.utils import OperationalError
from django.tasks.base import TaskContext
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker, logger
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet
from django_tasks_db.utils import is_locked_database_exception

from omoikane.db import connection_lost, retry_on_conflict
from ops.periodic import enqueue_due

CANDIDATES_PER_POLL = 5
# How often an idle worker asks whether periodic work is due (ops/periodic.py): one cache read each time.
PERIODIC_CHECK_SECONDS = 60.0
# How often (seconds) a worker looks for tasks left RUNNING by a dead worker.
RECLAIM_EVERY = 60
# Pause between attempts to reach a database that went away (a failover takes seconds).
RECONNECT_DELAY = 0.5


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


def requeue(db_task_result: DBTaskResult[Any, Any]) -> None:
    """Put a task this worker was running back in the queue, if nobody has moved it since."""
    DBTaskResult.objects.filter(id=db_task_result.id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )


def release_claims(worker_id: str) -> int:
    """Queue again the tasks RUNNING under `worker_id`. Called between tasks, when this worker runs none: a
    claim whose UPDATE committed but whose answer the lost connection swallowed is such a task."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list("id", "worker_ids")
    mine = [task_id for task_id, worker_ids in running if worker_ids and worker_ids[-1] == worker_id]
    return DBTaskResult.objects.filter(id__in=mine, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )


def once_connected(step: Callable[[], object], *, keep_trying: Callable[[], bool] = lambda: True) -> None:
    """Do `step`, waiting out a lost connection (a failover) for as long as `keep_trying()` says."""
    while True:
        try:
            step()
            return
        except DatabaseError as error:
            if not connection_lost(error) or not keep_trying():
                raise
            logger.warning("Database connection lost; trying again in %.1f s", RECONNECT_DELAY)
            _drop_connection()
            time.sleep(RECONNECT_DELAY)


def _drop_connection() -> None:
    try:
        connection.close()
    except DatabaseError:
        # Closing a socket the server already closed can complain; the connection is gone either way.
        connection.connection = None


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
        """Run one claimed task and record its outcome, as django-tasks-db's worker does, except that a lost
        database connection neither fails the task nor loses its outcome."""
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=task_result)
            try:
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except (SystemExit, KeyboardInterrupt):
                # A second SIGTERM (or Ctrl-C) stops the worker inside its task: the claim is given back, so
                # the next worker runs the task at once instead of after TASK_RECLAIM_AFTER_SECONDS.
                logger.warning("Worker stopped during task %s; queued again", db_task_result.id)
                requeue(db_task_result)
                raise
            except Exception as error:
                if isinstance(error, DatabaseError) and connection_lost(error):
                    logger.warning("Task %s lost its database connection; queued again", db_task_result.id)
                    self._once_connected(lambda: requeue(db_task_result))
                    return
                self._record(db_task_result, partial(db_task_result.set_failed, error))
            else:
                self._record(db_task_result, partial(db_task_result.set_successful, value))
            task_finished.send(sender=type(task.get_backend()), task_result=db_task_result.task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _record(self, db_task_result: DBTaskResult[Any, Any], save: Callable[[], object]) -> None:
        try:
            self._once_connected(save)
        except DatabaseError:
            # Recording the outcome failed because the row is gone: an erasure removed the user's task rows
            # while this one ran. Nothing is left to record; anything else is a real error.
            if DBTaskResult.objects.filter(id=db_task_result.id).exists():
                raise
            logger.info("Task %s was erased while it ran", db_task_result.id)

    def _once_connected(self, step: Callable[[], object]) -> None:
        once_connected(step, keep_trying=lambda: self.running)

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        last_reclaim = 0.0
        while self.running:
            close_old_connections()
            try:
                self.queue_periodic_work()
                if time.monotonic() - last_reclaim >= RECLAIM_EVERY:
                    reclaim_stale()
                    last_reclaim = time.monotonic()
                task_result = claim_next(self.ready_tasks(), self.worker_id)
            except OperationalError as error:
                if connection_lost(error):
                    # A claim whose answer was lost may have landed: put back what this worker holds.
                    logger.warning("Database connection lost while polling; waiting for it to come back")
                    _drop_connection()
                    self._once_connected(lambda: release_claims(self.worker_id))
                    continue
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
