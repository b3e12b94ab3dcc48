"""Verifying the audit log across the archive boundary (what `manage.py audit_verify` runs).

Per chain, in order: where its surviving evidence starts (AuditChainStart, or the genesis), then its archive
records, each of which must start at the head the one before ended at, then the live rows from the newest
archive's end head. That needs no key. With the identities of the archive (`--identity FILE`), every object
is also fetched and decrypted, and its entries verified with the kernel's ChainVerifier from the recorded
start head: they must end at the recorded end head, and the object must match its record.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING

from django.core.files.storage import storages
from django.db.models import F

from privacy_kernel import chain_verify
from privacy_kernel.chain_encoding import GENESIS, ChainHead
from privacy_kernel.chain_verify import ChainVerifier
from privacy_kernel.models import AuditArchive, AuditChainStart, AuditEvent
from privacy_rights import archive

if TYPE_CHECKING:
    from pyrage import x25519


@dataclass(frozen=True)
class ArchiveBreak:
    """An archive that does not verify: its record does not link up, or its object does not match."""

    subject_id: int | None
    path: str
    first_sequence: int
    last_sequence: int
    detail: str
    # The first entry inside the object that failed, when it was one.
    entry: chain_verify.Break | None = None

    def __str__(self) -> str:
        where = "system chain" if self.subject_id is None else f"chain of subject {self.subject_id}"
        if self.entry is not None:
            return (
                f"{where}: event {self.entry.event_id} (sequence {self.entry.sequence}) in archive "
                f"{self.path}: {self.entry.failure}: {self.entry.detail}"
            )
        span = f"sequences {self.first_sequence}-{self.last_sequence}"
        return f"{where}: archive {self.path} ({span}): {self.detail}"


@dataclass
class FullReport:
    live: chain_verify.Report
    archives: int = 0
    archived_chains: int = 0
    # Entries read from decrypted objects (with identities only).
    archived_events: int = 0
    archive_seconds: float = 0.0
    # Chains with live rows, archives or both.
    chains: int = 0
    breaks: list[ArchiveBreak | chain_verify.Break] = field(default_factory=list)


def _records() -> Iterator[AuditArchive]:
    return AuditArchive.objects.order_by(F("subject_id").asc(nulls_first=True), "first_sequence").iterator(
        chunk_size=2000
    )


def check_object(
    record: AuditArchive, identities: Sequence[x25519.Identity]
) -> tuple[ArchiveBreak | None, int]:
    """Whether the record's object holds exactly the entries the record vouches for; and how many it read."""

    def broken(detail: str, entry: chain_verify.Break | None = None) -> ArchiveBreak:
        return ArchiveBreak(
            record.subject_id, record.path, record.first_sequence, record.last_sequence, detail, entry
        )

    storage = storages[record.storage]
    if not storage.exists(record.path):
        return broken("the object is missing"), 0
    with storage.open(record.path, "rb") as stored:
        ciphertext = stored.read()
    if len(ciphertext) != record.size:
        return broken(f"the object is {len(ciphertext)} bytes, its record says {record.size}"), 0
    try:
        header, lines = archive.decode_object(archive.decrypt(ciphertext, identities))
    except archive.ArchiveReadError as error:
        return broken(str(error)), 0
    start = ChainHead(record.first_sequence - 1, record.start_hash)
    end = ChainHead(record.last_sequence, record.end_hash)
    expected = archive.Header(
        subject_id=record.subject_id,
        month=f"{record.month:%Y-%m}",
        part=record.part,
        first_sequence=record.first_sequence,
        last_sequence=record.last_sequence,
        event_count=record.event_count,
        start=start,
        end=end,
    )
    if header != expected:
        return broken(f"its header {header} is not its record {expected}"), 0
    verifier = ChainVerifier(start)
    for line in lines:
        try:
            entry = archive.ArchivedEntry.from_json(line)
        except archive.ArchiveReadError as error:
            return broken(str(error)), verifier.checked
        if entry.subject_id != record.subject_id:
            return broken(f"event {entry.id} belongs to subject {entry.subject_id}"), verifier.checked
        if found := verifier.check(entry):
            return broken("entry does not verify", found), verifier.checked
    if verifier.checked != record.event_count or verifier.head != end:
        return broken(
            f"its entries end at sequence {verifier.head.sequence} ({verifier.checked} entries), not at the "
            f"recorded head {end.sequence}"
        ), verifier.checked
    return None, verifier.checked


def verify_everything(
    *, identities: Sequence[x25519.Identity] | None = None, chunk_size: int = 2000
) -> FullReport:
    """Every chain: its archive records (and objects, given identities), then its live rows."""
    began = time.perf_counter()
    heads: dict[int | None, ChainHead] = {
        start.subject_id: ChainHead(start.sequence, start.entry_hash)
        for start in AuditChainStart.objects.all()
    }
    archive_breaks: list[ArchiveBreak] = []
    archives = archived_chains = archived_events = 0
    for subject_id, records in groupby(_records(), key=lambda record: record.subject_id):
        archived_chains += 1
        head = heads.get(subject_id, GENESIS)
        found: ArchiveBreak | None = None
        for record in records:
            archives += 1
            if found is not None:
                continue  # counted, not checked: the chain's first break is reported
            if record.first_sequence != head.sequence + 1 or record.start_hash != head.entry_hash:
                found = ArchiveBreak(
                    subject_id,
                    record.path,
                    record.first_sequence,
                    record.last_sequence,
                    f"it starts after sequence {record.first_sequence - 1} ({record.start_hash}), but the "
                    f"chain before it ends at sequence {head.sequence} ({head.entry_hash})",
                )
            elif record.last_sequence - record.first_sequence + 1 != record.event_count:
                found = ArchiveBreak(
                    subject_id,
                    record.path,
                    record.first_sequence,
                    record.last_sequence,
                    f"it records {record.event_count} events for that range",
                )
            elif identities is not None:
                found, read = check_object(record, identities)
                archived_events += read
            head = ChainHead(record.last_sequence, record.end_hash)
        if found is not None:
            archive_breaks.append(found)
        heads[subject_id] = head
    archive_seconds = time.perf_counter() - began
    live = chain_verify.verify_database(starts=heads, chunk_size=chunk_size)
    broken_chains = {found.subject_id for found in archive_breaks}
    chains = live.chains
    if heads:
        live_chains = set(AuditEvent.objects.order_by().values_list("subject_id", flat=True).distinct())
        chains = len(live_chains | set(heads))
    return FullReport(
        live=live,
        chains=chains,
        archives=archives,
        archived_chains=archived_chains,
        archived_events=archived_events,
        archive_seconds=archive_seconds,
        # One break per chain, the first: an archive that does not link up also breaks the rows after it.
        breaks=[
            *archive_breaks,
            *(found for found in live.breaks if found.subject_id not in broken_chains),
        ],
    )
