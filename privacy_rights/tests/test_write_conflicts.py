"""Every action that writes an audit row survives a conflict on the user's audit chain, on PostgreSQL under
SERIALIZABLE isolation, with a real second connection: nothing of ours is patched.

The interleaving is made certain, not left to timing. Another action of the same user runs first in its own
transaction and appends to the chain, and keeps its transaction open. The action under test then starts,
reads the chain's head (it cannot see the uncommitted row), and its insert at the same position waits for
the other transaction. Once PostgreSQL reports it waiting, the other transaction commits; the insert fails
with a serialization failure (SQLSTATE 40001), and the write helper runs the action again from the start.
Both actions succeed, the chain verifies, each event is there once, and no file is left behind."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.utils import timezone

from accounts.actions import do_change_language as change_language
from accounts.actions import do_update_profile as update_profile
from accounts.models import User
from applications import actions as applications
from applications import fit, posting_import
from applications.actions import PostingData
from applications.drafting import actions as drafting
from applications.intake import reply_from_text
from applications.models import Application, DraftGeneration, DraftVersion, Reply, SentVersion, Status
from applications.tests.factories import add_application
from billing import actions as billing
from calendars import actions as calendars
from calendars import store as calendar_store
from calendars.ics import Occurrence
from calendars.models import CalendarConnection, CalendarEvent
from calendars.sync import Changes
from calendars.sync import window as sync_window
from calendars.tests.factories import add_synced_calendar
from coach.providers.base import DraftInstructions
from diary import actions as diary
from diary import review
from diary.models import DiaryEntry
from materials import actions as materials
from materials import search as material_search
from materials.models import Material
from materials.tests.factories import add_material
from materials.tests.linkedin.exports import export_zip, positions, profile
from materials.tests.test_search_in_worker import broken_model, embedder
from omoikane.testing import make_user
from privacy_kernel import chain
from privacy_kernel.audit import Actor
from privacy_kernel.chain_verify import verify_chain
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent, ExportRequest, SupportGrant
from privacy_kernel.tests.actions import production_actions
from privacy_rights import actions as rights
from privacy_rights.support import actions as support
from privacy_rights.tests.factories import do_add_application_reply, ready_export

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
ACTOR = Actor.system("test")
CV_TEXT = (
    "Experience\n- Built payment systems in Python and PostgreSQL for five years.\n"
    "- Led a team of five engineers through two product launches.\n"
)


def linkedin_export(headline: str = "Backend engineer") -> bytes:
    return export_zip(
        {
            "Profile.csv": profile(headline=headline),
            "Positions.csv": positions([("Fjordpay", "Engineer", "Built payment systems.", "Jan 2021", "")]),
        }
    )


@dataclass
class Account:
    """What the cases need of one user, made through the real actions, each only when a case asks."""

    user: User

    def material(self) -> Material:
        return add_material(self.user, title="CV")

    def application(self) -> Application:
        return add_application(self.user)

    def version(self) -> DraftVersion:
        return drafting.do_save_edit(
            self.application(), "Dear team,\n\nI build payment systems.", actor=ACTOR
        )

    def sent(self) -> SentVersion:
        version = self.version()
        return drafting.do_mark_sent(
            version, channel="email", sent_on=timezone.localdate(), actor=ACTOR, confirm_flags=True
        )

    def reply(self) -> Reply:
        return do_add_application_reply(self.application())

    def entry(self) -> DiaryEntry:
        return diary.do_add_entry(self.user, kind="tried", text="Called the team lead.", actor=ACTOR)

    def generation(self) -> DraftGeneration:
        return drafting.do_request_draft(self.application(), DraftInstructions(language="en"), actor=ACTOR)

    def export(self) -> ExportRequest:
        return ready_export(self.user)

    def grant(self) -> SupportGrant:
        return support.do_grant_support(self.user, duration=dt.timedelta(hours=4), reason="Help", actor=ACTOR)


# Each case prepares what its action needs (through the real actions) and returns the action to run once
# the chain is contended.
Run = Callable[[], object]
CASES: dict[str, Callable[[Account], Run]] = {}


def case(function: Callable[[Account], Run]) -> Callable[[Account], Run]:
    CASES[function.__name__] = function
    return function


@case
def do_add_material(a: Account) -> Run:
    return lambda: materials.do_add_material(
        a.user, kind="cv", title="CV", actor=ACTOR, data=CV_TEXT.encode(), file_name="cv.txt"
    )


@case
def do_update_text(a: Account) -> Run:
    material = a.material()
    return lambda: materials.do_update_text(material, CV_TEXT, actor=ACTOR)


@case
def do_set_primary(a: Account) -> Run:
    a.material()
    second = add_material(a.user, title="Second CV")
    return lambda: materials.do_set_primary(second, actor=ACTOR)


@case
def do_delete_material(a: Account) -> Run:
    material = add_material(a.user, title="CV", as_file=True)
    return lambda: materials.do_delete_material(material, actor=ACTOR)


@case
def do_import_linkedin(a: Account) -> Run:
    return lambda: materials.do_import_linkedin(a.user, linkedin_export(), actor=ACTOR)


@case
def do_resolve_linkedin_import(a: Account) -> Run:
    material = materials.do_import_linkedin(a.user, linkedin_export(), actor=ACTOR)
    materials.do_update_text(material, material.text + "\n- Corrected by hand.\n", actor=ACTOR)
    materials.do_import_linkedin(
        a.user, linkedin_export(headline="Staff engineer"), material=material, actor=ACTOR
    )
    return lambda: materials.do_resolve_linkedin_import(material, take_import=True, actor=ACTOR)


@case
def do_embed_material(a: Account) -> Run:
    material = materials.do_add_material(a.user, kind="cv", title="CV", actor=ACTOR, pasted_text=CV_TEXT)
    return lambda: material_search.do_embed_material(material)


@case
def do_retry_embedding(a: Account) -> Run:
    material = materials.do_add_material(a.user, kind="cv", title="CV", actor=ACTOR, pasted_text=CV_TEXT)
    with embedder(broken_model), pytest.raises(RuntimeError):
        material_search.do_embed_material(material)
    material.refresh_from_db()
    return lambda: materials.do_retry_embedding(material, actor=ACTOR)


@case
def do_add_entry(a: Account) -> Run:
    return lambda: diary.do_add_entry(a.user, kind="tried", text="Wrote to HR.", actor=ACTOR)


@case
def do_edit_entry(a: Account) -> Run:
    entry = a.entry()
    return lambda: diary.do_edit_entry(
        entry,
        kind="tried",
        text="Called twice.",
        outcome="",
        occurred_on=entry.occurred_on,
        application=None,
        actor=ACTOR,
    )


@case
def do_delete_entry(a: Account) -> Run:
    entry = a.entry()
    return lambda: diary.do_delete_entry(entry, actor=ACTOR)


@case
def do_update_profile(a: Account) -> Run:
    return lambda: update_profile(a.user, name="Alice B.", language="en", actor=ACTOR)


@case
def do_change_language(a: Account) -> Run:
    return lambda: change_language(a.user, "nl", actor=ACTOR)


@case
def do_add_application(a: Account) -> Run:
    posting = PostingData(title="Backend engineer", posting_text="We need Python and PostgreSQL.")
    return lambda: applications.do_add_application(a.user, posting, actor=ACTOR)


@case
def do_edit_posting(a: Account) -> Run:
    application = a.application()
    return lambda: applications.do_edit_posting(
        application, {"title": "Senior backend engineer"}, actor=ACTOR
    )


@case
def do_change_status(a: Account) -> Run:
    application = a.application()
    return lambda: applications.do_change_status(application, Status.SENT, actor=ACTOR)


@case
def do_update_notes(a: Account) -> Run:
    application = a.application()
    return lambda: applications.do_update_notes(application, "Ask about on-call.", actor=ACTOR)


@case
def do_rescore(a: Account) -> Run:
    application = a.application()
    return lambda: applications.do_rescore(application, actor=ACTOR)


@case
def do_request_score(a: Account) -> Run:
    application = a.application()
    return lambda: applications.do_request_score(application, actor=ACTOR)


@case
def do_score_application(a: Account) -> Run:
    posting = PostingData(title="Backend engineer", posting_text="We need Python and PostgreSQL.")
    application = applications.do_add_application(a.user, posting, actor=ACTOR)
    return lambda: fit.do_score_application(application)


@case
def do_request_import(a: Account) -> Run:
    return lambda: posting_import.do_request_import(a.user, "https://jobs.example.com/backend", actor=ACTOR)


@case
def do_run_import(a: Account) -> Run:
    # A local name, refused by the worker without reaching the network: the failure's write races.
    row = posting_import.do_request_import(a.user, "http://localhost/job", actor=ACTOR)
    return lambda: posting_import.do_run_import(row)


@case
def do_retry_import(a: Account) -> Run:
    row = posting_import.do_request_import(a.user, "http://localhost/job", actor=ACTOR)
    posting_import.do_run_import(row)
    row.refresh_from_db()
    return lambda: posting_import.do_retry_import(row, actor=ACTOR)


@case
def do_set_follow_up(a: Account) -> Run:
    application = a.application()
    return lambda: applications.do_set_follow_up(application, on=timezone.localdate(), actor=ACTOR)


@case
def do_delete_application(a: Account) -> Run:
    # With a sent letter, so that its PDF has to go too.
    sent = a.sent()
    return lambda: applications.do_delete_application(sent.application, actor=ACTOR)


@case
def do_add_reply(a: Account) -> Run:
    application = a.application()
    reply = reply_from_text("Thank you for applying. We would like to meet you on Tuesday.")
    return lambda: applications.do_add_reply(application, reply, actor=ACTOR)


@case
def do_confirm_reply(a: Account) -> Run:
    reply = a.reply()
    return lambda: applications.do_confirm_reply(reply, Reply.Kind.INTERVIEW, actor=ACTOR)


@case
def do_delete_reply(a: Account) -> Run:
    reply = a.reply()
    return lambda: applications.do_delete_reply(reply, actor=ACTOR)


@case
def do_request_draft(a: Account) -> Run:
    application = a.application()
    return lambda: drafting.do_request_draft(application, DraftInstructions(language="en"), actor=ACTOR)


@case
def do_regenerate(a: Account) -> Run:
    version = a.version()
    return lambda: drafting.do_regenerate(version, "shorter", actor=ACTOR)


@case
def do_cancel_generation(a: Account) -> Run:
    generation = a.generation()
    return lambda: drafting.do_cancel_generation(generation, actor=ACTOR)


@case
def do_save_edit(a: Account) -> Run:
    application = a.application()
    return lambda: drafting.do_save_edit(application, "Dear team,\n\nI led a team of five.", actor=ACTOR)


@case
def do_mark_sent(a: Account) -> Run:
    version = a.version()
    return lambda: drafting.do_mark_sent(
        version, channel="email", sent_on=timezone.localdate(), actor=ACTOR, confirm_flags=True
    )


@case
def do_request_export(a: Account) -> Run:
    return lambda: rights.do_request_export(a.user, actor=ACTOR, rate_limited=False)


@case
def do_download_export(a: Account) -> Run:
    export = a.export()
    return lambda: rights.do_download_export(export, actor=ACTOR)


@case
def do_refuse_export_download(a: Account) -> Run:
    export = a.export()
    return lambda: rights.do_refuse_export_download(export, actor=ACTOR)


@case
def do_request_erasure(a: Account) -> Run:
    return lambda: rights.do_request_erasure(a.user, actor=ACTOR)


@case
def do_grant_support(a: Account) -> Run:
    return lambda: support.do_grant_support(
        a.user, duration=dt.timedelta(hours=1), reason="The score looks wrong", actor=ACTOR
    )


@case
def do_revoke_support(a: Account) -> Run:
    grant = a.grant()
    return lambda: support.do_revoke_support(grant, actor=ACTOR)


@case
def do_add_approach(a: Account) -> Run:
    return lambda: diary.do_add_approach(a.user, "A referral", actor=ACTOR)


@case
def do_delete_approach(a: Account) -> Run:
    approach = diary.do_add_approach(a.user, "A referral", actor=ACTOR)
    return lambda: diary.do_delete_approach(approach, actor=ACTOR)


@case
def do_tag_application(a: Account) -> Run:
    approach, application = diary.do_add_approach(a.user, "A referral", actor=ACTOR), a.application()
    return lambda: diary.do_tag_application(approach, application, actor=ACTOR)


@case
def do_untag_application(a: Account) -> Run:
    approach = diary.do_add_approach(a.user, "A referral", actor=ACTOR)
    use = diary.do_tag_application(approach, a.application(), actor=ACTOR)
    assert use is not None
    return lambda: diary.do_untag_application(use, actor=ACTOR)


@case
def do_set_weekly_review(a: Account) -> Run:
    return lambda: diary.do_set_weekly_review(a.user, True, actor=ACTOR)


@case
def do_send_weekly_review(a: Account) -> Run:
    email = EmailMessage("Your week", "Sent this week: nothing", to=[a.user.email])
    return lambda: review.do_send_weekly_review(a.user, today=timezone.localdate(), email=email)


@case
def do_store_state(a: Account) -> Run:
    account = billing.do_link_customer(a.user, f"cus_{a.user.pk}")
    state = billing.SubscriptionState("sub_1", "active", "paid", timezone.now())
    return lambda: billing.do_store_state(account, state, actor=ACTOR, event_id="evt_1")


def _calendar(a: Account) -> CalendarConnection:
    return add_synced_calendar(a.user)


def _calendar_event(a: Account) -> CalendarEvent:
    return CalendarEvent.objects.filter(connection=_calendar(a)).order_by("pk").first()  # type: ignore[return-value]


@case
def do_disconnect(a: Account) -> Run:
    connection = _calendar(a)
    return lambda: calendars.do_disconnect(connection, actor=ACTOR)


@case
def do_request_sync(a: Account) -> Run:
    connection = _calendar(a)
    return lambda: calendars.do_request_sync(connection, actor=ACTOR)


@case
def do_apply_sync(a: Account) -> Run:
    connection = _calendar(a)
    now = timezone.now()
    start, end = sync_window(now)
    soon = now + dt.timedelta(days=3)
    changes = Changes(
        window_start=start,
        window_end=end,
        full=True,
        replaced={"": ("", [Occurrence("race", "", "Call", "", soon, soon + dt.timedelta(hours=1), False)])},
    )
    return lambda: calendar_store.do_apply_sync(connection, changes, now=now, actor=ACTOR)


@case
def do_record_sync_failure(a: Account) -> Run:
    connection = _calendar(a)
    return lambda: calendar_store.do_record_sync_failure(connection, "The server had an error.", actor=ACTOR)


@case
def do_link_event(a: Account) -> Run:
    event, application = _calendar_event(a), a.application()
    return lambda: calendars.do_link_event(event, application, actor=ACTOR)


@case
def do_unlink_event(a: Account) -> Run:
    event = _calendar_event(a)
    calendars.do_link_event(event, a.application(), actor=ACTOR)
    return lambda: calendars.do_unlink_event(event, actor=ACTOR)


@case
def do_create_feed(a: Account) -> Run:
    return lambda: calendars.do_create_feed(a.user, actor=ACTOR)


@case
def do_rotate_feed_after_password_change(a: Account) -> Run:
    calendars.do_create_feed(a.user, actor=ACTOR)
    return lambda: calendars.do_rotate_feed_after_password_change(a.user, actor=ACTOR)


@case
def do_revoke_feed(a: Account) -> Run:
    feed = calendars.do_create_feed(a.user, actor=ACTOR)
    return lambda: calendars.do_revoke_feed(feed, actor=ACTOR)


@case
def do_record_feed_fetch(a: Account) -> Run:
    feed = calendars.do_create_feed(a.user, actor=ACTOR)
    return lambda: calendars.do_record_feed_fetch(feed, actor=ACTOR)


# Actions that write no row on a user's chain, and why they are not raced here.
NOT_RACED = {
    # Connecting a calendar and writing an interview into it talk to a calendar server first, then hand the
    # rows to writes.run, the helper every raced action runs in; a race would repeat the server call, not
    # the write. Their writes append to the chain exactly as do_apply_sync and do_link_event do.
    "do_connect_caldav",
    "do_connect_ics",
    "do_add_interview",
    # Billing's bookkeeping without an audit row: the id of an event with nothing to do, and the id of a
    # customer whose creation at Stripe was audited as the call.
    "do_mark_event_seen",
    "do_link_customer",
    # Writes to the system chain, and only when it deleted old traces in the trace store (another database);
    # the system chain's races are in privacy_kernel/tests/test_chain.py.
    "do_purge_traces",
    # The operations records (ops/actions.py): a backup, a drill or a chain verification, written by the
    # single job that ran it, on the system chain (or no chain) and never on a user's.
    "do_record_backup",
    "do_record_drill",
    "do_record_audit_verify",
}


def _session_serializable(cursor: Any) -> None:
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE")


def _stored_files() -> set[str]:
    """Every object in the upload and archive storages, as names relative to their roots."""
    found: set[str] = set()
    for root in (Path(settings.MEDIA_ROOT), Path(settings.STORAGES["archive"]["OPTIONS"]["location"])):
        if root.exists():
            found |= {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    return found


def _named_files() -> set[str]:
    names = [m.original.name for m in Material.objects.exclude(original="")]
    names += [s.pdf.name for s in SentVersion.objects.exclude(pdf="")]
    names += [e.file.name for e in ExportRequest.objects.exclude(file="")]
    return {str(name) for name in names}


class _OtherWriter(threading.Thread):
    """Another action of the same user, in its own connection and transaction, held open until the action
    under test waits for it."""

    def __init__(self, user: User, waiter_pid: int) -> None:
        super().__init__(daemon=True)
        self.user, self.waiter_pid = user, waiter_pid
        self.appended = threading.Event()
        self.error: BaseException | None = None
        self.waited = False

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                _session_serializable(cursor)
            # An outer transaction of the test's own, so that it stays open after the action's append.
            with transaction.atomic():
                diary.do_add_entry(self.user, kind="tried", text="Sent a follow-up.", actor=ACTOR)
                self.appended.set()
                self.waited = self._wait_for_the_other_insert()
        except BaseException as error:
            self.error = error
            self.appended.set()
        finally:
            connection.close()

    def _wait_for_the_other_insert(self) -> bool:
        params = settings.DATABASES["default"]
        with psycopg.connect(
            host=params["HOST"],
            port=params["PORT"] or 5432,
            user=params["USER"],
            dbname=connection.settings_dict["NAME"],
            password=params["PASSWORD"] or None,
            autocommit=True,
        ) as observer:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                row = observer.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [self.waiter_pid]
                ).fetchone()
                if row is not None and row[0] == "Lock":
                    return True
                time.sleep(0.01)
        return False


class CoverageTests(SimpleTestCase):
    def test_it_races_every_action_that_writes_to_a_users_chain(self) -> None:
        names = {function.__name__ for function in production_actions()}
        self.assertEqual(sorted(names - set(CASES) - NOT_RACED), [], "Add a case for these actions")
        self.assertEqual(sorted((set(CASES) | NOT_RACED) - names), [], "These are no actions any more")


@on_postgresql
@override_settings(DRAFTS_PER_DAY=100)
class WriteConflictTests(TransactionTestCase):
    databases = {"default", "traces"}

    def race(self, name: str) -> None:
        user = make_user(f"{name}@example.org")
        run = CASES[name](Account(user))
        events_before = Counter(AuditEvent.objects.filter(subject=user).values_list("event", flat=True))
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        other = _OtherWriter(user, pid)
        try:
            with connection.cursor() as cursor:
                _session_serializable(cursor)
            other.start()
            other.appended.wait(30)
            self.assertIsNone(other.error)
            with self.assertLogs("privacy_kernel.writes", "INFO") as logs:
                run()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET default_transaction_isolation")
            other.join(30)
        self.assertIsNone(other.error)
        self.assertTrue(other.waited, "the action never waited for the other transaction")
        self.assertTrue(any("running it again" in line for line in logs.output), logs.output)
        rows = list(AuditEvent.objects.filter(subject=user).order_by("sequence"))
        self.assertEqual([row.sequence for row in rows], list(range(1, len(rows) + 1)))
        self.assertIsNone(verify_chain(rows, start=chain.archived_head_of(user.pk)))
        # The other writer's entry once, and each event of the action once: the rolled-back run left none.
        added = Counter(row.event for row in rows) - events_before
        added[Event.DIARY_ENTRY_ADDED] -= 1
        self.assertEqual({event: count for event, count in added.items() if count not in (0, 1)}, {})
        self.assertIn(1, added.values(), "the action under test recorded nothing")
        self.assertEqual(_stored_files() - _named_files(), set(), "a file no row names")


def _make_test(name: str) -> Callable[[WriteConflictTests], None]:
    def test(self: WriteConflictTests) -> None:
        self.race(name)

    test.__name__ = f"test_it_retries_{name}_after_a_conflict"
    return test


for _name in CASES:
    setattr(WriteConflictTests, f"test_it_retries_{_name}_after_a_conflict", _make_test(_name))
