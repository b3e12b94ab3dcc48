"""Verifying audit chains: ChainVerifier checks one chain's entries in order, verify_chain one chain,
verify_database every chain in the database (what `manage.py audit_verify` runs).

Kept apart from appending (chain.py): verification only reads, runs from a management command, a bench and
the archive checks rather than on every request, and must stay easy to audit on its own. The encoding it
recomputes is in chain_encoding.py.

Archiving (privacy_rights/retention.py: events older than AUDIT_HOT_DAYS moved to encrypted archive objects):
the server keeps, per archive object, the head it starts from and the head it ends at (`ChainHead`: last
sequence and entry_hash). The live rows then verify from the newest one: `verify_chain(rows, start=head)`,
or `verify_database(starts={subject_id: head})`. An archive object itself verifies with a `ChainVerifier`
fed its entries from the previous object's head, and its final `.head` must equal the head recorded for it
(privacy_rights/archive_verify.py). A chain whose live rows were all archived continues from the archived head
(`chain.head_of`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import groupby
from typing import Any

from django.db import DEFAULT_DB_ALIAS

from privacy_kernel.chain_encoding import (
    CHAIN_VERSION,
    GENESIS,
    ChainEntry,
    ChainHead,
    entry_hash,
    payload_hash,
)
from privacy_kernel.models import AuditEvent


class Failure(StrEnum):
    VERSION = "unknown chain version"
    SEQUENCE = "sequence gap or reorder"
    PREV_LINK = "prev link mismatch"
    PAYLOAD_HASH = "payload hash mismatch"
    ACTOR = "actor mismatch"
    ENTRY_HASH = "entry hash mismatch"


@dataclass(frozen=True)
class Break:
    """The first entry of a chain that does not verify, and which check it failed."""

    event_id: int
    subject_id: int | None
    sequence: int
    failure: Failure
    detail: str

    @property
    def chain(self) -> str:
        return "system chain" if self.subject_id is None else f"chain of subject {self.subject_id}"

    def __str__(self) -> str:
        return (
            f"{self.chain}: event {self.event_id} (sequence {self.sequence}): {self.failure}: {self.detail}"
        )


def is_erased(entry: ChainEntry) -> bool:
    """Whether the entry's payload was erased (metadata and salt cleared, payload_hash kept)."""
    return entry.payload_salt == "" and entry.metadata == {}


class ChainVerifier:
    """Checks one chain's entries in sequence order, one at a time, from `start`.

    Feeding entries one by one (rather than a list) lets a caller verify across storage: archive objects
    first, then the live rows, with `.head` carried over.
    """

    def __init__(self, start: ChainHead = GENESIS) -> None:
        self.head = start
        self.checked = 0
        self.erased = 0

    def check(self, entry: ChainEntry) -> Break | None:
        def broken(failure: Failure, detail: str) -> Break:
            return Break(entry.id, entry.subject_id, entry.sequence, failure, detail)

        if entry.chain_version != CHAIN_VERSION:
            return broken(Failure.VERSION, f"version {entry.chain_version}")
        expected = self.head.sequence + 1
        if entry.sequence != expected:
            # Lower: a repeat or a row moved back; higher: rows before it are missing.
            return broken(Failure.SEQUENCE, f"expected sequence {expected}, found {entry.sequence}")
        if entry.prev_hash != self.head.entry_hash:
            return broken(
                Failure.PREV_LINK,
                f"prev_hash {entry.prev_hash} is not the entry before's {self.head.entry_hash}",
            )
        erased = is_erased(entry)
        if not erased and payload_hash(entry.metadata, entry.payload_salt) != entry.payload_hash:
            return broken(Failure.PAYLOAD_HASH, "the metadata is not what was recorded")
        # `actor` may have gone null since (the account was deleted), but never elsewhere.
        if entry.actor_id is not None and entry.actor_id != entry.actor_ref:
            return broken(Failure.ACTOR, f"actor {entry.actor_id} but recorded actor {entry.actor_ref}")
        computed = entry_hash(entry)
        if computed != entry.entry_hash:
            return broken(Failure.ENTRY_HASH, "the row's fields are not what was recorded")
        self.head = ChainHead(entry.sequence, entry.entry_hash)
        self.checked += 1
        self.erased += erased
        return None


def verify_chain(entries: Iterable[ChainEntry], *, start: ChainHead = GENESIS) -> Break | None:
    """The first broken entry of one chain, given in sequence order, or None if it verifies.

    `start` is the head the entries continue from: GENESIS for a whole chain, or the last archived entry's
    head when the older part of the chain lives in the archive.
    """
    verifier = ChainVerifier(start)
    for entry in entries:
        if found := verifier.check(entry):
            return found
    return None


# Everything verification reads, and so all an archive object keeps of an entry (privacy_rights/archive.py).
# `values_list` rows rather than model instances make the walk about 1.4 times as fast (bench/audit_chain.py).
ENTRY_FIELDS = (
    "id",
    "subject_id",
    "sequence",
    "prev_hash",
    "payload_hash",
    "payload_salt",
    "entry_hash",
    "chain_version",
    "created_at",
    "event",
    "actor_kind",
    "actor_id",
    "actor_ref",
    "actor_label",
    "target_type",
    "target_id",
    "ip",
    "user_agent",
    "metadata",
)


@dataclass
class Report:
    chains: int = 0
    events: int = 0
    erased: int = 0
    seconds: float = 0.0
    breaks: list[Break] = field(default_factory=list)


def verify_database(
    *,
    starts: Mapping[int | None, ChainHead] | None = None,
    chunk_size: int = 2000,
    using: str = DEFAULT_DB_ALIAS,
) -> Report:
    """Walk every chain in the database once, in (subject, sequence) order, streaming rows.

    `starts` maps a subject id (None for the system chain) to the head its live rows continue from, for
    chains whose beginning is archived; other chains must start at GENESIS.
    """
    starts = starts or {}
    report = Report()
    began = time.perf_counter()
    rows = (
        AuditEvent.objects.using(using)
        .order_by("subject_id", "sequence")
        .values_list(*ENTRY_FIELDS, named=True)
        .iterator(chunk_size=chunk_size)
    )

    def counted(rows: Iterator[Any]) -> Iterator[Any]:
        for row in rows:
            report.events += 1
            yield row

    # After a break, groupby skips (and so still counts) the rest of that chain.
    for subject_id, chain in groupby(counted(rows), key=lambda row: row.subject_id):
        report.chains += 1
        verifier = ChainVerifier(starts.get(subject_id, GENESIS))
        for row in chain:
            if found := verifier.check(row):
                report.breaks.append(found)
                break
        report.erased += verifier.erased
    report.seconds = time.perf_counter() - began
    return report
