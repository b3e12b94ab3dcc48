"""Every change to a user's diary goes through these actions, and each writes its audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from applications.models import Application
from diary.models import Approach, ApproachUse, DiaryEntry, EntryApproach, Kind, ReviewSettings
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

MAX_TEXT_CHARS = 5_000
# Interviews are planned ahead, so a date in the coming year is fine; one further out is a typo.
MAX_DAYS_AHEAD = 366
EARLIEST = dt.date(1970, 1, 1)


class DiaryError(ValueError):
    """Input an entry cannot be saved with. `message` is shown to the user as is."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


def check_text(text: str, *, required: bool = True) -> str:
    text = text.strip()
    if required and not text:
        raise DiaryError(_("Write what happened."))
    if len(text) > MAX_TEXT_CHARS:
        raise DiaryError(_("Keep it under %(max)d characters.") % {"max": MAX_TEXT_CHARS})
    return text


def check_date(day: dt.date) -> dt.date:
    latest = timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD)
    if day > latest:
        raise DiaryError(_("That date is more than a year ahead. Check the year."))
    if day < EARLIEST:
        raise DiaryError(_("That date is too far in the past. Check the year."))
    return day


def _check(
    user: User, kind: str, application: Application | None, approaches: Sequence[Approach] = ()
) -> None:
    if kind not in Kind.values:
        raise DiaryError(_("Choose one of the listed kinds."))
    # Views fetch applications through owned_by(); this keeps any other caller honest too.
    if application is not None and application.user_id != user.pk:
        raise DiaryError(_("Choose one of your applications."))
    if any(approach.user_id != user.pk for approach in approaches):
        raise DiaryError(_("Choose among your approaches."))


@write_action
def do_add_entry(
    user: User,
    *,
    kind: str,
    text: str,
    application: Application | None = None,
    occurred_on: dt.date | None = None,
    outcome: str = "",
    approaches: Sequence[Approach] = (),
    actor: Actor,
) -> DiaryEntry:
    """Write a diary entry. Other parts call it too: a letter sent, an interview from the calendar."""
    _check(user, kind, application, approaches)
    text, outcome = check_text(text), check_text(outcome, required=False)
    occurred_on = check_date(occurred_on or timezone.localdate())
    entry = DiaryEntry.objects.create(
        user=user, application=application, kind=kind, text=text, outcome=outcome, occurred_on=occurred_on
    )
    chosen = sorted({approach.pk for approach in approaches})
    EntryApproach.objects.bulk_create([EntryApproach(entry=entry, approach_id=pk) for pk in chosen])
    audit.record(
        Event.DIARY_ENTRY_ADDED,
        actor=actor,
        subject=user,
        target=entry,
        # Which approaches by id only: their names are the user's words.
        data={"kind": kind, "application": application.pk if application else None}
        | ({"approaches": chosen} if chosen else {}),
    )
    return entry


@write_action
def do_edit_entry(
    entry: DiaryEntry,
    *,
    kind: str,
    text: str,
    outcome: str,
    occurred_on: dt.date,
    application: Application | None,
    approaches: Sequence[Approach] | None = None,
    actor: Actor,
) -> None:
    """`approaches`: the entry's tags as they should be; None leaves them as they are."""
    _check(entry.user, kind, application, approaches or ())
    values = {
        "kind": kind,
        "text": check_text(text),
        "outcome": check_text(outcome, required=False),
        "occurred_on": check_date(occurred_on),
        "application_id": application.pk if application else None,
    }
    fields = [name for name, value in values.items() if getattr(entry, name) != value]
    for name in fields:
        setattr(entry, name, values[name])
    changed = [name.removesuffix("_id") for name in fields]
    if changed:
        entry.save(update_fields=changed)
    if approaches is not None:
        wanted = {approach.pk for approach in approaches}
        tags = EntryApproach.objects.filter(entry=entry)
        present = set(tags.values_list("approach_id", flat=True))
        if wanted != present:
            tags.filter(approach_id__in=present - wanted).delete()
            EntryApproach.objects.bulk_create(
                [EntryApproach(entry=entry, approach_id=pk) for pk in sorted(wanted - present)]
            )
            changed.append("approaches")
    if not changed:
        return
    # Which fields changed, never what they say: the activity log is no second copy of the diary.
    audit.record(
        Event.DIARY_ENTRY_EDITED, actor=actor, subject=entry.user, target=entry, data={"changed": changed}
    )


@write_action
def do_delete_entry(entry: DiaryEntry, *, actor: Actor) -> None:
    audit.record(
        Event.DIARY_ENTRY_DELETED,
        actor=actor,
        subject=entry.user,
        target=entry,
        data={"kind": entry.kind},
    )
    entry.delete()


# --- Approaches -----------------------------------------------------------------------------------------

MAX_APPROACH_CHARS = 80
# More would make the insights page a wall of comparisons that each need 40 applications.
MAX_APPROACHES = 50


def check_approach_name(name: str) -> str:
    # Whitespace folded: "a  referral" and "a referral" are the same approach to the user.
    name = " ".join(name.split())
    if not name:
        raise DiaryError(_("Name the approach."))
    if len(name) > MAX_APPROACH_CHARS:
        raise DiaryError(_("Keep the name under %(max)d characters.") % {"max": MAX_APPROACH_CHARS})
    return name


@write_action
def do_add_approach(user: User, name: str, *, actor: Actor) -> Approach:
    name = check_approach_name(name)
    approaches = Approach.objects.filter(user=user)
    if approaches.filter(name__iexact=name).exists():
        raise DiaryError(_("You already have an approach with that name."))
    if approaches.count() >= MAX_APPROACHES:
        raise DiaryError(_("You have %(max)d approaches; delete one first.") % {"max": MAX_APPROACHES})
    approach = Approach.objects.create(user=user, name=name)
    # The name is the user's own words: the activity log says an approach was added, not what it is.
    audit.record(Event.APPROACH_ADDED, actor=actor, subject=user, target=approach)
    return approach


@write_action
def do_delete_approach(approach: Approach, *, actor: Actor) -> None:
    audit.record(
        Event.APPROACH_DELETED,
        actor=actor,
        subject=approach.user,
        target=approach,
        data={"applications": approach.uses.count()},
    )
    approach.delete()


@write_action
def do_tag_application(approach: Approach, application: Application, *, actor: Actor) -> ApproachUse | None:
    """Mark `application` as one on which the user tried `approach`; None when it already was."""
    if application.user_id != approach.user_id:
        raise DiaryError(_("Choose one of your applications."))
    if ApproachUse.objects.filter(approach=approach, application=application).exists():
        return None
    try:
        use = ApproachUse.objects.create(approach=approach, application=application)
    except IntegrityError as error:  # the same tag from another tab, committed between check and insert
        raise DiaryError(_("That application already has this approach.")) from error
    audit.record(
        Event.APPROACH_TAGGED,
        actor=actor,
        subject=approach.user,
        target=application,
        data={"approach": approach.pk},
    )
    return use


@write_action
def do_untag_application(use: ApproachUse, *, actor: Actor) -> None:
    audit.record(
        Event.APPROACH_UNTAGGED,
        actor=actor,
        subject=use.approach.user,
        target=use.application,
        data={"approach": use.approach_id},
    )
    use.delete()


@write_action
def do_set_weekly_review(user: User, on: bool, *, actor: Actor) -> None:
    settings_row, _created = ReviewSettings.objects.get_or_create(user=user)
    if settings_row.weekly_review == on:
        return
    settings_row.weekly_review = on
    settings_row.save(update_fields=["weekly_review"])
    audit.record(Event.WEEKLY_REVIEW_CHANGED, actor=actor, subject=user, data={"on": on})
