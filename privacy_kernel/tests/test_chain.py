"""The audit log's hash chain: record() builds it, every kind of tampering breaks it, erasure does not."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.test import RequestFactory, TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from omoikane.db import sqlstate
from omoikane.testing import BaseTestCase, make_user
from privacy_kernel import audit, chain, chain_encoding, chain_verify, writes
from privacy_kernel.audit import Actor
from privacy_kernel.chain import ChainConflict, maintenance
from privacy_kernel.chain_encoding import GENESIS, ChainHead, entry_hash
from privacy_kernel.chain_verify import Failure, verify_chain
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent
from privacy_kernel.writes import write_action

# The trigger exists on PostgreSQL only, and SQLite serialises writers, so there is no race to lose.
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def chain_of(user: User | None) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(subject=user).order_by("sequence"))


def tamper(row: AuditEvent, **changes: Any) -> None:
    """Change a row behind record()'s back, as someone with write access to the table could."""
    with maintenance():
        AuditEvent.objects.filter(pk=row.pk).update(**changes)


def erase_payload(entry: AuditEvent) -> None:
    """Drop an entry's metadata for good, as the module docstring of chain describes. Inside maintenance()."""
    entry.metadata = {}
    entry.payload_salt = ""
    entry.save(update_fields=["metadata", "payload_salt"])


def run_audit_verify() -> tuple[str, str]:
    """audit_verify's output; raises CommandError (exit status 1) when a chain is broken."""
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except CommandError as error:
        raise CommandError(f"{error}\n{err.getvalue()}", returncode=error.returncode) from error
    return out.getvalue(), err.getvalue()


class RecordTests(BaseTestCase):
    def record_some(self, user: User | None, count: int = 4) -> list[AuditEvent]:
        for number in range(count):
            audit.record(Event.MATERIAL_VIEWED, actor=Actor.system("test"), subject=user, data={"n": number})
        return chain_of(user)

    def test_it_builds_a_valid_chain_per_user(self) -> None:
        request = RequestFactory().get("/", HTTP_USER_AGENT="Firefox 140", REMOTE_ADDR="2001:0db8:0000::0001")
        request.user = self.alice
        for number in range(3):
            for user in (self.alice, self.charlie):
                audit.record(
                    Event.PROFILE_UPDATED,
                    actor=Actor.from_request(request) if user == self.alice else Actor.system("job"),
                    subject=user,
                    target=user,
                    # Values the database rewrites (jsonb: 1e16 to an integer; tuples to lists, any key
                    # order): the hash is over what a reload gives back.
                    data={"n": number, "big": 1e16, "ratio": 0.1, "pair": (1, 2), "z": {"b": 1.0, "a": "ø"}},
                )
        for user in (self.alice, self.charlie):
            rows = chain_of(user)
            self.assertEqual([row.sequence for row in rows], [1, 2, 3])
            self.assertEqual(rows[0].prev_hash, chain_encoding.GENESIS_HASH)
            self.assertEqual([row.prev_hash for row in rows[1:]], [row.entry_hash for row in rows[:-1]])
            self.assertIsNone(verify_chain(rows))
        self.assertEqual(chain_verify.verify_database().breaks, [])
        out, _ = run_audit_verify()
        self.assertIn("Verified 2 chains, 6 events", out)

    def test_it_keeps_a_system_chain_for_events_without_a_subject(self) -> None:
        self.record_some(self.alice, 2)
        rows = self.record_some(None, 3)
        self.assertEqual([row.sequence for row in rows], [1, 2, 3])
        self.assertIsNone(verify_chain(rows))
        report = chain_verify.verify_database()
        self.assertEqual((report.chains, report.events, report.breaks), (2, 5, []))

    def test_it_detects_an_edited_field(self) -> None:
        rows = self.record_some(self.alice)
        tamper(rows[1], event=Event.LOGIN_SUCCEEDED)
        found = verify_chain(chain_of(self.alice))
        assert found is not None
        self.assertEqual((found.event_id, found.failure), (rows[1].pk, Failure.ENTRY_HASH))

    def test_it_detects_an_edited_time(self) -> None:
        rows = self.record_some(self.alice)
        tamper(rows[2], created_at=datetime(2020, 1, 1, tzinfo=UTC))
        found = verify_chain(chain_of(self.alice))
        assert found is not None
        self.assertEqual((found.event_id, found.failure), (rows[2].pk, Failure.ENTRY_HASH))

    def test_it_detects_edited_metadata(self) -> None:
        rows = self.record_some(self.alice)
        tamper(rows[0], metadata={"n": 99})
        found = verify_chain(chain_of(self.alice))
        assert found is not None
        self.assertEqual((found.event_id, found.failure), (rows[0].pk, Failure.PAYLOAD_HASH))

    def test_it_detects_a_rehashed_row_at_the_next_one(self) -> None:
        # Someone who edits a row and recomputes its hash still breaks the link to it.
        rows = self.record_some(self.alice)
        edited = replace_row(rows[1], event=Event.LOGIN_SUCCEEDED)
        tamper(rows[1], event=edited.event, entry_hash=chain_encoding.entry_hash(edited))
        found = verify_chain(chain_of(self.alice))
        assert found is not None
        self.assertEqual((found.event_id, found.failure), (rows[2].pk, Failure.PREV_LINK))

    def test_it_detects_a_deleted_row(self) -> None:
        rows = self.record_some(self.alice)
        with maintenance():
            rows[1].delete()
        found = verify_chain(chain_of(self.alice))
        assert found is not None
        self.assertEqual((found.event_id, found.failure), (rows[2].pk, Failure.SEQUENCE))
        self.assertIn("expected sequence 2, found 3", found.detail)

    def test_it_detects_two_rows_swapped(self) -> None:
        rows = self.record_some(self.alice)
        # Through a free position: (subject, sequence) is unique.
        tamper(rows[1], sequence=-1)
        tamper(rows[2], sequence=2)
        tamper(rows[1], sequence=3)
        found = verify_chain(chain_of(self.alice))
        assert found is not None
        self.assertEqual((found.event_id, found.sequence, found.failure), (rows[2].pk, 2, Failure.PREV_LINK))

    def test_it_detects_a_row_moved_to_another_chain(self) -> None:
        rows = self.record_some(self.alice)
        self.record_some(self.charlie)
        tamper(rows[3], subject=self.charlie, sequence=5)
        found = verify_chain(chain_of(self.charlie))
        assert found is not None
        self.assertEqual((found.event_id, found.failure), (rows[3].pk, Failure.PREV_LINK))

    def test_it_detects_a_reassigned_actor(self) -> None:
        audit.record(
            Event.OPERATOR_VIEWED, actor=Actor(kind=ActorKind.OPERATOR, user=self.charlie), subject=self.alice
        )
        row = chain_of(self.alice)[-1]
        tamper(row, actor=self.alice)
        found = verify_chain(chain_of(self.alice))
        assert found is not None
        self.assertEqual((found.event_id, found.failure), (row.pk, Failure.ACTOR))

    def test_it_survives_the_deletion_of_an_actor(self) -> None:
        # An operator's account is deleted (they left): `actor` goes null, the recorded actor_ref stays.
        audit.record(
            Event.OPERATOR_VIEWED, actor=Actor(kind=ActorKind.OPERATOR, user=self.charlie), subject=self.alice
        )
        charlie_id = self.charlie.pk
        with maintenance():
            self.charlie.delete()
        row = chain_of(self.alice)[-1]
        self.assertEqual((row.actor_id, row.actor_ref), (None, charlie_id))
        self.assertIsNone(verify_chain(chain_of(self.alice)))

    def test_it_keeps_the_chain_valid_after_erasing_a_payload(self) -> None:
        audit.record(
            Event.EMAIL_CHANGED, actor=Actor.system("test"), subject=self.alice, data={"old": "a@b.org"}
        )
        self.record_some(self.alice, 2)
        erased = chain_of(self.alice)[0]
        with maintenance():
            erase_payload(erased)
        erased.refresh_from_db()
        self.assertEqual((erased.metadata, erased.payload_salt), ({}, ""))
        self.assertIsNone(verify_chain(chain_of(self.alice)))
        out, _ = run_audit_verify()
        self.assertIn("1 with erased payloads", out)

    def test_it_verifies_from_an_archived_head(self) -> None:
        # The planned archive moves old entries out; the live rest continues from the last archived head.
        rows = self.record_some(self.alice)
        archived_head = ChainHead(rows[1].sequence, rows[1].entry_hash)
        self.assertIsNone(verify_chain(rows[2:], start=archived_head))
        found = verify_chain(rows[2:])
        assert found is not None
        self.assertEqual(found.failure, Failure.SEQUENCE)
        with maintenance():
            AuditEvent.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).delete()
        self.assertEqual(chain_verify.verify_database(starts={self.alice.pk: archived_head}).breaks, [])
        self.assertEqual(len(chain_verify.verify_database().breaks), 1)


class AuditVerifyCommandTests(BaseTestCase):
    def test_it_reports_every_broken_chain_and_fails(self) -> None:
        for user in (self.alice, self.charlie, None):
            for _ in range(3):
                audit.record(Event.MATERIAL_VIEWED, actor=Actor.system("test"), subject=user)
        alice_row, system_row = chain_of(self.alice)[1], chain_of(None)[0]
        tamper(alice_row, target_id="42")
        tamper(system_row, metadata={"injected": True})
        with self.assertRaises(CommandError) as raised:
            run_audit_verify()
        self.assertEqual(raised.exception.returncode, 1)
        message = str(raised.exception)
        self.assertIn("2 of 3 chains are broken", message)
        self.assertIn(
            f"chain of subject {self.alice.pk}: event {alice_row.pk} (sequence 2): entry hash", message
        )
        self.assertIn(f"system chain: event {system_row.pk} (sequence 1): payload hash mismatch", message)

    def test_it_passes_an_empty_log(self) -> None:
        out, _ = run_audit_verify()
        self.assertIn("Verified 0 chains, 0 events", out)


class EncodingTests(TestCase):
    def test_it_length_prefixes_fields(self) -> None:
        # Naive concatenation would hash "ab" + "c" and "a" + "bc" alike.
        row = sample_row()
        self.assertNotEqual(
            chain_encoding.entry_hash(replace(row, actor_label="ab", target_type="c")),
            chain_encoding.entry_hash(replace(row, actor_label="a", target_type="bc")),
        )
        self.assertNotEqual(
            chain_encoding.entry_hash(replace(row, ip=None)), chain_encoding.entry_hash(replace(row, ip=""))
        )

    def test_it_canonicalises_the_payload(self) -> None:
        salt = chain_encoding.new_salt()
        self.assertEqual(
            chain_encoding.payload_hash({"b": 1.0, "a": [1, "ø"]}, salt),
            chain_encoding.payload_hash({"a": [1, "ø"], "b": 1}, salt),
        )
        self.assertEqual(
            chain_encoding.canonical_json({"b": 1e16, "a": "ø"}), '{"a":"ø","b":10000000000000000}'.encode()
        )
        with self.assertRaises(ValueError):
            chain_encoding.canonical_json({"x": float("nan")})

    def test_it_salts_the_payload(self) -> None:
        # An erased payload's kept hash must not confirm a guess of what it was.
        self.assertNotEqual(
            chain_encoding.payload_hash({"email": "a@b.org"}, chain_encoding.new_salt()),
            chain_encoding.payload_hash({"email": "a@b.org"}, chain_encoding.new_salt()),
        )

    def test_it_hashes_the_address_not_its_spelling(self) -> None:
        row = sample_row()
        self.assertEqual(
            chain_encoding.entry_hash(replace(row, ip="2001:db8::1")),
            chain_encoding.entry_hash(replace(row, ip="2001:0db8:0::0001")),
        )


class AppendRaceTests(BaseTestCase):
    def test_it_retries_after_reading_a_stale_head(self) -> None:
        # Another writer appended between our read of the head and our insert: the unique (subject,
        # sequence) index turns the insert into a no-op, and record() reads the new head and tries again,
        # inside the caller's transaction, which stays usable.
        audit.record(Event.MATERIAL_VIEWED, actor=Actor.system("test"), subject=self.alice)
        real_head_of = chain.head_of
        stale = [GENESIS]

        def head_of(subject_id: int | None, **kwargs: Any) -> ChainHead:
            return stale.pop() if stale else real_head_of(subject_id, **kwargs)

        with (
            # On PostgreSQL the first attempt reads the head inside its INSERT; it lost the race too.
            mock.patch.object(chain, "_insert_after_head", return_value=False),
            mock.patch.object(chain, "head_of", side_effect=head_of) as spy,
        ):
            writes.run(audit.record, Event.MATERIAL_VIEWED, actor=Actor.system("test"), subject=self.alice)
        self.assertEqual(spy.call_count, 3)  # the stale read, the re-read after the refusal, the retry
        self.assertEqual([row.sequence for row in chain_of(self.alice)], [1, 2])
        self.assertIsNone(verify_chain(chain_of(self.alice)))

    def test_it_hands_a_stale_snapshot_to_the_transactions_retry(self) -> None:
        # In a REPEATABLE READ transaction the head never moves: only rerunning the transaction helps, so
        # the error carries SQLSTATE 40001, which the write around the transaction retries (here the test's
        # own transaction is outermost, so it reaches the test).
        audit.record(Event.MATERIAL_VIEWED, actor=Actor.system("test"), subject=self.alice)
        with (
            # The one-statement attempt (PostgreSQL) reads the same stale snapshot, and loses as well.
            mock.patch.object(chain, "_insert_after_head", return_value=False),
            mock.patch.object(chain, "head_of", return_value=GENESIS),
            self.assertRaises(ChainConflict) as raised,
        ):
            writes.run(audit.record, Event.MATERIAL_VIEWED, actor=Actor.system("test"), subject=self.alice)
        self.assertEqual(sqlstate(raised.exception), "40001")
        self.assertEqual(len(chain_of(self.alice)), 1)

    def test_it_does_not_retry_other_integrity_errors(self) -> None:
        # A NOT NULL violation is the caller's bug, not a lost race: it must surface at once.
        audit.record(Event.MATERIAL_VIEWED, actor=Actor.system("test"), subject=self.alice)
        row = AuditEvent(actor_kind=ActorKind.SYSTEM, subject=self.alice, created_at=timezone.now())
        row.event = None  # type: ignore[assignment]
        with (
            mock.patch.object(chain, "_insert_after_head", wraps=chain._insert_after_head) as one_statement,
            mock.patch.object(chain, "head_of", wraps=chain.head_of) as spy,
            self.assertRaises(IntegrityError),
        ):
            chain.append(row)
        # One attempt: in one statement on PostgreSQL, after reading the head elsewhere.
        self.assertEqual(one_statement.call_count + spy.call_count, 1)

    def test_it_reads_the_head_and_inserts_in_one_statement_on_postgresql(self) -> None:
        audit.record(Event.MATERIAL_VIEWED, actor=Actor.system("test"), subject=self.alice)
        audit.record(Event.LOGIN_FAILED, actor=Actor.system("test"), subject=None)
        for subject in (self.alice, None):
            with self.subTest(subject=subject), CaptureQueriesContext(connection) as queries:
                row = audit.record(Event.MATERIAL_VIEWED, actor=Actor.system("test"), subject=subject)
            self.assertEqual(len(queries), 1 if connection.vendor == "postgresql" else 2)
            self.assertEqual(row.sequence, 2)
            stored = AuditEvent.objects.get(pk=row.pk)
            self.assertEqual((stored.prev_hash, stored.entry_hash), (row.prev_hash, entry_hash(row)))
        self.assertIsNone(verify_chain(chain_of(self.alice)))
        self.assertIsNone(verify_chain(list(AuditEvent.objects.filter(subject=None).order_by("sequence"))))


@on_postgresql
class ConcurrentAppendTests(TransactionTestCase):
    def test_it_never_gives_two_writers_the_same_position(self) -> None:
        alice = make_user("alice@example.org")
        per_thread, errors = 15, []
        barrier = threading.Barrier(3)

        # As an action does: the audit row inside the write's transaction, the transaction rerun by the
        # write if appending loses too often. The transaction stays open a moment after the append, so the
        # other writers' inserts wait for it and then collide.
        @write_action
        def act(subject: User | None) -> None:
            audit.record(Event.MATERIAL_VIEWED, actor=Actor.system("race"), subject=subject)
            time.sleep(0.002)

        def writer(subject_id: int | None) -> None:
            try:
                subject = User.objects.get(pk=subject_id) if subject_id else None
                barrier.wait()
                for _ in range(per_thread):
                    if subject is None:
                        # As @audited does after a response: no transaction around record(), which then
                        # opens and retries its own.
                        audit.record(Event.OPERATOR_DENIED, actor=Actor.system("race"), subject=None)
                    else:
                        act(subject)
            except Exception as error:  # reported by the main thread
                errors.append(error)
            finally:
                connections.close_all()

        for subject_id in (alice.pk, None):
            threads = [threading.Thread(target=writer, args=(subject_id,)) for _ in range(3)]
            barrier.reset()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        self.assertEqual(errors, [])
        for subject in (alice, None):
            sequences = [row.sequence for row in chain_of(subject)]
            self.assertEqual(sequences, list(range(1, 3 * per_thread + 1)))
        self.assertEqual(chain_verify.verify_database().breaks, [])


@on_postgresql
class AppendOnlyTriggerTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        audit.record(Event.PROFILE_UPDATED, actor=Actor.system("test"), subject=self.alice, data={"x": 1})
        self.row = chain_of(self.alice)[0]

    def test_it_refuses_updates_and_deletes_outside_maintenance(self) -> None:
        with self.assertRaisesMessage(DatabaseError, "append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=self.row.pk).update(metadata={})
        with self.assertRaisesMessage(DatabaseError, "append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=self.row.pk).delete()
        self.assertEqual(AuditEvent.objects.get(pk=self.row.pk).metadata, {"x": 1})

    def test_it_allows_them_inside_maintenance_only(self) -> None:
        with maintenance():
            AuditEvent.objects.filter(pk=self.row.pk).update(metadata={})
        # The setting was transaction-local to the block, even though the test's transaction goes on.
        with self.assertRaisesMessage(DatabaseError, "append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=self.row.pk).delete()

    def test_it_refuses_to_delete_a_user_outside_maintenance(self) -> None:
        # Django deletes the user's audit rows (CASCADE) and nulls their `actor` (SET_NULL) itself, with
        # DELETE and UPDATE statements the trigger sees: account deletion must run inside maintenance().
        with self.assertRaisesMessage(DatabaseError, "append-only"), transaction.atomic():
            self.alice.delete()
        self.assertTrue(User.objects.filter(pk=self.alice.pk).exists())
        with maintenance():
            self.alice.delete()
        self.assertFalse(User.objects.filter(pk=self.alice.pk).exists())
        self.assertFalse(AuditEvent.objects.filter(pk=self.row.pk).exists())
        self.assertEqual(chain_verify.verify_database().breaks, [])

    def test_it_undoes_the_setting_when_the_block_fails(self) -> None:
        with self.assertRaises(RuntimeError), maintenance():
            raise RuntimeError("erasure failed half-way")
        with self.assertRaisesMessage(DatabaseError, "append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=self.row.pk).delete()


@dataclass(frozen=True)
class Row:
    """A ChainEntry without a database, for the encoding tests."""

    id: int = 1
    subject_id: int | None = 7
    sequence: int = 1
    prev_hash: str = chain_encoding.GENESIS_HASH
    payload_hash: str = "0" * 64
    payload_salt: str = "00" * 16
    entry_hash: str = ""
    chain_version: int = 1
    created_at: datetime = datetime(2026, 11, 27, 12, 0, 0, 123456, tzinfo=UTC)
    event: str = "account.login_succeeded"
    actor_kind: str = "user"
    actor_id: int | None = 7
    actor_ref: int | None = 7
    actor_label: str = ""
    target_type: str = ""
    target_id: str = ""
    ip: str | None = "192.0.2.7"
    user_agent: str = "Firefox 140"
    metadata: Any = None


def sample_row() -> Row:
    return Row(metadata={})


def replace_row(row: AuditEvent, **changes: Any) -> Row:
    fields = {name: getattr(row, name) for name in Row.__dataclass_fields__}
    return Row(**{**fields, **changes})
