from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from applications.actions import do_change_status
from applications.models import Application, Status, StatusChange
from applications.tests.factories import add_application
from diary.actions import do_add_entry
from diary.models import DiaryEntry, Kind
from privacy_kernel.audit import Actor


def add_entry(
    user: User,
    text: str = "Called the hiring manager before applying.",
    *,
    kind: str = Kind.TRIED,
    outcome: str = "",
    application: Application | None = None,
    occurred_on: dt.date | None = None,
) -> DiaryEntry:
    return do_add_entry(
        user,
        kind=kind,
        text=text,
        outcome=outcome,
        application=application,
        occurred_on=occurred_on,
        actor=Actor.system("test"),
    )


def sent_application(
    user: User,
    *,
    sent_days_ago: int,
    reply_after_days: int | None = None,
    reply_status: str = "rejected",
    band: str = "",
    title: str = "Backend engineer",
) -> Application:
    """An application sent `sent_days_ago` days ago, answered `reply_after_days` later when given, made
    through the real actions and then moved back in time (the actions stamp today)."""
    application = add_application(user, title=title)
    do_change_status(application, Status.SENT, actor=Actor.system("test"))
    now = timezone.now()
    sent_at = now - dt.timedelta(days=sent_days_ago)
    Application.objects.filter(pk=application.pk).update(sent_at=sent_at, created_at=sent_at, band=band)
    if reply_after_days is not None:
        do_change_status(application, reply_status, actor=Actor.system("test"))
        StatusChange.objects.filter(application=application, new=reply_status).update(
            changed_at=sent_at + dt.timedelta(days=reply_after_days)
        )
    application.refresh_from_db()
    return application
