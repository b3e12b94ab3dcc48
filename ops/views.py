from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult

from omoikane.replication import replication_state
from ops.models import RestoreDrill
from privacy_kernel.audit import public
from privacy_kernel.models import ErasureRequest, ExportRequest


def _check_database() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _check_storage() -> dict[str, object]:
    # exists() on a name that is never written: a round trip to the backend without touching user files.
    default_storage.exists("healthz/probe")
    return {"ok": True}


def _check_task_queue() -> dict[str, object]:
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    waiting_seconds = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    return {"ok": True, "ready": ready.count(), "oldest_ready_seconds": waiting_seconds}


def _check_privacy_deadlines() -> dict[str, object]:
    """The Security page's deadlines, held against the work in hand: an export not ready within
    EXPORT_WITHIN_HOURS, or an erasure not finished within ERASURE_WITHIN_DAYS, fails the check (and so
    pages whoever watches it) before the promise is broken for long."""
    now = timezone.now()
    late_exports = ExportRequest.objects.filter(
        status__in=(ExportRequest.Status.PENDING, ExportRequest.Status.RUNNING),
        requested_at__lt=now - timedelta(hours=settings.EXPORT_WITHIN_HOURS),
    ).count()
    # An ErasureRequest row lives only until its receipt is sent: any row this old is an erasure running late.
    late_erasures = ErasureRequest.objects.filter(
        requested_at__lt=now - timedelta(days=settings.ERASURE_WITHIN_DAYS)
    ).count()
    return {
        "ok": late_exports == 0 and late_erasures == 0,
        "exports_late": late_exports,
        "erasures_late": late_erasures,
    }


def _check_replication() -> dict[str, object]:
    """Copies of every committed write, read live from the database (omoikane/replication.py): fewer than
    REPLICATION_FACTOR, the number the Security page promises, fails the check."""
    return replication_state(settings.REPLICATION_FACTOR).as_dict()


def _check_restore_drill() -> dict[str, object]:
    """Backups are only as good as the last restore that worked: older than RESTORE_DRILL_MAX_AGE_HOURS
    fails. Without a BACKUP_TARGET there are no backups at all, which only development may run with."""
    if not settings.BACKUP_TARGET:
        return {"ok": not settings.PRODUCTION, "configured": False}
    last = RestoreDrill.objects.filter(ok=True).values_list("finished_at", flat=True).first()
    age = int((timezone.now() - last).total_seconds()) if last else None
    limit = settings.RESTORE_DRILL_MAX_AGE_HOURS * 3600
    return {"ok": age is not None and age <= limit, "configured": True, "last_success_seconds": age}


CHECKS = {
    "database": _check_database,
    "replication": _check_replication,
    "storage": _check_storage,
    "task_queue": _check_task_queue,
    "privacy_deadlines": _check_privacy_deadlines,
    "restore_drill": _check_restore_drill,
}


@never_cache
@require_safe
@public(
    "reachability of the database, storage and task queue, copies of each write, late exports and erasures;"
    " counts only"
)
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            results[name] = check()
        except Exception as error:  # a health endpoint reports failures, it does not raise them
            results[name] = {"ok": False, "error": type(error).__name__}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    healthy = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results}, status=200 if healthy else 503
    )


@never_cache
@require_safe
@public("whether this app server answers and reaches its database, for the edge's health check; no data")
def live(request: HttpRequest) -> JsonResponse:
    """What a load balancer needs to know: can this host serve a request now. The durability promises that
    /healthz also reports (copies of each write, the last restore drill, late exports) are the same on
    every app host; taking hosts out of the pool for them would turn a stale drill into an outage."""
    try:
        ok = bool(_check_database()["ok"])
    except Exception:  # a health endpoint reports failures, it does not raise them
        ok = False
    return JsonResponse({"status": "ok" if ok else "failing"}, status=200 if ok else 503)
