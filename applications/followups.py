"""The follow-up digest: one email per user listing the applications whose follow-up is due.

It names titles and companies only, never letter content: email leaves our infrastructure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from applications.models import AWAITING_ANSWER, Application
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event


def due_applications(today: dt.date) -> dict[User, list[Application]]:
    due = (
        Application.objects.filter(
            status__in=AWAITING_ANSWER,
            follow_up_on__lte=today,
            follow_up_done_at__isnull=True,
            user__is_active=True,
        )
        # Once a day at most, even if the command runs more often.
        .exclude(follow_up_notified_on=today)
        .select_related("user")
        .order_by("user_id", "follow_up_on", "id")
    )
    by_user: dict[User, list[Application]] = defaultdict(list)
    for application in due:
        by_user[application.user].append(application)
    return by_user


def _mark_and_send(user: User, applications: list[Application], today: dt.date, email: EmailMessage) -> None:
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(follow_up_notified_on=today)
    audit.record(
        Event.FOLLOW_UP_DIGEST_SENT,
        actor=Actor.system("follow_up_digest"),
        subject=user,
        data={"applications": [a.pk for a in applications]},
    )
    # Sent inside the transaction: if the mail server refuses, the marks roll back; tomorrow retries.
    email.send()


def send_digests(today: dt.date | None = None) -> int:
    """Send today's digests; returns how many emails went out."""
    today = today or timezone.localdate()
    sent = 0
    for user, applications in due_applications(today).items():
        with translation.override(user.language):
            context = {
                "user": user,
                "applications": applications,
                "board_url": settings.SITE_URL + reverse("applications:board"),
            }
            subject = render_to_string("applications/email/follow_up_subject.txt", context).strip()
            body = render_to_string("applications/email/follow_up_body.txt", context)
        writes.run(_mark_and_send, user, applications, today, EmailMessage(subject, body, to=[user.email]))
        sent += 1
    return sent
