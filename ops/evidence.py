"""The Security page's evidence: the latest proof of each promise, read live from the records the code
leaves (ops/models.py, the export and erasure rows, the deletion ledger) and from the residency check.

Counts, times and names of places only: nothing here is about any one user.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import DurationField, ExpressionWrapper, F, Max
from django.utils import timezone

from ops.models import AuditVerifyRun, BackupRun, RestoreDrill
from ops.residency import findings
from privacy_kernel.models import DeletionLedger, ExportRequest

WINDOW = timedelta(days=30)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Longest:
    hours: float | None
    within_promise: bool


def _longest(queryset: Any, start: str, end: str, promise: timedelta) -> Longest:
    took = queryset.aggregate(
        longest=Max(ExpressionWrapper(F(end) - F(start), output_field=DurationField()))
    )["longest"]
    if took is None:
        return Longest(None, True)
    return Longest(took.total_seconds() / 3600, took <= promise)


def evidence() -> dict[str, Any]:
    """The evidence, or `evidence_unavailable` when the database cannot be read: the page still renders
    (it is how people learn what we promise) and says the proof could not be read, never a guess."""
    try:
        return _evidence()
    except DatabaseError:
        logger.warning("The Security page could not read its evidence from the database", exc_info=True)
        return {"evidence_unavailable": True}


def _evidence() -> dict[str, Any]:
    now = timezone.now()
    stale_after = timedelta(hours=settings.RESTORE_DRILL_MAX_AGE_HOURS)
    backup = BackupRun.objects.filter(ok=True).first()
    drill = RestoreDrill.objects.filter(ok=True).first()
    verify = AuditVerifyRun.objects.exclude(finished_at=None).first()
    found = findings()
    since = now - WINDOW
    return {
        "backups_configured": bool(settings.BACKUP_TARGET),
        "backup": backup,
        "backup_stale": backup is None
        or backup.finished_at is None
        or now - backup.finished_at > stale_after,
        "backup_keep_daily_days": settings.BACKUP_KEEP_DAILY_DAYS,
        "backup_keep_monthly_months": settings.BACKUP_KEEP_MONTHLY_MONTHS,
        "drill": drill,
        "drill_stale": drill is None or drill.finished_at is None or now - drill.finished_at > stale_after,
        "drill_max_age_hours": settings.RESTORE_DRILL_MAX_AGE_HOURS,
        "residency_checked": len(found),
        "residency_refused": [f.place for f in found if not f.allowed],
        "residency_regions": ", ".join(settings.RESIDENCY_REGIONS),
        "residency_suffixes": ", ".join(settings.RESIDENCY_HOST_SUFFIXES),
        "audit_verify": verify,
        "longest_export": _longest(
            ExportRequest.objects.filter(finished_at__gte=since).exclude(status=ExportRequest.Status.FAILED),
            "requested_at",
            "finished_at",
            timedelta(hours=settings.EXPORT_WITHIN_HOURS),
        ),
        "longest_erasure": _longest(
            DeletionLedger.objects.filter(erased_at__gte=since),
            "requested_at",
            "erased_at",
            timedelta(days=settings.ERASURE_WITHIN_DAYS),
        ),
    }
