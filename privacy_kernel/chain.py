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

The encoding the hashes are taken of is in chain_encoding.py, the verifier in chain_verify.py; this module
appends entries (`append`, `seal`, `head_of`) and opens `maintenance()`.

Erasure: a payload may be erased by setting `metadata` to {} and `payload_salt` to "" inside
`maintenance()`; `payload_hash` stays, so the entry and every later one still verify. The verifier counts
such entries as erased (it cannot tell an authorised erasure from an unauthorised one: the trigger is
what keeps the application from doing the latter).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections, transaction

from omoikane.db import RETRYABLE_SQLSTATES, sqlstate
from privacy_kernel.chain_encoding import (
    CHAIN_VERSION,
    ENTRY_DOMAIN,
    GENESIS,
    ChainHead,
    encode_around_position,
    entry_hash,
    new_salt,
    payload_hash,
)

if TYPE_CHECKING:
    from privacy_kernel.models import AuditEvent

logger = logging.getLogger(__name__)

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


# --- Appending ------------------------------------------------------------------------------------------


class ChainConflict(OperationalError):
    """Appending lost to concurrent writers in a way only a new transaction can fix.

    It carries SQLSTATE 40001 so that the write that opened the transaction (privacy_kernel/writes.py) runs
    it again, as it would for any serialization failure.
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
    _seal_payload(entry)
    entry.sequence = head.sequence + 1
    entry.prev_hash = head.entry_hash
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


def _seal_payload(entry: AuditEvent) -> None:
    """The chain fields that do not depend on the entry's position."""
    entry.chain_version = CHAIN_VERSION
    if not entry.payload_salt:
        entry.payload_salt = new_salt()
    entry.payload_hash = payload_hash(entry.metadata, entry.payload_salt)


# PostgreSQL (and YugabyteDB, whose YSQL is PostgreSQL 11) hashes the entry itself, so reading the head and
# inserting after it is one statement and one round trip. The encoding is chain_encoding's: the database
# fills in the position, the sequence and prev_hash packed as present fields (b"\x01", 4-byte big-endian
# length, ASCII), between the parts Python packed. An empty chain (its head archived, or none yet) or a lost
# race inserts nothing, and the two-statement path takes over.
_POSITION = "'\\x01'::bytea || int4send(octet_length({0})) || convert_to({0}, 'UTF8')"
_ONE_STATEMENT_SQL = """
WITH head AS (
    SELECT sequence, entry_hash FROM privacy_auditevent WHERE {where} ORDER BY sequence DESC LIMIT 1
), next_position AS (
    SELECT sequence + 1 AS sequence, (sequence + 1)::text AS sequence_text, entry_hash AS prev_hash
    FROM head
)
INSERT INTO {table} ({columns}, {sequence}, {prev_hash}, {entry_hash})
SELECT {placeholders}, next_position.sequence, next_position.prev_hash, encode(sha256(
    %s::bytea || {sequence_field} || %s::bytea || {prev_field} || %s::bytea
), 'hex')
FROM next_position
ON CONFLICT DO NOTHING
RETURNING {pk}, {sequence}, {prev_hash}, {entry_hash}
"""
_POSITION_FIELDS = ("sequence", "prev_hash", "entry_hash")


def _insert_after_head(entry: AuditEvent, using: str) -> bool:
    """Read the head, hash and insert in one statement (PostgreSQL); whether the entry was inserted."""
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = entry._meta
    _seal_payload(entry)
    fields = [
        field
        for field in meta.concrete_fields
        if not field.primary_key and field.name not in _POSITION_FIELDS
    ]
    values = [field.get_db_prep_save(field.pre_save(entry, True), connection) for field in fields]
    subject, rest = encode_around_position(entry)
    # Only quoted names from the model go into the text; every value is a parameter.
    sql = _ONE_STATEMENT_SQL.format(
        where="subject_id IS NULL" if entry.subject_id is None else "subject_id = %s",
        table=quote(meta.db_table),
        columns=", ".join(quote(str(field.column)) for field in fields),
        placeholders=", ".join(["%s"] * len(fields)),
        sequence=quote("sequence"),
        prev_hash=quote("prev_hash"),
        entry_hash=quote("entry_hash"),
        sequence_field=_POSITION.format("next_position.sequence_text"),
        prev_field=_POSITION.format("next_position.prev_hash"),
        pk=quote(str(meta.pk.column)),
    )
    head_parameters = [] if entry.subject_id is None else [entry.subject_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*head_parameters, *values, ENTRY_DOMAIN, subject, rest])
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    entry.pk, entry.sequence, entry.prev_hash, database_hash = inserted
    entry.entry_hash = entry_hash(entry)
    if database_hash != entry.entry_hash:
        # The two encodings disagree: a bug, which audit_verify would report on this row. Fail the request
        # (inside a transaction the row goes with it) rather than go on writing rows that do not verify.
        raise RuntimeError(f"The database hashed audit entry {entry.pk} differently from chain_encoding.")
    entry._state.adding = False
    entry._state.db = using
    return True


def _attempt(entry: AuditEvent, using: str, *, first: bool = False) -> bool:
    """Read the head and insert the entry after it, unless another writer took that position first."""
    if first and connections[using].vendor == "postgresql" and _insert_after_head(entry, using):
        return True
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
    move and this raises ChainConflict (also 40001): only rerunning the whole transaction helps, which the
    write that opened it does (privacy_kernel/writes.py). Outside a transaction this
    function reruns its own after such failures and deadlocks.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        if not _attempt(entry, using, first=True):
            _append_queued(entry, using)
        return entry
    for rerun in range(1, APPEND_RERUNS + 1):
        try:
            if rerun == 1 and _attempt(entry, using, first=True):
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
