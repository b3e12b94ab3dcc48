"""The export job: build the zip, keep it in the archive storage, email the link.

Safe to run again at any point (a worker that dies mid-export leaves its task RUNNING; ops.worker queues it
again): the zip's name is stored before the zip is written, so a half-written zip of a dead attempt is
always referenced, and the next attempt deletes it before writing a new one.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from omoikane.storage import new_object_name
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import ExportRequest
from privacy_rights.export import write_export

logger = logging.getLogger(__name__)
Status = ExportRequest.Status


def retry_later(task: Any, attempt: int, **kwargs: Any) -> None:
    """Queue `task` again after a pause that grows with the attempt number (at most an hour)."""
    delay = timedelta(seconds=min(settings.PRIVACY_JOB_RETRY_SECONDS * attempt, 3600))
    task.using(run_after=timezone.now() + delay).enqueue(**kwargs)


def send_template_email(template: str, context: dict[str, Any], *, to: str, language: str) -> None:
    with translation.override(language):
        subject = render_to_string(f"privacy_rights/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"privacy_rights/email/{template}_body.txt", context)
    EmailMessage(subject, body, to=[to]).send()


def run_export(export_id: int) -> str:
    """Build and announce one export; returns its status."""
    export = ExportRequest.objects.select_related("user").filter(pk=export_id).first()
    if export is None:
        return "gone"
    if not export.user.is_active:
        # The account is being erased: nothing new may be written about it.
        return "account locked"
    if export.status == Status.FAILED:
        return str(export.status)
    if export.status != Status.READY:
        _build(export)
    if export.status == Status.READY and export.emailed_at is None:
        _announce(export)
    return str(export.status)


def _build(export: ExportRequest) -> None:
    storage = export.file.storage
    if export.file.name:
        storage.delete(export.file.name)
    name = new_object_name("exports", "zip")
    ExportRequest.objects.filter(pk=export.pk).update(
        status=Status.RUNNING, attempts=F("attempts") + 1, file=name, error=""
    )
    export.refresh_from_db()
    try:
        saved, size = write_export(export.user, storage, name)
    except Exception as error:
        storage.delete(name)
        _failed(export, error)
        raise
    if not writes.run(_mark_ready, export, saved, size):
        # The request went away while the zip was being built (the account was erased): so does the zip.
        storage.delete(saved)
        return
    export.refresh_from_db()


def _mark_ready(export: ExportRequest, saved: str, size: int) -> bool:
    """Whether the request was still there to be marked ready."""
    now = timezone.now()
    updated = ExportRequest.objects.filter(pk=export.pk).update(
        status=Status.READY,
        file=saved,
        size=size,
        finished_at=now,
        expires_at=now + timedelta(days=settings.EXPORT_LINK_DAYS),
    )
    if updated:
        audit.record(
            Event.EXPORT_READY,
            actor=Actor.system("export"),
            subject=export.user,
            target=export,
            data={"size": size},
        )
    return bool(updated)


def _mark_failed(export: ExportRequest, kind: str) -> None:
    ExportRequest.objects.filter(pk=export.pk).update(
        status=Status.FAILED, error=kind, file="", finished_at=timezone.now()
    )
    audit.record(Event.EXPORT_FAILED, actor=Actor.system("export"), subject=export.user, target=export)


def _failed(export: ExportRequest, error: Exception) -> None:
    # The exception's kind only: its message could quote the user's data.
    kind = type(error).__name__[:200]
    logger.warning("Export %s failed on attempt %d: %s", export.pk, export.attempts, kind)
    if export.attempts < settings.EXPORT_ATTEMPTS:
        ExportRequest.objects.filter(pk=export.pk).update(status=Status.PENDING, error=kind, file="")
        retry_later(build_export, export.attempts, user_id=export.user_id, export_id=export.pk)
        return
    writes.run(_mark_failed, export, kind)
    user = export.user
    send_template_email(
        "export_failed",
        {"user": user, "page_url": settings.SITE_URL + reverse("privacy:export")},
        to=user.email,
        language=user.language,
    )


def _announce(export: ExportRequest) -> None:
    user = export.user
    send_template_email(
        "export_ready",
        {
            "user": user,
            "export": export,
            "download_url": settings.SITE_URL + reverse("privacy:export_download", args=[export.pk]),
            "days": settings.EXPORT_LINK_DAYS,
        },
        to=user.email,
        language=user.language,
    )
    ExportRequest.objects.filter(pk=export.pk).update(emailed_at=timezone.now())
    export.refresh_from_db()


def expire_exports() -> int:
    """Delete the zips of exports whose link has expired; the rows stay, so the page can say so."""
    expired = ExportRequest.objects.filter(expires_at__lte=timezone.now()).exclude(file="")
    removed = 0
    for export in expired.iterator():
        if export.file.name:
            export.file.storage.delete(export.file.name)
        ExportRequest.objects.filter(pk=export.pk).update(file="")
        removed += 1
    return removed


# --- The tasks the worker runs: each is safe to run again after a crash --------------------------------


@task()
def build_export(*, user_id: int, export_id: int) -> str:
    return run_export(export_id)


@task()
def expire_old_exports() -> int:
    """Delete the zips whose download link has expired, queued hourly by the worker (ops/periodic.py)."""
    return expire_exports()
