"""Backups, drills and the full audit verification as recorded jobs: the commands and the worker's
periodic tasks run these, so each run leaves its evidence row (ops/models.py) whatever the outcome."""

from __future__ import annotations

import logging

from django.utils import timezone

from ops.actions import do_record_audit_verify, do_record_backup, do_record_drill
from ops.backup.drill import run_drill
from ops.backup.keys import BackupError
from ops.backup.make import make_backup
from ops.backup.retention import prune
from ops.backup.targets import configured_target
from ops.models import AuditVerifyRun, BackupRun, RestoreDrill
from privacy_rights.archive_verify import verify_everything

logger = logging.getLogger(__name__)


def _reason(error: Exception) -> str:
    # Our own errors carry a message written for operators; anything else only by its kind, since a
    # driver's message can quote a connection string.
    return str(error) if isinstance(error, BackupError) else type(error).__name__


def backup_now() -> tuple[BackupRun, list[str]]:
    started = timezone.now()
    try:
        target = configured_target()
        made = make_backup(target)
    except Exception as error:
        logger.exception("Backup failed")
        return do_record_backup("", started_at=started, ok=False, error=_reason(error)), []
    run = do_record_backup(
        made.name, started_at=started, ok=True, size=made.size, rows=made.rows, objects=made.objects
    )
    return run, prune(target)


def drill_now() -> RestoreDrill:
    started = timezone.now()
    try:
        result = run_drill()
    except Exception as error:
        logger.exception("Restore drill failed")
        return do_record_drill("", started_at=started, ok=False, error=_reason(error))
    return do_record_drill(
        result.backup_name,
        started_at=started,
        ok=True,
        rows=result.rows,
        objects=result.objects,
        chains=result.chains,
        erased_again=result.erased_again,
    )


def verify_audit_now() -> AuditVerifyRun:
    started = timezone.now()
    report = verify_everything()
    return do_record_audit_verify(
        started_at=started, chains=report.chains, events=report.live.events, broken=len(report.breaks)
    )
