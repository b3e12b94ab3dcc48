"""Scaffolding for the audit archive tests: keys made per test, an archive storage in a temporary folder,
and events placed in time through the real record() path."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from pyrage import x25519

from accounts.models import User
from omoikane.storage import FILESYSTEM_BACKEND
from omoikane.testing import BaseTestCase
from privacy_kernel import audit, chain, chain_encoding
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditArchive, AuditEvent
from privacy_rights import archive

# A fixed "now" for the retention runs: events are placed before it.
NOW = datetime(2027, 6, 15, 12, 0, tzinfo=UTC)


def at(year: int, month: int, day: int = 10, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def chain_of(subject_id: int | None) -> list[AuditEvent]:
    rows = (
        AuditEvent.objects.filter(subject__isnull=True)
        if subject_id is None
        else AuditEvent.objects.filter(subject_id=subject_id)
    )
    return list(rows.order_by("sequence"))


def record_at(user: User | None, times: list[datetime], event: Event = Event.MATERIAL_VIEWED) -> None:
    """Record one event per time through audit.record(), then move the new entries to those times.

    record() stamps the present, and the retention tests need the past; so the new entries get their times
    inside chain.maintenance() and are sealed again in order, continuing the chain (which stays valid).
    """
    subject_id = None if user is None else user.pk
    before = len(chain_of(subject_id))
    for number, _ in enumerate(times):
        audit.record(
            event, actor=Actor.system("test"), subject=user, data={"n": number, "email": "x@example.org"}
        )
    rows = chain_of(subject_id)
    if before:
        head = chain_encoding.ChainHead(rows[before - 1].sequence, rows[before - 1].entry_hash)
    else:
        head = chain.archived_head_of(subject_id)
    with chain.maintenance():
        for row, when in zip(rows[before:], times, strict=True):
            row.created_at = when
            chain.seal(row, head)
            row.save()
            head = chain_encoding.ChainHead(row.sequence, row.entry_hash)


def sealed_to(identity: x25519.Identity, data: bytes) -> bytes:
    return archive.encrypt(data, [str(identity.to_public())])


class ArchiveTestCase(BaseTestCase):
    """BaseTestCase with its own archive storage and keys: an offline identity (in a file, as an operator
    brings it) and a server identity (as the sops secrets give it)."""

    def setUp(self) -> None:
        super().setUp()
        folder = tempfile.TemporaryDirectory(prefix="omoikane-archive-test-")
        self.addCleanup(folder.cleanup)
        self.tmp = Path(folder.name)
        self.offline = x25519.Identity.generate()
        self.server = x25519.Identity.generate()
        self.identity_file = self.tmp / "offline-identity.txt"
        self.identity_file.write_text(f"# an operator's identity\n{self.offline}\n")
        override = override_settings(
            VAR_DIR=self.tmp,
            STORAGES={
                **settings.STORAGES,
                "archive": {
                    "BACKEND": FILESYSTEM_BACKEND,
                    "OPTIONS": {"location": str(self.tmp / "archive")},
                },
            },
            AUDIT_ARCHIVE_RECIPIENT=[str(self.offline.to_public())],
            AUDIT_ARCHIVE_SERVER_KEY=str(self.server),
        )
        override.enable()
        self.addCleanup(override.disable)

    @property
    def storage(self) -> Any:
        return storages["archive"]

    def objects_of(self, subject_id: int | None) -> list[str]:
        folder = f"audit/{'system' if subject_id is None else subject_id}"
        if not (self.tmp / "archive" / folder).is_dir():
            return []
        return sorted(f"{folder}/{name}" for name in self.storage.listdir(folder)[1])

    def decrypted(
        self, path: str, identity: x25519.Identity | None = None
    ) -> tuple[archive.Header, list[Any]]:
        with self.storage.open(path, "rb") as stored:
            data = stored.read()
        return archive.decode_object(archive.decrypt(data, [identity or self.offline]))

    def audit_verify(self, *args: str) -> str:
        """audit_verify's output; raises CommandError, carrying what it wrote to stderr, on a break."""
        out, err = StringIO(), StringIO()
        try:
            call_command("audit_verify", *args, stdout=out, stderr=err)
        except CommandError as error:
            raise CommandError(f"{error}\n{err.getvalue()}", returncode=error.returncode) from error
        return out.getvalue()

    def archives_of(self, subject_id: int | None) -> list[AuditArchive]:
        rows = (
            AuditArchive.objects.filter(subject_id=subject_id)
            if subject_id
            else AuditArchive.objects.filter(subject_id__isnull=True)
        )
        return list(rows.order_by("first_sequence"))
