"""Tamper evidence for the audit log: each subject's events form a SHA-256 hash chain.

Every AuditEvent belongs to one chain: the events about a user (keyed by `subject`), or the "system" chain
of events without a subject (a failed sign-in for an unknown address, an operator refused for lack of
two-factor authentication). An entry's hash covers the hash of the entry before it, so editing, deleting
or reordering a row breaks the chain at that row or the next; `verify_chain` finds the first break and
`manage.py audit_verify` walks every chain.

What it does not prove: an unkeyed chain can be rebuilt from the edited row onwards by someone who can
write the table and read this file, and dropping the newest entries (or a whole chain) leaves a shorter,
valid chain. Both are caught only against a copy of the chain heads kept elsewhere (the planned encrypted
audit archive can carry them). On PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE on the
table outside `maintenance()`, so the application itself cannot rewrite history by accident; the database
owner can still drop the trigger or TRUNCATE, which is why the chain exists.

Canonical encoding, version 1 (`chain_version` = 1). Changing anything below needs a new version: rows keep
the version they were written with and are verified with it.

- payload_hash = SHA-256(b"omoikane.audit.payload.v1\\x00" || salt || canonical JSON of the metadata), hex.
  `salt` is 16 random bytes per entry (stored hex in `payload_salt`). Without it an erased payload's hash
  would still confirm a guess ("was the old address alice@example.org?"); erasure clears the salt with
  the metadata, and 128 random bits make the kept hash useless for guessing.
- Canonical JSON: objects with their keys sorted by code point, no whitespace, UTF-8 (no \\u escapes
  except for control characters), numbers that are whole written as integers (1.0 and 1e16 as 1 and
  10000000000000000, since PostgreSQL's jsonb rewrites them so), other numbers in Python's shortest
  round-trip form; NaN and infinities are refused.
- entry_hash = SHA-256(b"omoikane.audit.entry.v1\\x00" || the fields below, each length-prefixed), hex.
  A field is b"\\x00" when null, else b"\\x01", its length as 4-byte big-endian, and its bytes; so no two
  different rows encode alike however their text is split between fields. In this order:
  sequence (decimal), subject id (decimal or null), prev_hash (hex), created_at (integer microseconds
  since 1970-01-01 UTC, decimal), event, actor kind, actor id (`actor_ref`, decimal or null), actor label,
  target type, target id, ip (b"4" or b"6" and the 4 or 16 address bytes; b"t" and the text if it is not
  an address; null if none), user agent, payload_hash (hex). Text is UTF-8.
- The first entry of a chain has sequence 1 and prev_hash GENESIS_HASH (64 zeros).

Erasure: a payload may be erased by setting `metadata` to {} and `payload_salt` to "" inside
`maintenance()`; `payload_hash` stays, so the entry and every later one still verify. The verifier counts
such entries as erased (it cannot tell an authorised erasure from an unauthorised one: the trigger is
what keeps the application from doing the latter).

Archiving (privacy_rights/retention.py: events older than AUDIT_HOT_DAYS moved to encrypted archive objects):
the server keeps, per archive object, the head it starts from and the head it ends at (`ChainHead`: last
sequence and entry_hash). The live rows then verify from the newest one: `verify_chain(rows, start=head)`,
or `verify_database(starts={subject_id: head})`. An archive object itself verifies with a `ChainVerifier`
fed its entries from the previous object's head, and its final `.head` must equal the head recorded for it
(privacy_rights/archive_verify.py). A chain whose live rows were all archived continues from the archived head
(`head_of`).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import math
import random
import secrets
import struct
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from itertools import groupby
from typing import TYPE_CHECKING, Any, Protocol

from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections, transaction

from omoikane.db import RETRYABLE_SQLSTATES, sqlstate

if TYPE_CHECKING:
    from privacy_kernel.models import AuditEvent

logger = logging.getLogger(__name__)

CHAIN_VERSION = 1
GENESIS_HASH = "0" * 64
PAYLOAD_DOMAIN = b"omoikane.audit.payload.v1\x00"
ENTRY_DOMAIN = b"omoikane.audit.entry.v1\x00"
SALT_BYTES = 16
# Transaction-local PostgreSQL setting the append-only trigger checks (see maintenance()).
MAINTENANCE_SETTING = "omoikane.audit_maintenance"
# Each retry means another writer appended to the same chain in between. A user's chain rarely has two
# writers at once; the system chain can have many (failed sign-ins for unknown addresses during an attack),
# and then the losers queue (see append()), so that a queued writer only loses to newcomers' first
# attempts. After this many losses in a row the caller's transaction is asked to rerun (ChainConflict).
APPEND_ATTEMPTS = 10
# Outside a caller's transaction: how often append() reruns its own after a serialization failure or a
# deadlock, and the pause before each (seconds, times the rerun number, jittered).
APPEND_RERUNS = 5
APPEND_BACKOFF = 0.002
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LENGTH = struct.Struct(">I")  # a present field's length: 4 bytes, big-endian
_MICROSECOND = timedelta(microseconds=1)


class ChainEntry(Protocol):
    """What verification reads of an entry: an AuditEvent, or a row of an archive object."""

    @property
    def id(self) -> int: ...
    @property
    def subject_id(self) -> int | None: ...
    @property
    def sequence(self) -> int: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def payload_hash(self) -> str: ...
    @property
    def payload_salt(self) -> str: ...
    @property
    def entry_hash(self) -> str: ...
    @property
    def chain_version(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def event(self) -> str: ...
    @property
    def actor_kind(self) -> str: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def actor_ref(self) -> int | None: ...
    @property
    def actor_label(self) -> str: ...
    @property
    def target_type(self) -> str: ...
    @property
    def target_id(self) -> str: ...
    @property
    def ip(self) -> str | None: ...
    @property
    def user_agent(self) -> str: ...
    @property
    def metadata(self) -> Any: ...


# --- Canonical encoding ---------------------------------------------------------------------------------


def _canonical_value(value: Any) -> Any:
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("Audit metadata keys must be strings.")
        return {key: _canonical_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(item) for item in value]
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Audit metadata cannot hold NaN or infinity.")
        # jsonb keeps 1.0 as 1.0 but turns 1e16 into 10000000000000000, which reads back as an int; writing
        # every whole number as an integer makes both forms hash alike.
        return int(value) if value.is_integer() else value
    return value


def canonical_json(value: Any) -> bytes:
    """The version-1 canonical JSON bytes of `value` (see the module docstring)."""
    return json.dumps(
        _canonical_value(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def storable(metadata: Any) -> Any:
    """`metadata` as the database will give it back (tuples as lists, keys as strings), so the hash made
    before the insert is the one a later read recomputes."""
    return json.loads(json.dumps(metadata))


def payload_hash(metadata: Any, salt: str) -> str:
    """SHA-256 (hex) of the salted canonical metadata."""
    return hashlib.sha256(PAYLOAD_DOMAIN + bytes.fromhex(salt) + canonical_json(metadata)).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def _text(value: str | None) -> bytes | None:
    return None if value is None else value.encode("utf-8")


def _number(value: int | None) -> bytes | None:
    return None if value is None else str(int(value)).encode("ascii")


def _instant(value: datetime) -> bytes:
    if value.tzinfo is None:
        # A naive time would hash differently under another TIME_ZONE; USE_TZ is on, so this is a bug.
        raise ValueError("Audit timestamps must be timezone-aware.")
    return str((value - _EPOCH) // _MICROSECOND).encode("ascii")


@lru_cache(maxsize=4096)
def _address(value: str | None) -> bytes | None:
    # The address bytes, not its text: PostgreSQL's inet and Python print IPv6 (and IPv4-mapped) addresses
    # differently, and Python changed its own output in 3.13. Cached: a user's events mostly share an
    # address, and parsing one was a fifth of hashing an entry.
    if value is None:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return b"t" + value.encode("utf-8")
    return str(address.version).encode("ascii") + address.packed


def _event_value(value: Any) -> str:
    # An Event member until the row is reloaded, a plain str after; both mean the value.
    return str(getattr(value, "value", value))


def encode_entry(entry: ChainEntry) -> bytes:
    """The bytes entry_hash is the SHA-256 of, in the entry's chain_version."""
    if entry.chain_version != 1:
        raise ValueError(f"Unknown audit chain version {entry.chain_version}.")
    fields: list[bytes | None] = [
        _number(entry.sequence),
        _number(entry.subject_id),
        _text(entry.prev_hash),
        _instant(entry.created_at),
        _text(_event_value(entry.event)),
        _text(_event_value(entry.actor_kind)),
        _number(entry.actor_ref),
        _text(entry.actor_label),
        _text(entry.target_type),
        _text(entry.target_id),
        _address(entry.ip),
        _text(entry.user_agent),
        _text(entry.payload_hash),
    ]
    return ENTRY_DOMAIN + b"".join(
        b"\x00" if value is None else b"\x01" + _LENGTH.pack(len(value)) + value for value in fields
    )


def entry_hash(entry: ChainEntry) -> str:
    """SHA-256 (hex) of the entry's canonical encoding."""
    return hashlib.sha256(encode_entry(entry)).hexdigest()


# --- Verification ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainHead:
    """Where a chain ends so far: what the next entry must continue from."""

    sequence: int
    entry_hash: str


GENESIS = ChainHead(sequence=0, entry_hash=GENESIS_HASH)


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
    from privacy_kernel.models import AuditEvent

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


# --- Appending ------------------------------------------------------------------------------------------


class ChainConflict(OperationalError):
    """Appending lost to concurrent writers in a way only a new transaction can fix.

    It carries SQLSTATE 40001 so that omoikane.db.retry_on_conflict, around the code that opened the
    transaction, runs that transaction again, as it would for any serialization failure.
    """

    sqlstate = "40001"


# The head is read on every record(), so by hand: through the ORM it took about 250 µs on SQLite, nearly
# all of it building the query; this takes 20 µs. Each form is answered from one of the unique indexes.
_HEAD_SQL = "SELECT sequence, entry_hash FROM privacy_auditevent WHERE {} ORDER BY sequence DESC LIMIT 1"
_CHAIN_HEAD_SQL = _HEAD_SQL.format("subject_id = %s")
_SYSTEM_HEAD_SQL = _HEAD_SQL.format("subject_id IS NULL")
_OLDEST_SQL = "SELECT id FROM privacy_auditevent WHERE {} ORDER BY sequence LIMIT 1 FOR UPDATE"
# Where a chain with no live rows continues: the newest archive's end, else where the chain's surviving
# evidence starts after expired archives were deleted (privacy_kernel.models.AuditArchive, AuditChainStart).
_ARCHIVED_HEAD_SQL = (
    "SELECT last_sequence, end_hash FROM privacy_auditarchive WHERE {0}"
    " UNION ALL SELECT sequence, entry_hash FROM privacy_auditchainstart WHERE {0}"
    " ORDER BY 1 DESC LIMIT 1"
)


def archived_head_of(subject_id: int | None, *, using: str = DEFAULT_DB_ALIAS) -> ChainHead:
    """The head a chain's live rows continue from: the end of its archived part (GENESIS if none)."""
    where = "subject_id IS NULL" if subject_id is None else "subject_id = %s"
    with connections[using].cursor() as cursor:
        cursor.execute(_ARCHIVED_HEAD_SQL.format(where), [] if subject_id is None else [subject_id] * 2)
        last = cursor.fetchone()
    return GENESIS if last is None else ChainHead(int(last[0]), str(last[1]))


def head_of(subject_id: int | None, *, using: str = DEFAULT_DB_ALIAS) -> ChainHead:
    """The last entry of a chain (GENESIS for an empty one).

    When every live row of the chain has been archived (a user quiet for longer than AUDIT_HOT_DAYS), the
    head is the archived one: the next entry must continue the chain, not start a second one at 1.
    """
    with connections[using].cursor() as cursor:
        if subject_id is None:
            cursor.execute(_SYSTEM_HEAD_SQL)
        else:
            cursor.execute(_CHAIN_HEAD_SQL, [subject_id])
        last = cursor.fetchone()
    if last is None:
        return archived_head_of(subject_id, using=using)
    return ChainHead(int(last[0]), str(last[1]))


def _lock_chain(subject_id: int | None, using: str) -> None:
    """Queue behind the chain's other writers: lock its oldest row until the transaction ends.

    The oldest row, not the head: the head moves with every append, so writers that waited for it wake up
    holding a row that is no longer the head while a newcomer locks the new one; the oldest row stays put
    (until archiving removes it, which at worst lets one writer through without queueing). PostgreSQL and
    YugabyteDB only: SQLite serialises writers with BEGIN IMMEDIATE.
    """
    connection = connections[using]
    if not connection.features.has_select_for_update:
        return
    sql = _OLDEST_SQL.format("subject_id IS NULL" if subject_id is None else "subject_id = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [] if subject_id is None else [subject_id])


def seal(entry: AuditEvent, head: ChainHead) -> None:
    """Make `entry` the entry after `head`: fill its chain fields from its other fields."""
    entry.chain_version = CHAIN_VERSION
    entry.sequence = head.sequence + 1
    entry.prev_hash = head.entry_hash
    if not entry.payload_salt:
        entry.payload_salt = new_salt()
    entry.payload_hash = payload_hash(entry.metadata, entry.payload_salt)
    entry.entry_hash = entry_hash(entry)


def _insert_unless_taken(entry: AuditEvent, using: str) -> bool:
    """INSERT the entry unless its chain position is taken; whether it was inserted.

    By hand, because the ORM cannot say ON CONFLICT DO NOTHING and still return the new id. The values go
    through each field's get_db_prep_save, as Model.save() does; no signal is sent (nothing listens).
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = entry._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(entry, True), connection) for field in fields]
    # Concrete fields always have a column; the stubs allow None for the others.
    table, pk = quote(meta.db_table), quote(str(meta.pk.column))
    columns = ", ".join(quote(str(field.column)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Only quoted names from the model go into the text; every value is a parameter.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT DO NOTHING RETURNING {pk}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    entry.pk = inserted[0]
    entry._state.adding = False
    entry._state.db = using
    return True


def _attempt(entry: AuditEvent, using: str) -> bool:
    """Read the head and insert the entry after it, unless another writer took that position first."""
    head = head_of(entry.subject_id, using=using)
    seal(entry, head)
    if _insert_unless_taken(entry, using):
        return True
    if head_of(entry.subject_id, using=using) == head:
        # Position taken by a row this transaction cannot see: its snapshot predates the winner's commit
        # (REPEATABLE READ, SERIALIZABLE), and only a new transaction will see it.
        raise ChainConflict("The audit chain moved on outside this transaction's snapshot.")
    return False


def _append_queued(entry: AuditEvent, using: str) -> None:
    """The attempts after a lost race, in a transaction, queued behind the chain's other writers."""
    _lock_chain(entry.subject_id, using)
    for attempt in range(2, APPEND_ATTEMPTS + 1):
        logger.info(
            "Audit chain of subject %s moved on; appending again (attempt %d)", entry.subject_id, attempt
        )
        if _attempt(entry, using):
            return
    raise ChainConflict(f"Gave up appending to the audit chain after {APPEND_ATTEMPTS} attempts.")


def append(entry: AuditEvent, *, using: str = DEFAULT_DB_ALIAS) -> AuditEvent:
    """Insert `entry` as the next entry of its subject's chain, correct under concurrent writers.

    No advisory locks (YugabyteDB has none). Read the head, insert at head+1, and let the unique (subject,
    sequence) index decide a race: the insert says ON CONFLICT DO NOTHING, so losing is not an error and
    the caller's transaction (record() usually runs inside the action's) is not aborted and needs no
    savepoint. The common case, no other writer on the chain, is those two statements.

    A writer that lost has met a busy chain (the system chain during a credential-stuffing attack, say)
    and queues from then on: it locks the chain's oldest row FOR UPDATE and tries again, re-reading the
    head, until it wins, holding the lock until its transaction ends. So the chain's losers take turns in
    the order they came instead of racing each other; only a newcomer's first, lock-free attempt can
    still overtake them. It stays in the caller's transaction if there is one; otherwise it opens one. On
    SQLite that transaction's BEGIN IMMEDIATE serialises writers anyway. The lock costs one statement, and
    only after a lost race.

    At READ COMMITTED (PostgreSQL's default and Django's) every statement sees what committed before it,
    so the next attempt sees the winner's row. At REPEATABLE READ or SERIALIZABLE (or a YugabyteDB
    snapshot transaction) the conflict is a serialization failure (SQLSTATE 40001), or the head does not
    move and this raises ChainConflict (also 40001): only rerunning the whole transaction helps, which
    omoikane.db.retry_on_conflict does around the code that opened it. Outside a transaction this
    function reruns its own after such failures and deadlocks.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        if not _attempt(entry, using):
            _append_queued(entry, using)
        return entry
    for rerun in range(1, APPEND_RERUNS + 1):
        try:
            if rerun == 1 and _attempt(entry, using):
                return entry
            with transaction.atomic(using=using):
                _append_queued(entry, using)
            return entry
        except DatabaseError as error:
            if sqlstate(error) not in RETRYABLE_SQLSTATES or rerun == APPEND_RERUNS:
                raise
            logger.info("Audit chain append for subject %s failed with %s; again", entry.subject_id, error)
            # A short, growing, jittered pause, so that the transactions that collided do not again.
            time.sleep(APPEND_BACKOFF * rerun * (0.5 + random.random()))  # noqa: S311
    raise AssertionError("unreachable")


# --- Maintenance ----------------------------------------------------------------------------------------


@contextmanager
def maintenance(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Allow UPDATE and DELETE of audit rows inside this block (PostgreSQL; a no-op elsewhere).

    For the paths that may change the log: retention (archiving old events), payload erasure, and
    deleting a user. Django deletes a user's audit rows (CASCADE on `subject`) and nulls `actor` on every
    row they acted in (SET_NULL) with its own DELETE and UPDATE statements, which the trigger refuses
    outside this block. The block is a transaction (a savepoint when nested) with
    `omoikane.audit_maintenance` set for it only: the previous value comes back at the end, and a rollback
    undoes the setting with everything else.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s, true)", [MAINTENANCE_SETTING])
            row = cursor.fetchone()
            previous = (row[0] if row else None) or ""
            cursor.execute("SELECT set_config(%s, 'on', true)", [MAINTENANCE_SETTING])
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [MAINTENANCE_SETTING, previous])
