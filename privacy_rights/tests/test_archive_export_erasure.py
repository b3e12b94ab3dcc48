"""What export and erasure call: a user's archived events read back, and their archives removed."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.test import override_settings

from privacy_kernel import chain
from privacy_kernel.models import AuditArchive, AuditChainStart
from privacy_rights.retention import (
    ArchivesHeldOffline,
    archived_events_of,
    delete_archives_of,
    run_retention,
)
from privacy_rights.tests.archiving import NOW, ArchiveTestCase, at, chain_of, record_at


class ArchivedEventsOfTests(ArchiveTestCase):
    def setUp(self) -> None:
        super().setUp()
        record_at(self.alice, [at(2027, 1, 5), at(2027, 1, 6), at(2027, 2, 1), at(2027, 6, 1)])
        record_at(self.charlie, [at(2027, 1, 7)])
        self.alice_ids = [row.pk for row in chain_of(self.alice.pk)]
        run_retention(now=NOW)

    def test_it_reads_the_users_archived_events_oldest_first(self) -> None:
        events = list(archived_events_of(self.alice.pk))
        self.assertEqual([event["id"] for event in events], self.alice_ids[:3])
        self.assertEqual([event["sequence"] for event in events], [1, 2, 3])
        self.assertEqual(events[0]["event"], "materials.viewed")
        self.assertEqual(events[0]["created_at"], "2027-01-05T09:00:00.000000+00:00")
        self.assertEqual(events[2]["metadata"], {"n": 2, "email": "x@example.org"})
        self.assertTrue(all(event["subject_id"] == self.alice.pk for event in events))

    def test_it_reads_nothing_for_a_user_without_archives(self) -> None:
        self.assertEqual(list(archived_events_of(self.charlie.pk + 1000)), [])

    def test_it_names_the_months_it_cannot_read_without_a_server_key(self) -> None:
        with (
            override_settings(AUDIT_ARCHIVE_SERVER_KEY=None),
            self.assertRaises(ArchivesHeldOffline) as raised,
        ):
            list(archived_events_of(self.alice.pk))
        self.assertEqual(raised.exception.months, ["2027-01", "2027-02"])
        self.assertIn("held encrypted offline; ask support", str(raised.exception))

    def test_it_yields_what_it_can_read_and_then_names_the_rest(self) -> None:
        # An object written before the server key was configured: encrypted to the offline key alone.
        record_at(self.alice, [at(2027, 7, 1)])
        with override_settings(AUDIT_ARCHIVE_SERVER_KEY=None):
            run_retention(now=at(2027, 12, 1))
        seen: list[int] = []
        with self.assertRaises(ArchivesHeldOffline) as raised:
            seen.extend(event["sequence"] for event in archived_events_of(self.alice.pk))
        self.assertEqual(seen, [1, 2, 3])
        self.assertEqual(raised.exception.months, ["2027-06", "2027-07"])


class DeleteArchivesOfTests(ArchiveTestCase):
    def setUp(self) -> None:
        super().setUp()
        record_at(self.alice, [at(2027, 1, 5), at(2027, 2, 1), at(2027, 6, 1)])
        record_at(self.charlie, [at(2027, 6, 2)])
        run_retention(now=NOW)
        run_retention(now=at(2028, 7, 15))  # expires January and February: Alice gets a chain start

    def test_it_removes_every_object_and_record_of_the_user(self) -> None:
        self.assertTrue(AuditChainStart.objects.filter(subject_id=self.alice.pk).exists())
        charlies = self.objects_of(self.charlie.pk)

        removed = delete_archives_of(self.alice.pk)

        self.assertEqual(removed, 1)
        self.assertEqual(self.objects_of(self.alice.pk), [])
        self.assertFalse((self.tmp / "archive" / "audit" / str(self.alice.pk)).exists())
        self.assertFalse(AuditArchive.objects.filter(subject_id=self.alice.pk).exists())
        self.assertFalse(AuditChainStart.objects.filter(subject_id=self.alice.pk).exists())
        self.assertEqual(self.objects_of(self.charlie.pk), charlies)
        self.assertEqual(len(self.archives_of(self.charlie.pk)), 1)

    def test_it_also_removes_objects_no_record_points_at(self) -> None:
        # Written by a run that died before recording it.
        self.storage.save(f"audit/{self.alice.pk}/2028-01.jsonl.age", ContentFile(b"sealed"))
        self.assertEqual(delete_archives_of(self.alice.pk), 2)
        self.assertEqual(self.objects_of(self.alice.pk), [])

    def test_it_finishes_what_an_interrupted_erasure_left(self) -> None:
        (june,) = self.archives_of(self.alice.pk)
        self.storage.delete(june.path)  # the object went, then the erasure died
        self.assertEqual(delete_archives_of(self.alice.pk), 0)
        self.assertFalse(AuditArchive.objects.filter(subject_id=self.alice.pk).exists())
        self.assertEqual(delete_archives_of(self.alice.pk), 0)

    def test_it_removes_archives_of_deleted_accounts_on_the_next_run(self) -> None:
        charlie_id = self.charlie.pk
        with chain.maintenance():
            self.charlie.delete()  # deleted without its archives, as an erasure that died half-way leaves it

        report = run_retention(now=at(2028, 7, 15))

        self.assertEqual(report.orphaned_objects, 1)
        self.assertEqual(self.objects_of(charlie_id), [])
        self.assertFalse(AuditArchive.objects.filter(subject_id=charlie_id).exists())
        self.assertIn("Every chain verifies", self.audit_verify("--identity", str(self.identity_file)))
