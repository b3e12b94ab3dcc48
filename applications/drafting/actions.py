"""Every change to an application's letter goes through these actions, and each writes its audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.actions import do_change_status
from applications.drafting.generate import check_text, lock, next_number, word_count
from applications.drafting.tasks import generate_draft
from applications.letters.document import LetterDocument, place_and_date, subject_line
from applications.letters.pdf import render_letter_pdf
from applications.letters.sender import sender_from_cv
from applications.models import Application, DraftGeneration, DraftVersion, SentVersion, Status
from applications.signals import letter_sent
from coach.providers.base import DraftInstructions
from materials.models import Material
from omoikane import limits
from omoikane.errors import Refused
from omoikane.storage import new_object_name
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent
from privacy_kernel.writes import write_action

# Once the employer has answered (or the user gave up), sending a letter does not move the application
# back to "sent": it records the letter only.
MOVES_TO_SENT = (Status.SAVED, Status.DRAFTING)


def drafts_today(user: User) -> int:
    """Drafts queued for the user in the last 24 hours: refused requests (an invalid form, a draft already
    being written, the limit itself) are not drafts and do not count.

    Counted in the audit log, which keeps a draft's row when the application is deleted (deleting and adding
    a posting again does not reset the limit); only the rows `do_request_draft` writes with the generation
    it queued, in the same transaction, so nothing else recorded under this event can use up the quota.
    """
    since = timezone.now() - dt.timedelta(hours=24)
    return AuditEvent.objects.filter(
        subject=user,
        event=Event.DRAFT_REQUESTED,
        created_at__gte=since,
        metadata__has_key="generation",
    ).count()


def drafts_this_month(user: User) -> int:
    """Drafts the user asked for since the first of this month (UTC), counted in the audit log like
    drafts_today, so deleting an application gives none back."""
    since = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return AuditEvent.objects.filter(subject=user, event=Event.DRAFT_REQUESTED, created_at__gte=since).count()


@write_action
def do_request_draft(
    application: Application,
    instructions: DraftInstructions,
    *,
    actor: Actor,
    previous_version: DraftVersion | None = None,
) -> DraftGeneration:
    """Queue a letter draft for the worker, within the daily limit; one at a time per application."""
    user = application.user
    if drafts_today(user) >= settings.DRAFTS_PER_DAY:
        raise Refused(
            "limit",
            _(
                "You have asked for %(limit)d drafts in the last 24 hours, the most we write in a day. "
                "You can still edit your letters; new drafts are possible again tomorrow."
            )
            % {"limit": settings.DRAFTS_PER_DAY},
        )
    plan = limits.quota(user, limits.DRAFTS_PER_MONTH)
    if plan.limit is not None and drafts_this_month(user) >= plan.limit:
        message = _(
            "Your plan includes %(limit)d drafts a month, and you have asked for them all this month."
        )
        if plan.upgrade_url:
            message += " " + _("The paid plan includes more: see Settings, Plan and billing (%(url)s).")
        raise Refused("plan_limit", message % {"limit": plan.limit, "url": plan.upgrade_url})
    if application.draft_generations.filter(
        status__in=(DraftGeneration.Status.QUEUED, DraftGeneration.Status.RUNNING)
    ).exists():
        raise Refused("busy", _("A draft of this letter is being written already."))
    generation = DraftGeneration.objects.create(
        application=application,
        instructions=asdict(instructions),
        previous_version=previous_version,
    )
    audit.record(
        Event.DRAFT_REQUESTED,
        actor=actor,
        subject=user,
        target=application,
        data={
            "generation": generation.pk,
            "language": instructions.language,
            "length_words": instructions.length_words,
            "regenerate": previous_version is not None,
        },
    )
    # The queue is a table of this database: the task row commits, or rolls back, with the generation.
    generate_draft.enqueue(user_id=user.pk, generation_id=generation.pk)
    return generation


def do_regenerate(version: DraftVersion, instruction: str, *, actor: Actor) -> DraftGeneration:
    """Draft the letter again from `version`, as the instruction says; other wishes as last time."""
    application = version.application
    last = application.draft_generations.order_by("-created_at", "-id").first()
    wishes = DraftInstructions.from_stored(last.instructions if last is not None else {})
    instructions = replace(
        wishes,
        language=version.language or wishes.language or application.language or "en",
        revision=instruction.strip(),
    )
    return do_request_draft(application, instructions, actor=actor, previous_version=version)


@write_action
def do_cancel_generation(generation: DraftGeneration, *, actor: Actor) -> bool:
    """Stop a draft being written. False when it had finished already."""
    # A queued draft stops here; a running one is stopped by the worker, which reads the flag.
    stopped_now = DraftGeneration.objects.filter(
        pk=generation.pk, status=DraftGeneration.Status.QUEUED
    ).update(status=DraftGeneration.Status.CANCELLED, cancel_requested=True, finished_at=timezone.now())
    flagged = DraftGeneration.objects.filter(pk=generation.pk, status=DraftGeneration.Status.RUNNING).update(
        cancel_requested=True
    )
    if not stopped_now and not flagged:
        return False
    audit.record(
        Event.DRAFT_CANCELLED,
        actor=actor,
        subject=generation.application.user,
        target=generation.application,
        data={"generation": generation.pk, "was": "queued" if stopped_now else "running"},
    )
    generation.refresh_from_db()
    return True


def do_save_edit(
    application: Application, text: str, *, actor: Actor, based_on: DraftVersion | None = None
) -> DraftVersion:
    """Keep the user's own edit as a new version, checked like a drafted one."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise Refused("empty", _("The letter is empty. Write something, or keep the version you have."))
    latest = application.draft_versions.order_by("-number").first()
    base = based_on or latest
    if base is not None and text == base.text.strip():
        raise Refused("unchanged", _("Nothing changed, so no new version was made."))
    language = (base.language if base else "") or application.language or "en"
    checks = check_text(text, application, language=language)
    return writes.run(_store_edit, application, text, language, checks, base, actor=actor)


def _store_edit(
    application: Application,
    text: str,
    language: str,
    checks: dict[str, object],
    base: DraftVersion | None,
    *,
    actor: Actor,
) -> DraftVersion:
    locked = lock(application)
    version = DraftVersion.objects.create(
        application=locked,
        number=next_number(locked),
        text=text,
        source=DraftVersion.Source.EDITED,
        language=language,
        word_count=word_count(text),
        checks=checks,
        # The user's edit of a draft still stands on the materials the draft was written from.
        materials_used=base.materials_used if base else [],
    )
    audit.record(
        Event.DRAFT_EDITED,
        actor=actor,
        subject=application.user,
        target=version,
        data={
            "number": version.number,
            "based_on": base.number if base else None,
            "words": version.word_count,
        },
    )
    return version


def letter_document(version: DraftVersion, sent_on: dt.date) -> LetterDocument:
    """The printed letter: the sender from the primary CV (or the account), the employer, the body."""
    application = version.application
    user = application.user
    cv = (
        Material.objects.filter(user=user, kind=Material.Kind.CV)
        .order_by("-is_primary", "pk")
        .values_list("text", flat=True)
        .first()
    )
    sender = sender_from_cv(user.name, user.email, cv or "")
    language = version.language or application.language or "en"
    return LetterDocument(
        sender_name=sender.name,
        sender_lines=sender.lines,
        recipient_lines=tuple(line for line in (application.company, application.location) if line),
        place_and_date=place_and_date(sender.city, sent_on, language),
        subject=subject_line(application.title, language),
        body=version.text,
        language=language,
    )


def do_mark_sent(
    version: DraftVersion,
    *,
    channel: str,
    sent_on: dt.date,
    actor: Actor,
    confirm_flags: bool = False,
    justify: bool = False,
) -> SentVersion:
    """Freeze the version as sent: its text and a PDF that never change, the application moved to sent,
    a diary entry. A version is sent once; flagged contact details or names need the user's word."""
    if SentVersion.objects.filter(version=version).exists():
        raise Refused("sent", _("This version was marked as sent already."))
    if version.flags and not confirm_flags:
        raise Refused(
            "flags",
            _(
                "This version contains contact details or names we did not find in your materials or the "
                "posting. Check them, then confirm that you want to send it as it is."
            ),
        )
    pdf = render_letter_pdf(replace(letter_document(version, sent_on), justify=justify))
    return writes.run(_store_sent, version, pdf, channel=channel, sent_on=sent_on, actor=actor)


def _store_sent(
    version: DraftVersion, pdf: bytes, *, channel: str, sent_on: dt.date, actor: Actor
) -> SentVersion:
    application = version.application
    sent = SentVersion(
        application=application, version=version, text=version.text, channel=channel, sent_on=sent_on
    )
    writes.store_file(sent.pdf, new_object_name("letters", "pdf"), ContentFile(pdf))
    sent.save()
    audit.record(
        Event.LETTER_SENT,
        actor=actor,
        subject=application.user,
        target=sent,
        data={
            "version": version.number,
            "channel": channel,
            "sent_on": sent_on.isoformat(),
            "flags_confirmed": bool(version.flags),
        },
    )
    if application.status in MOVES_TO_SENT:
        do_change_status(application, Status.SENT, actor=actor, reason="letter")
    letter_sent.send(sender=SentVersion, sent=sent, actor=actor)  # the diary writes its entry
    return sent
