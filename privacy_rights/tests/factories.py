from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.actions import do_add_reply, do_change_status, do_rescore, do_update_notes
from applications.drafting.actions import do_mark_sent, do_request_draft, do_save_edit
from applications.drafting.generate import run_generation
from applications.intake import reply_from_text
from applications.models import Application, Reply, Status
from applications.posting_import import do_request_import, do_run_import
from applications.tasks import rescore_user
from applications.tests.factories import add_application
from billing.actions import do_link_customer
from calendars.actions import do_create_feed
from calendars.tests.factories import add_synced_calendar
from coach.providers.base import DraftInstructions
from diary.actions import (
    do_add_approach,
    do_add_entry,
    do_edit_entry,
    do_set_weekly_review,
    do_tag_application,
)
from materials.actions import do_import_linkedin
from materials.models import Material
from materials.tests.factories import LETTER_TEXT, add_material
from materials.tests.linkedin.exports import english_export
from omoikane.testing import sign_in_recently
from privacy_kernel.audit import Actor
from privacy_kernel.models import ExportRequest
from privacy_rights.actions import do_request_export
from privacy_rights.jobs import run_export
from privacy_rights.retention import run_retention
from privacy_rights.support.actions import do_grant_support


def still_stored(stored: FieldFile) -> bool:
    """Whether the object a file field names is still in its storage."""
    return bool(stored.name) and stored.storage.exists(str(stored.name))


def ready_export(user: User) -> ExportRequest:
    """An export requested and built through the real action and job, as the worker would."""
    export = do_request_export(user, actor=Actor.system("test"), rate_limited=False)
    run_export(export.pk)
    export.refresh_from_db()
    return export


def fill_account(user: User, client: Client) -> dict[str, Any]:
    """Data in every store, through the real actions: materials (one uploaded file), an application with
    scores, a status change, notes, a drafted (traced), edited and sent letter with its PDF, a reply to it,
    a diary entry, a synced calendar and the private feed, a support grant, sessions, rate-limit cache
    entries, a queued task, an export zip, and the audit events all of these wrote, the first of them already
    moved to the encrypted audit archive."""
    cv = add_material(user, as_file=True, title="CV")
    letter = add_material(user, kind=Material.Kind.LETTER, text=LETTER_TEXT, title="Letter to Berg")
    # A CV imported from a LinkedIn data export, with where each value came from.
    linkedin = do_import_linkedin(user, english_export(), actor=Actor.system("test"))
    # The events so far go to the encrypted audit archive as if a year and more had passed: archived, then
    # expired (the chain now starts at an AuditChainStart). The next ones become an archive object.
    run_retention(
        now=timezone.now() + timedelta(days=settings.AUDIT_HOT_DAYS + settings.AUDIT_ARCHIVE_MONTHS * 31 + 31)
    )
    application = add_application(user)
    # A posting the worker could not read from its address (a local name, refused without the network).
    posting_import = do_request_import(user, "http://localhost/job", actor=Actor.system("test"))
    do_run_import(posting_import)
    run_retention(now=timezone.now() + timedelta(days=settings.AUDIT_HOT_DAYS + 1))
    actor = Actor.system("test")
    do_update_notes(application, "Ask about the on-call rota.", actor=actor)
    do_change_status(application, Status.SENT, actor=actor)
    do_rescore(application, actor=actor)
    entry = do_add_entry(
        user, kind="tried", text="Called the team lead first.", application=application, actor=actor
    )
    grant = do_grant_support(user, duration=timedelta(hours=4), reason="The score looks wrong", actor=actor)
    # What the user tries, tagged on the application and the diary entry, and the weekly review switched on.
    approach = do_add_approach(user, "Called the hiring manager first", actor=actor)
    do_tag_application(approach, application, actor=actor)
    do_edit_entry(
        entry,
        kind=entry.kind,
        text=entry.text,
        outcome=entry.outcome,
        occurred_on=entry.occurred_on,
        application=application,
        approaches=[approach],
        actor=actor,
    )
    do_set_weekly_review(user, True, actor=actor)
    # A letter drafted as the worker drafts it (the offline drafter: nothing leaves the machine; the call is
    # traced in the trace store), edited, and sent as a PDF.
    generation = do_request_draft(application, DraftInstructions(language="en"), actor=actor)
    drafted = run_generation(generation)
    assert drafted is not None, generation.error
    edited = do_save_edit(application, drafted.text + "\n\nP.S. I can start in March.", actor=actor)
    sent = do_mark_sent(
        edited, channel="email", sent_on=timezone.localdate(), actor=actor, confirm_flags=True
    )
    reply = do_add_application_reply(application)
    # A calendar connected and synced, one event linked to the application, and the private feed.
    calendar = add_synced_calendar(user, application)
    do_create_feed(user, actor=actor)
    # A wrong password first (a per-address rate-limit entry), then a real sign-in, re-authentication (a
    # per-user entry) and a page view: a session, a UserSession and the audit events of each.
    client.post(reverse("account_login"), {"login": user.email, "password": "not the password"})
    sign_in_recently(client, user)
    client.get(reverse("accounts:settings"))
    task = rescore_user.enqueue(user_id=user.pk)
    export = ready_export(user)
    # A billing record as the first checkout leaves it (the Stripe customer made by a call not run here).
    billing = do_link_customer(user, f"cus_fill{user.pk}")
    return {
        "materials": [cv, letter, linkedin],
        "application": application,
        "reply": reply,
        "sent": sent,
        "task": task,
        "export": export,
        "diary_entry": entry,
        "support_grant": grant,
        "billing": billing,
        "calendar": calendar,
    }


def do_add_application_reply(application: Application) -> Reply:
    return do_add_reply(
        application,
        reply_from_text("Thank you for applying. We would like to invite you to an interview next week."),
        actor=Actor.system("test"),
    )
