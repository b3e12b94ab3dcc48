"""`manage.py audit_verify` across the archive boundary: records linked without a key, objects with one."""

from __future__ import annotations

import json

from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from pyrage import x25519

from privacy_kernel import chain, chain_verify
from privacy_kernel.models import AuditArchive, AuditEvent
from privacy_rights import archive
from privacy_rights.retention import run_retention
from privacy_rights.tests.archiving import NOW, ArchiveTestCase, at, chain_of, record_at, sealed_to


class ArchiveVerifyTests(ArchiveTestCase):
    def setUp(self) -> None:
        super().setUp()
        record_at(self.alice, [at(2027, 1, 5), at(2027, 1, 6), at(2027, 2, 1), at(2027, 6, 1)])
        record_at(self.charlie, [at(2027, 1, 7), at(2027, 6, 2)])
        record_at(None, [at(2027, 2, 8)])
        run_retention(now=NOW)
        self.january, self.february = self.archives_of(self.alice.pk)

    def assert_broken(self, message: str, *args: str) -> None:
        with self.assertRaises(CommandError) as raised:
            self.audit_verify(*args)
        self.assertIn(message, str(raised.exception))

    def replace_object(self, record: AuditArchive, data: bytes, *, fix_size: bool = False) -> None:
        if fix_size:
            # As someone who can write both the bucket and the table would.
            AuditArchive.objects.filter(pk=record.pk).update(size=len(data))
        self.storage.delete(record.path)
        self.assertEqual(self.storage.save(record.path, ContentFile(data)), record.path)

    def rewritten(self, record: AuditArchive, change: dict[str, object], line: int = 1) -> bytes:
        """The record's object decrypted, one entry line changed, encrypted again to the same key."""
        header, lines = self.decrypted(record.path)
        lines[line].update(change)
        plaintext = b"".join(
            json.dumps(value, separators=(",", ":")).encode() + b"\n" for value in [header.to_json(), *lines]
        )
        return sealed_to(self.offline, plaintext)

    def test_it_verifies_the_live_rows_from_the_archived_heads(self) -> None:
        out = self.audit_verify()
        self.assertIn("Verified 2 chains, 2 events", out)
        self.assertIn("4 archives of 3 chains linked (contents not checked: no --identity)", out)
        self.assertIn("Every chain verifies", out)

    def test_it_verifies_the_archived_entries_with_an_identity(self) -> None:
        out = self.audit_verify("--identity", str(self.identity_file))
        self.assertIn("4 archives of 3 chains linked, 5 archived events decrypted and verified", out)
        self.assertIn("Every chain verifies", out)

    def test_it_detects_an_edited_archived_entry(self) -> None:
        _, lines = self.decrypted(self.january.path)
        self.replace_object(
            self.january, self.rewritten(self.january, {"target_id": "edited"}), fix_size=True
        )
        # Without a key nothing is read from the objects; with one, the entry shows.
        self.assertIn("Every chain verifies", self.audit_verify())
        self.assert_broken(
            f"chain of subject {self.alice.pk}: event {lines[1]['id']} (sequence 2) in archive "
            f"{self.january.path}: entry hash mismatch",
            "--identity",
            str(self.identity_file),
        )

    def test_it_detects_edited_archived_metadata(self) -> None:
        self.replace_object(
            self.january, self.rewritten(self.january, {"metadata": {"n": 7}}, line=0), fix_size=True
        )
        self.assert_broken("payload hash mismatch", "--identity", str(self.identity_file))

    def test_it_detects_a_replaced_object(self) -> None:
        self.replace_object(self.january, b"x" * self.january.size)
        self.assert_broken(
            f"archive {self.january.path} (sequences 1-2): cannot decrypt it",
            "--identity",
            str(self.identity_file),
        )

    def test_it_detects_an_object_of_another_size(self) -> None:
        self.replace_object(self.january, b"x")
        self.assert_broken(
            f"the object is 1 bytes, its record says {self.january.size}",
            "--identity",
            str(self.identity_file),
        )

    def test_it_detects_a_missing_object(self) -> None:
        self.storage.delete(self.january.path)
        self.assert_broken("(sequences 1-2): the object is missing", "--identity", str(self.identity_file))

    def test_it_detects_another_chains_object_in_its_place(self) -> None:
        (charlies,) = self.archives_of(self.charlie.pk)
        with self.storage.open(charlies.path, "rb") as stored:
            data = stored.read()
        self.replace_object(self.january, data, fix_size=True)
        self.assert_broken("its header", "--identity", str(self.identity_file))

    def test_it_detects_an_edited_archive_head(self) -> None:
        AuditArchive.objects.filter(pk=self.february.pk).update(end_hash="f" * 64)
        # Without a key: the live rows no longer continue from it.
        (live,) = chain_of(self.alice.pk)
        self.assert_broken(
            f"chain of subject {self.alice.pk}: event {live.pk} (sequence 4): prev link mismatch"
        )
        # With one: the object does not end where its record says.
        self.assert_broken(
            f"archive {self.february.path} (sequences 3-3): its header", "--identity", str(self.identity_file)
        )

    def test_it_detects_an_archive_record_that_does_not_link_up(self) -> None:
        AuditArchive.objects.filter(pk=self.february.pk).update(start_hash="e" * 64)
        self.assert_broken(
            f"chain of subject {self.alice.pk}: archive {self.february.path} (sequences 3-3): it starts "
            f"after sequence 2 ({'e' * 64}), but the chain before it ends at sequence 2 "
            f"({self.january.end_hash})"
        )

    def test_it_detects_a_deleted_archive_record(self) -> None:
        self.january.delete()
        self.assert_broken("but the chain before it ends at sequence 0")

    def test_it_reports_one_break_per_chain(self) -> None:
        AuditArchive.objects.filter(pk=self.january.pk).update(start_hash="e" * 64)
        with self.assertRaises(CommandError) as raised:
            self.audit_verify()
        self.assertIn("1 of 3 chains are broken", str(raised.exception))
        self.assertEqual(str(raised.exception).count("BROKEN"), 1)

    def test_it_detects_a_live_row_edited_after_archiving(self) -> None:
        (live,) = chain_of(self.charlie.pk)
        with chain.maintenance():
            AuditEvent.objects.filter(pk=live.pk).update(user_agent="edited")
        self.assert_broken(
            f"chain of subject {self.charlie.pk}: event {live.pk} (sequence 2): entry hash mismatch"
        )

    def test_it_refuses_the_wrong_identity(self) -> None:
        wrong = self.tmp / "wrong.txt"
        wrong.write_text(f"{x25519.Identity.generate()}\n")
        self.assert_broken("cannot decrypt it with the given identity", "--identity", str(wrong))

    def test_it_explains_an_unusable_identity_file(self) -> None:
        self.assert_broken("Cannot read the identity file", "--identity", str(self.tmp / "missing.txt"))
        empty = self.tmp / "empty.txt"
        empty.write_text("# nothing here\n")
        self.assert_broken("holds no age identity (AGE-SECRET-KEY-1…)", "--identity", str(empty))
        public = self.tmp / "public.txt"
        public.write_text(f"{self.offline.to_public()}\n")
        self.assert_broken("must be an age identity", "--identity", str(public))

    def test_it_reads_the_archive_with_the_server_identity_too(self) -> None:
        server_file = self.tmp / "server.txt"
        server_file.write_text(f"{self.server}\n")
        self.assertIn("Every chain verifies", self.audit_verify("--identity", str(server_file)))

    def test_it_parses_archived_entries_strictly(self) -> None:
        _, lines = self.decrypted(self.january.path)
        line = lines[0]
        with self.assertRaisesMessage(archive.ArchiveReadError, "exactly the chained fields"):
            archive.ArchivedEntry.from_json({**line, "extra": 1})
        with self.assertRaisesMessage(archive.ArchiveReadError, "without a UTC offset"):
            archive.ArchivedEntry.from_json({**line, "created_at": "2027-01-05T09:00:00"})
        with self.assertRaisesMessage(archive.ArchiveReadError, "not a omoikane.audit.archive.v1 header"):
            archive.decode_object(b'{"format": "other"}\n')
        self.assertEqual(chain_verify.ENTRY_FIELDS, tuple(archive.ArchivedEntry.__dataclass_fields__))
