"""Tasks the worker runs for the privacy app."""

from __future__ import annotations

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task()
def archive_audit_events() -> dict[str, int]:
    """The daily retention run, queued by the worker (ops/periodic.py): `manage.py audit_archive`."""
    from privacy.retention import ArchiveRunInProgress, run_retention

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
