from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy_rights.archive import ArchiveKeyError, load_identities
from privacy_rights.archive_verify import verify_everything


class Command(BaseCommand):
    help = (
        "Verify the hash chain of every subject's audit events and of the system chain, across the archive: "
        "the archive records must link up and the live rows continue from the newest. With --identity, also "
        "decrypt every archive object and verify its entries. Prints the first broken entry of each broken "
        "chain and exits with status 1 if there is any."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size", type=int, default=2000, help="rows fetched per round trip while streaming (2000)"
        )
        parser.add_argument(
            "--identity",
            type=Path,
            metavar="FILE",
            help="an age identity file that opens the archive objects: verify their contents too",
        )

    def handle(self, *args: Any, chunk_size: int, identity: Path | None, **options: Any) -> None:
        try:
            identities = load_identities(identity) if identity is not None else None
        except ArchiveKeyError as error:
            raise CommandError(str(error)) from None
        report = verify_everything(identities=identities, chunk_size=chunk_size)
        live = report.live
        # Ids and what failed only: the output may land in a ticket or a CI log, so no metadata, addresses
        # or user agents.
        for found in report.breaks:
            self.stderr.write(f"BROKEN {found}")
        erased = f", {live.erased} with erased payloads" if live.erased else ""
        summary = (
            f"Verified {live.chains} chains, {live.events} events{erased} in {live.seconds:.2f} s"
            f" ({live.events / live.seconds if live.seconds else 0:,.0f} events/s)"
        )
        if report.archives:
            contents = (
                f", {report.archived_events} archived events decrypted and verified"
                if identities is not None
                else " (contents not checked: no --identity)"
            )
            summary += (
                f"; {report.archives} archives of {report.archived_chains} chains linked{contents}"
                f" in {report.archive_seconds:.2f} s"
            )
        summary += "."
        if report.breaks:
            raise CommandError(f"{summary} {len(report.breaks)} of {report.chains} chains are broken.")
        self.stdout.write(self.style.SUCCESS(f"{summary} Every chain verifies."))
