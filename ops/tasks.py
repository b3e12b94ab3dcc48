"""The worker's scheduled backup, restore drill and full audit verification (queued by ops/periodic.py)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from ops.backup.jobs import backup_now, drill_now, verify_audit_now


@task()
def make_scheduled_backup() -> bool | None:
    if not settings.BACKUP_TARGET:
        return None  # no target configured (development): nothing to do, and /healthz says so in production
    run, _removed = backup_now()
    return run.ok


@task()
def run_scheduled_restore_drill() -> bool | None:
    if not settings.BACKUP_TARGET:
        return None
    return drill_now().ok


@task()
def verify_audit_chains() -> bool:
    return verify_audit_now().ok
