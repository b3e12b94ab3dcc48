from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from coach.indexing import enqueue_stale
from ops.worker import ClaimingWorker, once_connected


class Command(db_worker.Command):
    """django-tasks-db's worker command and options, running our ClaimingWorker."""

    help = "Run the task worker (claims work with a conditional UPDATE; safe on YugabyteDB)."

    def _enqueue_stale(self) -> None:
        queued = enqueue_stale()
        if queued:
            self.stdout.write(f"Queued re-embedding for {queued} user(s) with chunks from another model.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        # A new embedding model ships with a deploy; the first worker to start queues the re-embedding of
        # every user whose chunks the old one made, so search keeps comparing like with like.
        # A worker started while the database fails over waits for it rather than exits.
        once_connected(self._enqueue_stale)
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ClaimingWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
