"""Export and erasure requests: the actions behind Settings → Account → Export and Delete."""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import ErasureRequest, ExportRequest
from privacy_kernel.writes import write_action
from privacy_rights.erasure import erase_account
from privacy_rights.jobs import build_export
from privacy_rights.ledger import ledger_id


class ExportRateLimited(Exception):
    """The user asked for an export too recently; they may ask again at `next_at`."""

    def __init__(self, next_at: datetime) -> None:
        super().__init__(f"Next export allowed at {next_at.isoformat()}")
        self.next_at = next_at


def next_export_allowed_at(user: User) -> datetime | None:
    """When the user may request an export again, or None if they may now. Failed exports do not count."""
    since = timezone.now() - timedelta(hours=settings.EXPORT_RATE_LIMIT_HOURS)
    last = (
        ExportRequest.objects.filter(user=user, requested_at__gt=since)
        .exclude(status=ExportRequest.Status.FAILED)
        .order_by("-requested_at")
        .first()
    )
    return None if last is None else last.requested_at + timedelta(hours=settings.EXPORT_RATE_LIMIT_HOURS)


@write_action
def do_request_export(user: User, *, actor: Actor, rate_limited: bool = True) -> ExportRequest:
    """Queue the building of the user's export. `rate_limited=False` for a request received in writing."""
    # Lock the user's row so two clicks at once cannot both pass the rate limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if rate_limited and (next_at := next_export_allowed_at(user)) is not None:
        raise ExportRateLimited(next_at)
    export = ExportRequest.objects.create(user=user)
    audit.record(Event.EXPORT_REQUESTED, actor=actor, subject=user, target=export)
    # The queue is a table of this database: the task commits with the request or not at all, so a connection
    # lost after the commit cannot leave a request that nothing will build.
    build_export.enqueue(user_id=user.pk, export_id=export.pk)
    return export


@write_action
def do_download_export(export: ExportRequest, *, actor: Actor) -> None:
    """Count a download of the zip and record it."""
    ExportRequest.objects.filter(pk=export.pk).update(download_count=F("download_count") + 1)
    audit.record(
        Event.EXPORT_DOWNLOADED,
        actor=actor,
        subject=export.user,
        target=export,
        data={"size": export.size},
    )


@write_action
def do_refuse_export_download(export: ExportRequest, *, actor: Actor) -> None:
    """Someone signed in as another account opened this export's link: tell its owner, in their log."""
    audit.record(Event.EXPORT_DOWNLOAD_REFUSED, actor=actor, subject=export.user, target=export)


@write_action
def do_request_erasure(user: User, *, actor: Actor) -> ErasureRequest:
    """Lock the account at once, end every session, and queue the erasure of everything it holds.

    Locking (is_active off, the password made unusable) ends any session this misses too: Django's auth
    backends refuse an inactive user, and a changed password hash invalidates every session made with the
    old one. Asking twice returns the request already made.
    """
    existing = ErasureRequest.objects.filter(account_id=user.pk).first()
    if existing is not None:
        return existing
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password", "updated_at"])
    erasure = ErasureRequest.objects.create(
        account_id=user.pk, email=user.email, language=user.language, ledger_id=ledger_id(user)
    )
    audit.record(Event.ERASURE_REQUESTED, actor=actor, subject=user)
    for session in UserSession.objects.filter(user=user):
        session.end()
    # In the same transaction, as the export's: a locked account is always queued for erasure.
    erase_account.enqueue(erasure_id=erasure.pk)
    return erasure
