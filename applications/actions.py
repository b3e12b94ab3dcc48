"""Every change to a user's applications goes through these actions, and each writes its audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from applications.fit import do_request_score, do_rescore, queue_score
from applications.models import AWAITING_ANSWER, Application, Reply, Status, StatusChange
from coach.requirements import suspicious_lines
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

# Scoring lives in applications.fit (the worker runs it); these are the names callers know it by.
__all__ = ["do_request_score", "do_rescore"]


@dataclass(frozen=True)
class PostingData:
    """What we know of a posting: read from a page, a paste, or typed in by the user."""

    title: str
    posting_text: str
    company: str = ""
    location: str = ""
    language: str = ""
    deadline: dt.date | None = None
    source_url: str = ""
    employment_type: str = ""
    found_in: str = "pasted"
    posted_on: dt.date | None = None


@write_action
def do_add_application(user: User, posting: PostingData, *, actor: Actor) -> Application:
    """Save a posting as an application in 'saved'; the worker computes its first fit score (fit.py)."""
    application = Application.objects.create(
        user=user,
        title=posting.title[:300],
        company=posting.company[:200],
        location=posting.location[:200],
        language=posting.language[:8],
        deadline=posting.deadline,
        posted_on=posting.posted_on,
        source_url=posting.source_url[:2000],
        employment_type=posting.employment_type,
        posting_text=posting.posting_text,
        found_in=posting.found_in,
        suspicious_lines=suspicious_lines(posting.posting_text),
        scoring=Application.Scoring.QUEUED,
    )
    audit.record(
        Event.APPLICATION_ADDED,
        actor=actor,
        subject=user,
        target=application,
        data={"found_in": posting.found_in, "has_source_url": bool(posting.source_url)},
    )
    queue_score(application)
    return application


@write_action
def do_edit_posting(application: Application, changes: dict[str, Any], *, actor: Actor) -> None:
    """Correct the posting's fields; the worker scores a changed text again (fit.py)."""
    changed = [name for name, value in changes.items() if getattr(application, name) != value]
    if not changed:
        return
    fields = list(changed)
    for name in changed:
        setattr(application, name, changes[name])
    rescore = "posting_text" in changed
    if rescore:
        application.suspicious_lines = suspicious_lines(changes["posting_text"])
        fields.append("suspicious_lines")
    application.save(update_fields=[*fields, "updated_at"])
    audit.record(
        Event.APPLICATION_EDITED,
        actor=actor,
        subject=application.user,
        target=application,
        data={"fields": sorted(fields)},
    )
    if rescore:
        queue_score(application)


@write_action
def do_change_status(application: Application, status: str, *, actor: Actor, reason: str = "") -> None:
    """Move an application along the pipeline and keep the history."""
    if status == application.status:
        return
    now = timezone.now()
    StatusChange.objects.create(
        application=application, old=application.status, new=status, changed_at=now, reason=reason
    )
    old, application.status, application.status_changed_at = application.status, status, now
    fields = ["status", "status_changed_at", "updated_at"]
    if status == Status.SENT:
        application.sent_at = application.sent_at or now
        if application.follow_up_on is None:
            application.follow_up_on = timezone.localdate() + dt.timedelta(days=settings.FOLLOW_UP_AFTER_DAYS)
        application.follow_up_done_at = None
        fields += ["sent_at", "follow_up_on", "follow_up_done_at"]
    application.save(update_fields=fields)
    audit.record(
        Event.APPLICATION_STATUS_CHANGED,
        actor=actor,
        subject=application.user,
        target=application,
        data={"old": old, "new": status, "reason": reason},
    )


@write_action
def do_update_notes(application: Application, notes: str, *, actor: Actor) -> None:
    if notes == application.notes:
        return
    application.notes = notes
    application.save(update_fields=["notes", "updated_at"])
    audit.record(
        Event.APPLICATION_NOTES_EDITED,
        actor=actor,
        subject=application.user,
        target=application,
        data={"length": len(notes)},
    )


@write_action
def do_set_follow_up(
    application: Application,
    *,
    actor: Actor,
    on: dt.date | None = None,
    snooze_days: int = 0,
    done: bool = False,
) -> None:
    """Set the follow-up date, push it back, or mark it done."""
    if done:
        application.follow_up_done_at = timezone.now()
        change: dict[str, Any] = {"done": True}
    else:
        application.follow_up_on = on or timezone.localdate() + dt.timedelta(days=snooze_days)
        application.follow_up_done_at = None
        change = {"on": application.follow_up_on.isoformat(), "snoozed_days": snooze_days}
    application.save(update_fields=["follow_up_on", "follow_up_done_at", "updated_at"])
    audit.record(
        Event.FOLLOW_UP_CHANGED, actor=actor, subject=application.user, target=application, data=change
    )


@write_action
def do_delete_application(application: Application, *, actor: Actor) -> None:
    # The sent letters' PDFs go before the rows, as materials' files do: a retry finds what is left.
    for sent in application.sent_versions.exclude(pdf=""):
        writes.delete_file(sent.pdf)
    audit.record(
        Event.APPLICATION_DELETED,
        actor=actor,
        subject=application.user,
        target=application,
        data={"status": application.status},
    )
    application.delete()


@write_action
def do_add_reply(application: Application, reply: Reply, *, actor: Actor) -> Reply:
    """Keep a reply from the employer; its kind stays a suggestion until the user confirms it."""
    reply.application = application
    if reply.sent_version_id is None:
        # A reply answers the letter sent last; the page links the two.
        reply.sent_version = application.sent_versions.first()
    reply.save()
    audit.record(
        Event.REPLY_ADDED,
        actor=actor,
        subject=application.user,
        target=reply,
        data={"suggested_kind": reply.suggested_kind},
    )
    return reply


# The status a confirmed reply moves its application to; the other kinds (a request for information,
# anything else) leave the status as it is.
SUGGESTED_STATUS = {
    Reply.Kind.REJECTION: Status.REJECTED,
    Reply.Kind.INTERVIEW: Status.INTERVIEWING,
    Reply.Kind.OFFER: Status.OFFER,
}


@write_action
def do_confirm_reply(reply: Reply, kind: str, *, actor: Actor) -> None:
    """The user says what the reply is; the application's status follows, and a due follow-up is done."""
    application = reply.application
    reply.kind, reply.confirmed_at = kind, timezone.now()
    reply.save(update_fields=["kind", "confirmed_at"])
    audit.record(
        Event.REPLY_CONFIRMED,
        actor=actor,
        subject=application.user,
        target=reply,
        data={"kind": kind, "suggested_kind": reply.suggested_kind},
    )
    if application.status in AWAITING_ANSWER and application.follow_up_done_at is None:
        application.follow_up_done_at = timezone.now()
        application.save(update_fields=["follow_up_done_at", "updated_at"])
    new_status = SUGGESTED_STATUS.get(Reply.Kind(kind))
    if new_status is not None:
        do_change_status(application, new_status, actor=actor, reason="reply")


@write_action
def do_delete_reply(reply: Reply, *, actor: Actor) -> None:
    audit.record(Event.REPLY_DELETED, actor=actor, subject=reply.application.user, target=reply.application)
    reply.delete()
