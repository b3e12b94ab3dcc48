"""The archive's keys: the development identity, strictness in production, and never a secret in a log."""

from __future__ import annotations

import stat
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from pyrage import x25519

from privacy_kernel.masking import mask_text
from privacy_rights import archive
from privacy_rights.checks import check_audit_archive_keys
from privacy_rights.retention import archived_events_of, run_retention
from privacy_rights.tests.archiving import NOW, ArchiveTestCase, at, record_at


class DevelopmentKeyTests(ArchiveTestCase):
    def test_it_makes_a_development_identity_on_first_use(self) -> None:
        record_at(self.alice, [at(2027, 1, 5)])
        path = self.tmp / archive.DEVELOPMENT_IDENTITY_FILE
        with override_settings(AUDIT_ARCHIVE_RECIPIENT=[], AUDIT_ARCHIVE_SERVER_KEY=None):
            self.assertFalse(path.exists())
            run_retention(now=NOW)
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
            identity = archive.load_identities(path)[0]
            (record,) = self.archives_of(self.alice.pk)
            self.assertEqual(record.recipients, str(identity.to_public()))
            # The same identity serves as the server's: export works in development.
            self.assertEqual(len(list(archived_events_of(self.alice.pk))), 1)
            # And the next run keeps it.
            self.assertEqual(archive.development_identity().to_public().__str__(), str(identity.to_public()))
        self.assertIn("Every chain verifies", self.audit_verify("--identity", str(path)))

    def test_it_needs_no_key_when_there_is_nothing_to_archive(self) -> None:
        with override_settings(AUDIT_ARCHIVE_RECIPIENT=[], AUDIT_ARCHIVE_SERVER_KEY=None, PRODUCTION=True):
            run_retention(now=NOW)
        self.assertFalse((self.tmp / archive.DEVELOPMENT_IDENTITY_FILE).exists())


class ProductionKeyTests(ArchiveTestCase):
    def test_it_refuses_to_archive_without_a_recipient_in_production(self) -> None:
        record_at(self.alice, [at(2025, 1, 5)])  # old enough for the real clock the command runs at
        with (
            override_settings(AUDIT_ARCHIVE_RECIPIENT=[], AUDIT_ARCHIVE_SERVER_KEY=None, PRODUCTION=True),
            self.assertRaisesMessage(CommandError, "AUDIT_ARCHIVE_RECIPIENT is required in production"),
        ):
            call_command("audit_archive", stdout=StringIO())
        self.assertFalse((self.tmp / archive.DEVELOPMENT_IDENTITY_FILE).exists())
        self.assertEqual(self.archives_of(self.alice.pk), [])

    def test_it_refuses_a_server_key_without_an_offline_recipient(self) -> None:
        with (
            override_settings(AUDIT_ARCHIVE_RECIPIENT=[]),
            self.assertRaisesMessage(archive.ArchiveKeyError, "AUDIT_ARCHIVE_RECIPIENT is required"),
        ):
            archive.encryption_recipients()

    def test_it_refuses_a_malformed_recipient_when_encrypting(self) -> None:
        with (
            override_settings(AUDIT_ARCHIVE_RECIPIENT=["age1short"]),
            self.assertRaisesMessage(archive.ArchiveKeyError, "'age1short' is not an age public key"),
        ):
            archive.encryption_recipients()

    def test_it_encrypts_to_every_recipient_and_the_server(self) -> None:
        second = x25519.Identity.generate()
        recipients = [str(self.offline.to_public()), str(second.to_public())]
        with override_settings(AUDIT_ARCHIVE_RECIPIENT=recipients):
            self.assertEqual(archive.encryption_recipients(), [*recipients, str(self.server.to_public())])


class CheckTests(ArchiveTestCase):
    def ids(self) -> list[str]:
        return [message.id or "" for message in check_audit_archive_keys(None)]

    def test_it_accepts_well_formed_keys(self) -> None:
        with override_settings(PRODUCTION=True):
            self.assertEqual(self.ids(), [])

    def test_it_names_each_problem(self) -> None:
        with override_settings(PRODUCTION=True, AUDIT_ARCHIVE_RECIPIENT=[], AUDIT_ARCHIVE_SERVER_KEY=None):
            self.assertEqual(self.ids(), ["privacy.E002", "privacy.W001"])
        with override_settings(
            AUDIT_ARCHIVE_RECIPIENT=["age1x"], AUDIT_ARCHIVE_SERVER_KEY="AGE-SECRET-KEY-1XYZ"
        ):
            self.assertEqual(self.ids(), ["privacy.E001", "privacy.E003"])

    def test_it_lets_development_run_without_keys(self) -> None:
        with override_settings(PRODUCTION=False, AUDIT_ARCHIVE_RECIPIENT=[], AUDIT_ARCHIVE_SERVER_KEY=None):
            self.assertEqual(self.ids(), [])

    def test_it_masks_an_identity_in_log_lines(self) -> None:
        line = f"loaded key {self.server} for the archive"
        self.assertEqual(mask_text(line), "loaded key [masked] for the archive")
