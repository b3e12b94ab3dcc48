"""The weekly review email: what happened this week, what is due, and one suggestion grounded in the
insights (or none, when the data support none). Opt-in (ReviewSettings), in the user's language.

It names titles and companies only, never letter or diary text: email leaves our infrastructure.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from applications.models import AWAITING_ANSWER, Application
from diary import insights
from diary.models import Approach, ReviewSettings
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

WEEK = dt.timedelta(days=7)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Review:
    sent: list[insights.Record]
    replied: list[insights.Record]
    due: list[Application]
    suggestion: str | None


def review_of(user: User, today: dt.date) -> Review:
    """Call inside the user's language: the suggestion is a sentence in it."""
    found = insights.compute(user, Approach.objects.filter(user=user), today)
    since = today - WEEK
    due = Application.objects.filter(
        user=user, status__in=AWAITING_ANSWER, follow_up_on__lte=today, follow_up_done_at__isnull=True
    ).order_by("follow_up_on", "id")
    return Review(
        sent=[r for r in found.records if r.sent is not None and r.sent > since],
        replied=[r for r in found.records if r.first_reply is not None and r.first_reply > since],
        due=list(due),
        suggestion=insights.suggestion(found),
    )


@write_action
def do_send_weekly_review(user: User, *, today: dt.date, email: EmailMessage) -> None:
    ReviewSettings.objects.filter(user=user).update(last_sent_on=today)
    audit.record(Event.WEEKLY_REVIEW_SENT, actor=Actor.system("weekly_review"), subject=user)
    # Sent inside the transaction: if the mail server refuses, the mark rolls back and the next run retries.
    email.send()


def send_weekly_reviews(today: dt.date | None = None) -> int:
    """Send the reviews due today (one a week per user who asked); returns how many went out."""
    today = today or timezone.localdate()
    due = ReviewSettings.objects.filter(weekly_review=True, user__is_active=True).filter(
        Q(last_sent_on__isnull=True) | Q(last_sent_on__lte=today - WEEK)
    )
    sent = 0
    for row in due.select_related("user").order_by("user_id"):
        user = row.user
        with translation.override(user.language):
            context = {
                "user": user,
                "review": review_of(user, today),
                "insights_url": settings.SITE_URL + reverse("diary:insights"),
            }
            subject = render_to_string("diary/email/weekly_review_subject.txt", context).strip()
            body = render_to_string("diary/email/weekly_review_body.txt", context)
        try:
            do_send_weekly_review(user, today=today, email=EmailMessage(subject, body, to=[user.email]))
        except (smtplib.SMTPException, OSError):
            # The mark rolled back with the failed send: tomorrow's run tries again. One address the
            # server refuses must not hold up everyone else's review.
            logger.warning("The weekly review to user %s could not be sent", user.pk, exc_info=True)
            continue
        sent += 1
    return sent
