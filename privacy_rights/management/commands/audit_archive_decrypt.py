from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import ActorKind, Event
from privacy_rights.archive import ArchiveKeyError, ArchiveReadError, decode_object, decrypt, load_identities
from privacy_rights.retention import ARCHIVE_STORAGE


class Command(BaseCommand):
    help = (
        "Decrypt one audit archive object with an identity held offline and print its JSON lines (the "
        "header, then one line per event). Records an event the account's owner sees in their activity log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "object", help="the object's name in the archive storage, e.g. audit/12/2026-01.jsonl.age"
        )
        parser.add_argument(
            "--identity", type=Path, metavar="FILE", required=True, help="an age identity file"
        )
        parser.add_argument(
            "--local", action="store_true", help="OBJECT is a file on this machine (a downloaded copy)"
        )
        parser.add_argument(
            "--output", type=Path, metavar="FILE", help="write the lines to FILE (mode 0600), not to stdout"
        )

    def handle(
        self, *args: Any, object: str, identity: Path, local: bool, output: Path | None, **options: Any
    ) -> None:
        try:
            identities = load_identities(identity)
        except ArchiveKeyError as error:
            raise CommandError(str(error)) from None
        try:
            ciphertext = self.fetch(object, local=local)
            plaintext = decrypt(ciphertext, identities)
            header, lines = decode_object(plaintext)
        except ArchiveReadError as error:
            raise CommandError(f"{object}: {error}.") from None
        # Reading archived events is an access to the account's data: its owner sees it, as with any
        # operator access, before anything is shown.
        subject = User.objects.filter(pk=header.subject_id).first() if header.subject_id is not None else None
        audit.record(
            Event.AUDIT_ARCHIVE_OPENED,
            actor=Actor(kind=ActorKind.OPERATOR, label="audit_archive_decrypt"),
            subject=subject,
            data={"month": header.month, "part": header.part, "events": len(lines)},
        )
        if output is None:
            self.stdout.write(plaintext.decode("utf-8"), ending="")
            return
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(plaintext)
        self.stderr.write(f"Wrote {len(lines)} events of {header.month} to {output}.")

    def fetch(self, name: str, *, local: bool) -> bytes:
        if local:
            try:
                return Path(name).read_bytes()
            except OSError as error:
                raise ArchiveReadError(f"cannot read it: {error.strerror}") from None
        storage = storages[ARCHIVE_STORAGE]
        if not storage.exists(name):
            raise ArchiveReadError("no such object in the archive storage")
        with storage.open(name, "rb") as stored:
            data: bytes = stored.read()
        return data
