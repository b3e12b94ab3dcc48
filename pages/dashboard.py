"""What a signed-in user's home page shows: what is due, what is in progress, what came in, and for a new
account the first three steps. Each part is one bounded query, so the page costs the same for an account
with five applications as for one with five thousand (pages/tests/test_dashboard.py holds the budget)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications.models import AWAITING_ANSWER, Application, Reply, Status
from calendars.models import CalendarEvent
from diary.models import DiaryEntry
from diary.models import Kind as DiaryKind
from materials.models import Material

# "This week": today and the six days after it.
WEEK_DAYS = 7
# How many rows each list shows; the board, the table and the diary hold the rest.
LIST_LIMIT = 8
RECENT_LIMIT = 5


@dataclass(frozen=True)
class DueItem:
    on: dt.date
    what: Promise | str
    application: Application | None
    text: str = ""
    # The time, for what happens at one (a calendar event); None for what is due on a day.
    at: dt.datetime | None = None

    @property
    def overdue(self) -> bool:
        return self.on < timezone.localdate()


@dataclass(frozen=True)
class FirstStep:
    label: Promise | str
    url_name: str
    done: bool


@dataclass
class Dashboard:
    today: list[DueItem] = field(default_factory=list)
    this_week: list[DueItem] = field(default_factory=list)
    drafting: list[Application] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    recent: list[Application] = field(default_factory=list)
    steps: list[FirstStep] = field(default_factory=list)

    @property
    def steps_done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def is_new(self) -> bool:
        return self.steps_done < len(self.steps)


_CARD_FIELDS = ("id", "title", "company", "status", "score", "band", "deadline", "follow_up_on", "updated_at")


def build(user: Any) -> Dashboard:
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=WEEK_DAYS - 1)
    mine = Application.objects.owned_by(user)
    due: list[DueItem] = []
    # Follow-ups: overdue ones too, they are what most needs doing.
    for application in (
        mine.filter(status__in=AWAITING_ANSWER, follow_up_done_at__isnull=True, follow_up_on__lte=week_end)
        .only(*_CARD_FIELDS)
        .order_by("follow_up_on")[:LIST_LIMIT]
    ):
        due.append(DueItem(application.follow_up_on or today, _("Follow up"), application))
    # Deadlines matter only while the letter is not sent yet.
    for application in (
        mine.filter(status__in=(Status.SAVED, Status.DRAFTING), deadline__gte=today, deadline__lte=week_end)
        .only(*_CARD_FIELDS)
        .order_by("deadline")[:LIST_LIMIT]
    ):
        due.append(DueItem(application.deadline or today, _("Deadline"), application))
    for entry in (
        DiaryEntry.objects.owned_by(user)
        .filter(kind=DiaryKind.INTERVIEW, occurred_on__gte=today, occurred_on__lte=week_end)
        .select_related("application")
        .only("id", "text", "occurred_on", *(f"application__{name}" for name in _CARD_FIELDS))
        .order_by("occurred_on")[:LIST_LIMIT]
    ):
        due.append(DueItem(entry.occurred_on, _("Interview"), entry.application, entry.text))
    # Events of the connected calendars this week, in the user's time zone; one already under way counts as
    # today (never overdue: it is happening, not missed).
    zone = user.zone
    now = timezone.now()
    week_end_at = dt.datetime.combine(week_end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    for event in (
        CalendarEvent.objects.owned_by(user)
        .filter(ends_at__gte=now, starts_at__lt=week_end_at)
        .select_related("application")
        .only("id", "summary", "starts_at", "all_day", *(f"application__{name}" for name in _CARD_FIELDS))
        .order_by("starts_at")[:LIST_LIMIT]
    ):
        local = event.starts_at.astimezone(zone)
        due.append(
            DueItem(
                max(local.date(), today),
                _("Calendar"),
                event.application,
                event.summary,
                at=None if event.all_day else local,
            )
        )
    due.sort(key=lambda item: (item.on, item.at is not None, item.at or now))
    board = Dashboard(
        today=[item for item in due if item.on <= today],
        this_week=[item for item in due if item.on > today],
    )
    board.drafting = list(
        mine.filter(status=Status.DRAFTING).only(*_CARD_FIELDS).order_by("-updated_at")[:LIST_LIMIT]
    )
    board.replies = list(
        Reply.objects.owned_by(user)
        .filter(confirmed_at__isnull=True)
        .select_related("application")
        .only(
            "id",
            "suggested_kind",
            "received_at",
            "application__id",
            "application__title",
            "application__company",
        )
        .order_by("-received_at")[:LIST_LIMIT]
    )
    board.recent = list(mine.only(*_CARD_FIELDS).order_by("-updated_at")[:RECENT_LIMIT])
    kinds = set(Material.objects.owned_by(user).order_by().values_list("kind", flat=True).distinct())
    has_application = bool(board.recent)
    board.steps = [
        FirstStep(_("Add your CV"), "materials:list", Material.Kind.CV in kinds),
        FirstStep(
            _("Add a letter you wrote before"),
            "materials:list",
            Material.Kind.LETTER in kinds,
        ),
        FirstStep(_("Add a job posting"), "applications:add", has_application),
    ]
    return board
