"""Tasks the worker runs for the privacy app: the daily audit retention, export and erasure. Each is safe to
run again after a crash (see their modules)."""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task

logger = logging.getLogger(__name__)


@task()
def archive_audit_events() -> dict[str, int]:
    """The daily retention run, queued by the worker (ops/periodic.py): `manage.py audit_archive`."""
    from privacy_rights.retention import ArchiveRunInProgress, run_retention

    try:
        report = run_retention()
    except ArchiveRunInProgress:
        logger.info("Audit archiving skipped: another run is in progress.")
        return {}
    return {
        "archived_events": report.archived_events,
        "objects_written": report.objects_written,
        "leftover_events_deleted": report.leftover_events_deleted,
        "expired_objects": report.expired_objects,
        "orphaned_objects": report.orphaned_objects,
        "refused_chains": len(report.refused),
    }


@task()
def build_export(*, user_id: int, export_id: int) -> str:
    from privacy_rights.jobs import run_export

    return run_export(export_id)


@task()
def erase_account(*, erasure_id: int) -> dict[str, Any]:
    """Erase one account. It takes the ErasureRequest's id, not `user_id` (unlike every other task): its
    own row must not be found, and deleted, with the user's task rows while it runs, and it ends up
    holding only this number, which then points nowhere, and the counts."""
    from privacy_rights.erasure import run_erasure

    return run_erasure(erasure_id)


@task()
def expire_old_exports() -> int:
    """Delete the zips whose download link has expired, queued hourly by the worker (ops/periodic.py)."""
    from privacy_rights.jobs import expire_exports

    return expire_exports()
