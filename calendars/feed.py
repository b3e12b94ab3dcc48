"""The private feed's content: deadlines, follow-ups and interviews, with titles, companies and times and
nothing else (no notes, no letters, no replies, no event descriptions)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application
from calendars.ics import FeedItem
from calendars.models import CalendarEvent


def _label(application: Application) -> str:
    if application.company:
        return f"{application.title} — {application.company}"
    return application.title


def items(user: User) -> Iterator[FeedItem]:
    zone = user.zone
    applications = Application.objects.filter(user=user).filter(
        Q(deadline__isnull=False) | Q(follow_up_on__isnull=False, follow_up_done_at__isnull=True)
    )
    rows = applications.only("id", "title", "company", "deadline", "follow_up_on", "follow_up_done_at")
    for application in rows.order_by("pk").iterator(chunk_size=500):
        if application.deadline is not None:
            yield FeedItem(
                uid=f"deadline-{application.pk}@omoikane",
                summary=_("Deadline: %(what)s") % {"what": _label(application)},
                starts=application.deadline,
            )
        if application.follow_up_on is not None and application.follow_up_done_at is None:
            yield FeedItem(
                uid=f"follow-up-{application.pk}@omoikane",
                summary=_("Follow up: %(what)s") % {"what": _label(application)},
                starts=application.follow_up_on,
            )
    interviews = (
        CalendarEvent.objects.filter(connection__user=user, application__isnull=False)
        .select_related("application")
        .only("id", "uid", "recurrence_id", "starts_at", "ends_at", "all_day", "application__title",
              "application__company")
        .order_by("starts_at", "pk")
    )  # fmt: skip
    for event in interviews.iterator(chunk_size=500):
        if event.application is None:  # filtered out above; this tells the type checker
            continue
        yield FeedItem(
            uid=f"interview-{event.pk}@omoikane",
            summary=_("Interview: %(what)s") % {"what": _label(event.application)},
            starts=event.starts_at.astimezone(zone).date() if event.all_day else event.starts_at,
            ends=None if event.all_day else event.ends_at,
        )
