"""Periodic work the worker queues itself, at most once per interval across every worker: audit archiving,
the LLM trace retention, the removal of expired export zips, backups and the weekly review emails.

The worker asks `enqueue_due()` now and then while idle (ops/worker.py). Whether a job is due is one
cache.add on the shared database cache: the key exists for the job's interval after a worker queued it, so
of many workers only the first queues it, and a restart does not queue it again. The jobs themselves must
be idempotent: a cleared cache only means one extra run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from coach.tasks import purge_old_traces
from diary.tasks import send_weekly_review_emails
from ops.tasks import make_scheduled_backup, run_scheduled_restore_drill, verify_audit_chains
from privacy_rights.jobs import expire_old_exports
from privacy_rights.retention import archive_audit_events
from privacy_rights.scrub import scrub_if_erased_recently


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    enqueue: Callable[[], object]


def _archive_audit_events() -> object:
    return archive_audit_events.enqueue()


def _purge_old_traces() -> object:
    return purge_old_traces.enqueue()


def _expire_old_exports() -> object:
    return expire_old_exports.enqueue()


def _scrub_if_erased_recently() -> object:
    return scrub_if_erased_recently.enqueue()


def _make_backup() -> object:
    return make_scheduled_backup.enqueue()


def _restore_drill() -> object:
    return run_scheduled_restore_drill.enqueue()


def _verify_audit_chains() -> object:
    return verify_audit_chains.enqueue()


def _send_weekly_reviews() -> object:
    return send_weekly_review_emails.enqueue()


# The retention promises, kept by the worker itself: `make run` needs no timer for them.
JOBS = [
    Periodic("archive_audit_events", timedelta(days=1), _archive_audit_events),
    Periodic("purge_old_traces", timedelta(days=1), _purge_old_traces),
    Periodic("expire_old_exports", timedelta(hours=1), _expire_old_exports),
    # Erased data out of the database files: a safety net for the run each erasure queues.
    Periodic("scrub_if_erased_recently", timedelta(days=1), _scrub_if_erased_recently),
    # The durability promises' evidence: a backup and a drill of it each day, and a full chain check.
    Periodic("make_scheduled_backup", timedelta(days=1), _make_backup),
    Periodic("run_scheduled_restore_drill", timedelta(days=1), _restore_drill),
    Periodic("verify_audit_chains", timedelta(days=1), _verify_audit_chains),
    # Daily, so a review is never more than a day late; send_weekly_reviews sends each user one a week.
    Periodic("send_weekly_reviews", timedelta(days=1), _send_weekly_reviews),
]


def enqueue_due(jobs: list[Periodic] | None = None) -> list[str]:
    """Queue every job not queued within its interval; the names of those queued."""
    queued = []
    for job in JOBS if jobs is None else jobs:
        if cache.add(
            f"omoikane:periodic:{job.name}", timezone.now().isoformat(), timeout=job.every.total_seconds()
        ):
            job.enqueue()
            queued.append(job.name)
    return queued
