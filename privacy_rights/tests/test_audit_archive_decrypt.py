"""`manage.py audit_archive_decrypt`: an operator who brings the offline identity reads one object."""

from __future__ import annotations

import json
import stat
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from pyrage import x25519

from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent
from privacy_rights.retention import run_retention
from privacy_rights.tests.archiving import NOW, ArchiveTestCase, at, chain_of, record_at


class DecryptCommandTests(ArchiveTestCase):
    def setUp(self) -> None:
        super().setUp()
        record_at(self.alice, [at(2027, 1, 5), at(2027, 1, 6)])
        run_retention(now=NOW)
        (self.record,) = self.archives_of(self.alice.pk)

    def decrypt(self, *args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("audit_archive_decrypt", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_prints_the_objects_lines(self) -> None:
        out, _ = self.decrypt(self.record.path, "--identity", str(self.identity_file))
        header, *lines = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(
            (header["subject_id"], header["month"], header["event_count"]), (self.alice.pk, "2027-01", 2)
        )
        self.assertEqual([line["sequence"] for line in lines], [1, 2])

    def test_it_tells_the_owner_an_operator_read_their_archive(self) -> None:
        self.decrypt(self.record.path, "--identity", str(self.identity_file))
        (opened,) = chain_of(self.alice.pk)
        self.assertEqual((opened.event, opened.actor_kind), (Event.AUDIT_ARCHIVE_OPENED, ActorKind.OPERATOR))
        self.assertEqual(opened.metadata, {"month": "2027-01", "part": 1, "events": 2})
        # It continues the archived chain.
        self.assertEqual((opened.sequence, opened.prev_hash), (3, self.record.end_hash))

    def test_it_writes_to_a_private_file(self) -> None:
        target = self.tmp / "out.jsonl"
        _, err = self.decrypt(
            self.record.path, "--identity", str(self.identity_file), "--output", str(target)
        )
        self.assertIn("Wrote 2 events of 2027-01", err)
        self.assertEqual(stat.S_IMODE(target.stat().st_mode), 0o600)
        self.assertEqual(len(target.read_text().splitlines()), 3)

    def test_it_reads_a_downloaded_copy(self) -> None:
        copy = self.tmp / "copy.age"
        with self.storage.open(self.record.path, "rb") as stored:
            copy.write_bytes(stored.read())
        out, _ = self.decrypt(str(copy), "--local", "--identity", str(self.identity_file))
        self.assertEqual(len(out.splitlines()), 3)

    def test_it_refuses_the_wrong_identity_and_records_nothing(self) -> None:
        wrong = self.tmp / "wrong.txt"
        wrong.write_text(f"{x25519.Identity.generate()}\n")
        with self.assertRaisesMessage(CommandError, "cannot decrypt it with the given identity"):
            self.decrypt(self.record.path, "--identity", str(wrong))
        self.assertFalse(AuditEvent.objects.filter(event=Event.AUDIT_ARCHIVE_OPENED).exists())

    def test_it_explains_an_unknown_object(self) -> None:
        with self.assertRaisesMessage(
            CommandError, "audit/0/2020-01.jsonl.age: no such object in the archive"
        ):
            self.decrypt("audit/0/2020-01.jsonl.age", "--identity", str(self.identity_file))
        with self.assertRaisesMessage(CommandError, "cannot read it"):
            self.decrypt(str(self.tmp / "nothing.age"), "--local", "--identity", str(self.identity_file))
