"""Moving audit events older than AUDIT_HOT_DAYS into encrypted archives, and deleting expired archives."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from privacy_kernel import audit, chain, chain_encoding, chain_verify
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditArchive, AuditChainStart, AuditEvent
from privacy_rights import archive
from privacy_rights.retention import (
    RUN_LOCK_KEY,
    ArchiveRunInProgress,
    archive_old_events,
    delete_archived_rows,
    hot_cutoff,
    months_before,
    next_batch,
    record_archive,
    run_retention,
    write_object,
)
from privacy_rights.tests.archiving import NOW, ArchiveTestCase, at, chain_of, record_at

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


class ArchiveEventsTests(ArchiveTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Cutoff at NOW minus 90 days: 2027-03-17. January and February are old; June is hot.
        record_at(
            self.alice, [at(2027, 1, 5), at(2027, 1, 20), at(2027, 1, 31, 23), at(2027, 2, 3), at(2027, 2, 4)]
        )
        record_at(self.alice, [at(2027, 6, 1)])
        self.alice_chain = chain_of(self.alice.pk)

    def test_it_moves_old_events_into_one_object_per_month(self) -> None:
        report = run_retention(now=NOW)

        self.assertEqual((report.archived_events, report.objects_written, report.refused), (5, 2, []))
        folder = f"audit/{self.alice.pk}"
        self.assertEqual(
            self.objects_of(self.alice.pk), [f"{folder}/2027-01.jsonl.age", f"{folder}/2027-02.jsonl.age"]
        )
        january, february = self.archives_of(self.alice.pk)
        self.assertEqual((january.first_sequence, january.last_sequence, january.event_count), (1, 3, 3))
        self.assertEqual((february.first_sequence, february.last_sequence, february.event_count), (4, 5, 2))
        self.assertEqual(january.start_hash, chain_encoding.GENESIS_HASH)
        self.assertEqual(january.end_hash, self.alice_chain[2].entry_hash)
        self.assertEqual(february.start_hash, january.end_hash)
        self.assertEqual(february.size, self.storage.size(february.path))
        self.assertEqual(january.recipients, f"{self.offline.to_public()},{self.server.to_public()}")
        # Only the June event stays live.
        self.assertEqual([row.sequence for row in chain_of(self.alice.pk)], [6])

    def test_it_writes_every_chained_field_so_the_archive_verifies_offline(self) -> None:
        run_retention(now=NOW)
        header, lines = self.decrypted(f"audit/{self.alice.pk}/2027-01.jsonl.age")

        self.assertEqual(
            (header.subject_id, header.month, header.part, header.start, header.end),
            (
                self.alice.pk,
                "2027-01",
                1,
                chain_encoding.GENESIS,
                chain_encoding.ChainHead(3, self.alice_chain[2].entry_hash),
            ),
        )
        self.assertEqual([line["id"] for line in lines], [row.pk for row in self.alice_chain[:3]])
        first = lines[0]
        self.assertEqual(set(first), set(chain_verify.ENTRY_FIELDS))
        self.assertEqual(first["payload_salt"], self.alice_chain[0].payload_salt)
        self.assertEqual(first["metadata"], {"n": 0, "email": "x@example.org"})
        self.assertEqual(first["created_at"], "2027-01-05T09:00:00.000000+00:00")
        entries = [archive.ArchivedEntry.from_json(line) for line in lines]
        self.assertIsNone(chain_verify.verify_chain(entries, start=header.start))
        # The server's own identity opens it too (for export), and nothing else does.
        self.assertEqual(self.decrypted(f"audit/{self.alice.pk}/2027-01.jsonl.age", self.server)[1], lines)

    def test_it_keeps_the_object_unreadable_without_an_identity(self) -> None:
        run_retention(now=NOW)
        with self.storage.open(f"audit/{self.alice.pk}/2027-01.jsonl.age", "rb") as stored:
            data = stored.read()
        self.assertTrue(data.startswith(b"age-encryption.org/v1\n"))
        self.assertNotIn(b"example.org", data)
        self.assertNotIn(b"materials.viewed", data)

    def test_it_continues_the_chain_after_the_archived_head(self) -> None:
        # Charlie goes quiet: every event of his is archived, and the next one must not restart at 1.
        record_at(self.charlie, [at(2027, 1, 2), at(2027, 1, 3)])
        run_retention(now=NOW)
        self.assertEqual(chain_of(self.charlie.pk), [])

        audit.record(Event.LOGIN_SUCCEEDED, actor=Actor.system("test"), subject=self.charlie)

        (row,) = chain_of(self.charlie.pk)
        self.assertEqual((row.sequence, row.prev_hash), (3, self.archives_of(self.charlie.pk)[0].end_hash))
        self.assertIn("Every chain verifies", self.audit_verify("--identity", str(self.identity_file)))

    def test_it_adds_a_part_when_a_month_is_archived_again(self) -> None:
        record_at(self.charlie, [at(2027, 2, 1), at(2027, 2, 25), at(2027, 3, 1)])
        run_retention(now=at(2027, 5, 20))  # cutoff 2027-02-19: only the first
        run_retention(now=NOW)

        folder = f"audit/{self.charlie.pk}"
        self.assertEqual(
            self.objects_of(self.charlie.pk),
            [f"{folder}/2027-02.2.jsonl.age", f"{folder}/2027-02.jsonl.age", f"{folder}/2027-03.jsonl.age"],
        )
        self.assertEqual(
            [(a.part, a.first_sequence) for a in self.archives_of(self.charlie.pk)], [(1, 1), (2, 2), (1, 3)]
        )
        self.assertIn("Every chain verifies", self.audit_verify("--identity", str(self.identity_file)))

    def test_it_archives_nothing_twice(self) -> None:
        run_retention(now=NOW)
        objects = self.objects_of(self.alice.pk)

        report = run_retention(now=NOW)

        self.assertEqual(
            (report.archived_events, report.objects_written, report.leftover_events_deleted), (0, 0, 0)
        )
        self.assertEqual(self.objects_of(self.alice.pk), objects)
        self.assertEqual(AuditArchive.objects.count(), 2)

    def test_it_archives_the_system_chain(self) -> None:
        record_at(None, [at(2027, 1, 7), at(2027, 1, 8)], Event.LOGIN_FAILED)
        run_retention(now=NOW)

        self.assertEqual(self.objects_of(None), ["audit/system/2027-01.jsonl.age"])
        (record,) = self.archives_of(None)
        self.assertIsNone(record.subject_id)
        header, lines = self.decrypted(record.path)
        self.assertEqual((header.subject_id, len(lines)), (None, 2))
        self.assertEqual(chain_of(None), [])
        audit.record(Event.LOGIN_FAILED, actor=Actor.system("test"), subject=None)
        self.assertEqual(chain_of(None)[0].sequence, 3)
        self.assertIn("Every chain verifies", self.audit_verify("--identity", str(self.identity_file)))

    def test_it_stops_at_the_first_event_that_is_not_old_enough(self) -> None:
        # Sequence order decides, not time: an old entry after a recent one stays live with it.
        record_at(self.charlie, [at(2027, 1, 2), at(2027, 5, 1), at(2027, 1, 3)])
        run_retention(now=NOW)
        self.assertEqual([row.sequence for row in chain_of(self.charlie.pk)], [2, 3])

    def test_it_splits_a_long_month_into_parts(self) -> None:
        archive_old_events(now=NOW, max_events=2)
        self.assertEqual(
            [(a.month.month, a.part, a.event_count) for a in self.archives_of(self.alice.pk)],
            [(1, 1, 2), (1, 2, 1), (2, 1, 2)],
        )

    def test_it_runs_one_at_a_time(self) -> None:
        cache.add(RUN_LOCK_KEY, "another run", timeout=60)
        with self.assertRaises(ArchiveRunInProgress):
            run_retention(now=NOW)
        out = StringIO()
        call_command("audit_archive", stdout=out)
        self.assertIn("Another audit archiving run is in progress. Nothing done.", out.getvalue())
        self.assertEqual(AuditArchive.objects.count(), 0)


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


class AuditArchiveCommandTests(ArchiveTestCase):
    """`manage.py audit_archive` runs at the real present: the events are placed relative to it."""

    def setUp(self) -> None:
        super().setUp()
        record_at(self.alice, [days_ago(200), days_ago(199), days_ago(10)])

    def test_it_refuses_a_chain_that_does_not_verify(self) -> None:
        row = chain_of(self.alice.pk)[1]
        with chain.maintenance():
            AuditEvent.objects.filter(pk=row.pk).update(metadata={"n": 99})
        record_at(self.charlie, [days_ago(120)])

        out, err = StringIO(), StringIO()
        with self.assertRaisesMessage(CommandError, "1 chains were not archived because they do not verify"):
            call_command("audit_archive", stdout=out, stderr=err)

        self.assertIn(f"NOT ARCHIVED chain of subject {self.alice.pk}: event {row.pk}", err.getvalue())
        self.assertIn("payload hash mismatch", err.getvalue())
        # Nothing of Alice's moved; Charlie's chain was archived all the same.
        self.assertEqual(len(chain_of(self.alice.pk)), 3)
        self.assertEqual((self.objects_of(self.alice.pk), self.archives_of(self.alice.pk)), ([], []))
        self.assertEqual(len(self.archives_of(self.charlie.pk)), 1)

    def test_it_runs_as_a_command_and_prints_counts(self) -> None:
        out = StringIO()
        call_command("audit_archive", stdout=out)
        self.assertIn("Archived 2 events in 1 objects", out.getvalue())
        out = StringIO()
        call_command("audit_archive", stdout=out)
        self.assertIn("Archived 0 events in 0 objects", out.getvalue())


class CrashRecoveryTests(ArchiveTestCase):
    """A run that dies between its steps, then runs again, loses and duplicates nothing."""

    def setUp(self) -> None:
        super().setUp()
        record_at(self.alice, [at(2027, 1, 5), at(2027, 1, 6), at(2027, 1, 7), at(2027, 2, 1)])
        self.rows = chain_of(self.alice.pk)
        batch = next_batch(self.alice.pk, chain.archived_head_of(self.alice.pk), hot_cutoff(NOW))
        assert batch is not None
        self.batch = batch
        self.recipients = archive.encryption_recipients()

    def assert_archived_once(self) -> None:
        folder = f"audit/{self.alice.pk}"
        self.assertEqual(
            self.objects_of(self.alice.pk), [f"{folder}/2027-01.jsonl.age", f"{folder}/2027-02.jsonl.age"]
        )
        self.assertEqual(
            [(a.first_sequence, a.last_sequence) for a in self.archives_of(self.alice.pk)], [(1, 3), (4, 4)]
        )
        ids = [
            line["id"]
            for record in self.archives_of(self.alice.pk)
            for line in self.decrypted(record.path)[1]
        ]
        self.assertEqual(ids, [row.pk for row in self.rows])
        self.assertEqual(chain_of(self.alice.pk), [])
        self.assertIn("Every chain verifies", self.audit_verify("--identity", str(self.identity_file)))

    def test_it_recovers_when_the_object_was_written_but_not_recorded(self) -> None:
        written = write_object(self.batch, self.recipients)
        self.assertEqual(written.path, f"audit/{self.alice.pk}/2027-01.jsonl.age")
        self.assertEqual(len(chain_of(self.alice.pk)), 4)
        # Meanwhile the live rows still verify on their own: nothing was recorded.
        self.assertIn("Every chain verifies", self.audit_verify())

        report = run_retention(now=NOW)

        self.assertEqual((report.archived_events, report.objects_written), (4, 2))
        self.assert_archived_once()

    def test_it_recovers_when_the_archive_was_recorded_but_rows_not_deleted(self) -> None:
        written = write_object(self.batch, self.recipients)
        record_archive(self.batch, written)

        report = run_retention(now=NOW)

        self.assertEqual(
            (report.leftover_events_deleted, report.archived_events, report.objects_written), (3, 1, 1)
        )
        self.assert_archived_once()

    def test_it_keeps_leftovers_that_are_not_what_was_archived(self) -> None:
        written = write_object(self.batch, self.recipients)
        record_archive(self.batch, written)
        with chain.maintenance():
            AuditEvent.objects.filter(pk=self.rows[1].pk).update(target_id="edited")

        report = run_retention(now=NOW)

        self.assertEqual(len(report.refused), 1)
        self.assertIn("are not the ones the archive recorded", report.refused[0])
        self.assertEqual(len(chain_of(self.alice.pk)), 4)

    def test_it_archives_nothing_when_rows_vanish_before_the_commit(self) -> None:
        # The account's erasure deleted rows between reading and archiving: nothing is recorded, and the
        # object written for them is removed again.
        from privacy_rights.retention import ArchiveConflict, move

        with chain.maintenance():
            delete_archived_rows(self.alice.pk, 2, 2)
        with self.assertRaises(ArchiveConflict):
            move(self.batch, self.recipients)
        self.assertEqual((self.objects_of(self.alice.pk), self.archives_of(self.alice.pk)), ([], []))


class ExpiryTests(ArchiveTestCase):
    def setUp(self) -> None:
        super().setUp()
        record_at(self.alice, [at(2027, 1, 5), at(2027, 2, 1), at(2027, 6, 1)])
        run_retention(now=NOW)  # archives January and February

    def test_it_deletes_archives_after_the_archive_months(self) -> None:
        later = at(2028, 7, 15)  # hot cutoff 2028-04-16; archives end before 2027-04-16 expire
        february = self.archives_of(self.alice.pk)[1]

        report = run_retention(now=later)

        self.assertEqual(report.expired_objects, 2)
        self.assertEqual(self.objects_of(self.alice.pk), [f"audit/{self.alice.pk}/2027-06.jsonl.age"])
        (june,) = self.archives_of(self.alice.pk)
        start = AuditChainStart.objects.get(subject_id=self.alice.pk)
        self.assertEqual((start.sequence, start.entry_hash), (2, february.end_hash))
        self.assertEqual(june.start_hash, february.end_hash)
        self.assertIn("Every chain verifies", self.audit_verify())
        self.assertIn("Every chain verifies", self.audit_verify("--identity", str(self.identity_file)))
        audit.record(Event.LOGIN_SUCCEEDED, actor=Actor.system("test"), subject=self.alice)
        self.assertEqual(chain_of(self.alice.pk)[0].sequence, 4)
        self.assertIn("Every chain verifies", self.audit_verify())

    def test_it_keeps_archives_until_their_newest_event_is_due(self) -> None:
        # Hot cutoff 2028-01-31 12:00, so archives whose newest event is older than 2027-01-31 12:00 go:
        # January's; February's (2027-02-01) stays.
        report = run_retention(now=at(2028, 4, 30, 12))
        self.assertEqual(report.expired_objects, 1)
        self.assertEqual([a.month.month for a in self.archives_of(self.alice.pk)], [2, 6])

    def test_it_finishes_an_expiry_that_died_after_deleting_the_object(self) -> None:
        january = self.archives_of(self.alice.pk)[0]
        self.storage.delete(january.path)
        report = run_retention(now=at(2028, 4, 30, 12))
        self.assertEqual(report.expired_objects, 1)
        self.assertFalse(AuditArchive.objects.filter(pk=january.pk).exists())
        self.assertIn("Every chain verifies", self.audit_verify("--identity", str(self.identity_file)))

    def test_it_counts_months_on_the_calendar(self) -> None:
        self.assertEqual(months_before(at(2028, 3, 31), 1), at(2028, 2, 29))
        self.assertEqual(months_before(at(2028, 1, 15), 12), at(2027, 1, 15))
        self.assertEqual(months_before(at(2028, 1, 15), 13), at(2026, 12, 15))


@on_postgresql
class AppendOnlyTriggerTests(ArchiveTestCase):
    """On PostgreSQL the trigger refuses DELETE outside chain.maintenance(); archiving deletes inside it."""

    def setUp(self) -> None:
        super().setUp()
        record_at(self.alice, [at(2027, 1, 5), at(2027, 1, 6)])

    def test_it_refuses_to_delete_archived_rows_outside_maintenance(self) -> None:
        with self.assertRaisesMessage(DatabaseError, "append-only"), transaction.atomic():
            delete_archived_rows(self.alice.pk, 1, 2)
        self.assertEqual(len(chain_of(self.alice.pk)), 2)

    def test_it_archives_through_the_trigger(self) -> None:
        report = run_retention(now=NOW)
        self.assertEqual((report.archived_events, report.refused), (2, []))
        self.assertEqual(chain_of(self.alice.pk), [])
        # The setting was local to each archiving transaction: a stray delete is still refused.
        audit.record(Event.LOGIN_SUCCEEDED, actor=Actor.system("test"), subject=self.alice)
        with self.assertRaisesMessage(DatabaseError, "append-only"), transaction.atomic():
            AuditEvent.objects.filter(subject=self.alice).delete()
