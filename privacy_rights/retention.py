"""Audit-log retention: events older than AUDIT_HOT_DAYS move to encrypted archive objects, and archives
older than AUDIT_ARCHIVE_MONTHS more are deleted (the Security page's "90 days hot, then archived encrypted
for 12 months, then deleted").

A chain is archived from its oldest live entry onwards, one object per calendar month (UTC) of created_at
and run; later runs add parts to a month (privacy_rights/archive.py names and formats the objects). The server
keeps an AuditArchive row per object with the heads it starts from and ends at, so that the live rows
verify from the archived head without decrypting anything (archive_verify.py). When old archives
expire, the newest deleted one's end head is kept as the chain's AuditChainStart.

`manage.py audit_archive` runs it; so does the worker, daily (archive_audit_events below; ops/periodic.py).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Max, Q
from django.tasks import task
from django.utils import timezone

from accounts.models import User
from omoikane.db import retry_on_conflict
from privacy_kernel import chain, chain_verify
from privacy_kernel.chain_encoding import ChainHead
from privacy_kernel.models import AuditArchive, AuditChainStart, AuditEvent
from privacy_rights import archive

logger = logging.getLogger(__name__)

ARCHIVE_STORAGE = "archive"
# Bounds the memory one object takes (the system chain can gain a hundred thousand failed sign-ins in an
# attack); a longer month simply gets more parts.
MAX_EVENTS_PER_OBJECT = 20_000
# One run at a time. A lock in the shared (database) cache rather than a database lock: YugabyteDB has no
# advisory locks. It expires by itself if a run dies holding it.
RUN_LOCK_KEY = "omoikane:audit-archive:running"
RUN_LOCK_SECONDS = 6 * 3600


class ArchiveRunInProgress(Exception):
    """Another retention run holds the lock."""


class ArchiveConflict(Exception):
    """The live rows changed between reading and archiving them; the batch was not archived."""


class ArchivesHeldOffline(Exception):
    """Some of a user's archived events are encrypted only to the identities held offline.

    Raised by archived_events_of after yielding every event the server could decrypt; `months` lists
    (as "YYYY-MM") the archived months it could not read.
    """

    def __init__(self, months: list[str]) -> None:
        self.months = months
        super().__init__(
            "Archived audit events of " + ", ".join(months) + " are held encrypted offline; ask support."
        )


@dataclass
class RetentionReport:
    archived_events: int = 0
    objects_written: int = 0
    # Live rows whose archive had already been recorded (a run that died between the two steps).
    leftover_events_deleted: int = 0
    expired_objects: int = 0
    # Archives of accounts that no longer exist (an erasure that died half-way), removed.
    orphaned_objects: int = 0
    # Chains not archived because they do not verify: the first break of each.
    refused: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Batch:
    """Consecutive entries of one chain from one month, about to become one archive object."""

    subject_id: int | None
    month: date
    rows: list[dict[str, Any]]
    start: ChainHead

    @property
    def end(self) -> ChainHead:
        return ChainHead(self.rows[-1]["sequence"], self.rows[-1]["entry_hash"])

    @property
    def first_sequence(self) -> int:
        return int(self.rows[0]["sequence"])

    @property
    def last_sequence(self) -> int:
        return int(self.rows[-1]["sequence"])


@dataclass(frozen=True)
class WrittenObject:
    path: str
    part: int
    size: int
    recipients: list[str]


# --- Time -------------------------------------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the last day of a shorter month)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def hot_cutoff(now: datetime) -> datetime:
    """Events created before this are archived."""
    return now - timedelta(days=settings.AUDIT_HOT_DAYS)


def expiry_cutoff(now: datetime) -> datetime:
    """Archives whose newest event was created before this are deleted: that event has then been archived
    for AUDIT_ARCHIVE_MONTHS months."""
    return months_before(hot_cutoff(now), settings.AUDIT_ARCHIVE_MONTHS)


def month_start(month: date, *, months_later: int = 0) -> datetime:
    """Midnight UTC on the first day of `month`, or of the month `months_later` after it."""
    year, index = divmod(month.year * 12 + month.month - 1 + months_later, 12)
    return datetime(year, index + 1, 1, tzinfo=UTC)


def month_of(moment: datetime) -> date:
    utc = moment.astimezone(UTC)
    return date(utc.year, utc.month, 1)


# --- Moving events into the archive -----------------------------------------------------------------------


def _chain(subject_id: int | None) -> Q:
    return Q(subject__isnull=True) if subject_id is None else Q(subject_id=subject_id)


def _archives_of(subject_id: int | None) -> Q:
    return Q(subject_id__isnull=True) if subject_id is None else Q(subject_id=subject_id)


def _entries(subject_id: int | None, **bounds: int | datetime) -> Any:
    """The chain's live entries in sequence order, as named rows (ChainEntry) of chain_verify.ENTRY_FIELDS."""
    return (
        AuditEvent.objects.filter(_chain(subject_id), **bounds)
        .order_by("sequence")
        .values_list(*chain_verify.ENTRY_FIELDS, named=True)
    )


def next_batch(
    subject_id: int | None, after: ChainHead, cutoff: datetime, *, max_events: int = MAX_EVENTS_PER_OBJECT
) -> Batch | None:
    """The entries after `after` that are old enough, up to the end of their month (or the size cap).

    Stops at the first entry created at or after `cutoff`, even if later ones are older: the archive is
    always a prefix of the chain, so the live rows continue from its end.
    """
    first = _entries(subject_id, sequence__gt=after.sequence).first()
    if first is None or first.created_at >= cutoff:
        return None
    month = month_of(first.created_at)
    # Only rows of the first row's month (and old enough) are fetched, not the rest of the chain; a row
    # outside that window shows as a gap in the sequence, where the batch ends.
    until = min(cutoff, month_start(month, months_later=1))
    rows = _entries(subject_id, sequence__gt=after.sequence, created_at__lt=until)[:max_events]
    taken = [first._asdict()]
    for row in list(rows)[1:]:
        if row.sequence != taken[-1]["sequence"] + 1:
            break
        taken.append(row._asdict())
    return Batch(subject_id, month, taken, after)


def verify_batch(batch: Batch) -> chain_verify.Break | None:
    """Only a chain that verifies is archived: its recorded heads must vouch for what really was there."""
    return chain_verify.verify_chain((archive.ArchivedEntry(**row) for row in batch.rows), start=batch.start)


def write_object(batch: Batch, recipients: list[str]) -> WrittenObject:
    """Step 1: encrypt the batch and store it as the month's next part."""
    last_part = AuditArchive.objects.filter(_archives_of(batch.subject_id), month=batch.month).aggregate(
        last=Max("part")
    )["last"]
    part = (last_part or 0) + 1
    name = archive.object_name(batch.subject_id, batch.month, part)
    storage = storages[ARCHIVE_STORAGE]
    if storage.exists(name) and not AuditArchive.objects.filter(storage=ARCHIVE_STORAGE, path=name).exists():
        # Written by a run that died before recording it (step 2): no row points at it and the live rows
        # it copied are still here, so it is written again from them rather than left as a second copy.
        storage.delete(name)
    header = archive.Header(
        subject_id=batch.subject_id,
        month=f"{batch.month:%Y-%m}",
        part=part,
        first_sequence=batch.first_sequence,
        last_sequence=batch.last_sequence,
        event_count=len(batch.rows),
        start=batch.start,
        end=batch.end,
    )
    sealed = archive.encrypt(archive.encode_object(header, batch.rows), recipients)
    # save() never replaces an object: if another name is taken meanwhile, the returned name is recorded.
    path = storage.save(name, ContentFile(sealed))
    return WrittenObject(path=path, part=part, size=len(sealed), recipients=recipients)


def record_archive(batch: Batch, written: WrittenObject) -> AuditArchive:
    """Step 2: record the object and the heads it starts from and ends at."""
    return AuditArchive.objects.create(
        subject_id=batch.subject_id,
        month=batch.month,
        part=written.part,
        storage=ARCHIVE_STORAGE,
        path=written.path,
        first_sequence=batch.first_sequence,
        last_sequence=batch.last_sequence,
        start_hash=batch.start.entry_hash,
        end_hash=batch.end.entry_hash,
        event_count=len(batch.rows),
        size=written.size,
        first_created_at=batch.rows[0]["created_at"],
        last_created_at=batch.rows[-1]["created_at"],
        recipients=",".join(written.recipients),
    )


def delete_archived_rows(subject_id: int | None, first_sequence: int, last_sequence: int) -> int:
    """Step 3: delete the live rows an archive now holds. Call inside chain.maintenance()."""
    deleted, _ = AuditEvent.objects.filter(
        _chain(subject_id), sequence__gte=first_sequence, sequence__lte=last_sequence
    ).delete()
    return deleted


@retry_on_conflict
def _record_and_delete(batch: Batch, written: WrittenObject) -> AuditArchive:
    with chain.maintenance():
        record = record_archive(batch, written)
        deleted = delete_archived_rows(batch.subject_id, batch.first_sequence, batch.last_sequence)
        if deleted != len(batch.rows):
            # Someone deleted rows of the range meanwhile (the account's erasure): roll back, archive nothing.
            raise ArchiveConflict(f"expected to delete {len(batch.rows)} live rows, found {deleted}")
    return record


def move(batch: Batch, recipients: list[str]) -> AuditArchive:
    """Archive one batch: write the object, then record it and delete its live rows in one transaction.

    The order is what makes a rerun after a crash lose and duplicate nothing:
    - dies before or while writing: nothing recorded, the live rows stay; the rerun archives them again.
    - dies after writing, before the transaction commits: the object exists but no row points at it and
      the live rows stay. The rerun makes the same batch, finds that object under the same name unrecorded,
      and replaces it (write_object).
    - the transaction commits: recorded and deleted together, so an object is never recorded without its
      rows gone nor rows gone without their object recorded. (Should recorded rows still be live, as after
      a restore of the database, the next run only deletes them: delete_leftovers.)
    Deleting the live rows first would lose them if the write then failed; writing nothing until the rows
    are gone cannot be done, as the rows are the object's content.
    """
    written = write_object(batch, recipients)
    try:
        return _record_and_delete(batch, written)
    except Exception:
        # Nothing points at the object: remove it rather than leave it for the rerun to find.
        storages[ARCHIVE_STORAGE].delete(written.path)
        raise


def delete_leftovers(subject_id: int | None, head: ChainHead) -> int:
    """Delete live rows already in a recorded archive (at or before `head`), if they are the archived ones.

    They must verify among themselves and end exactly at a recorded head; otherwise they are kept (and the
    chain is refused: audit_verify will show why).
    """
    rows = list(_entries(subject_id, sequence__lte=head.sequence))
    if not rows:
        return 0
    start = ChainHead(rows[0].sequence - 1, rows[0].prev_hash)
    last = ChainHead(rows[-1].sequence, rows[-1].entry_hash)
    recorded = (
        AuditArchive.objects.filter(
            _archives_of(subject_id), last_sequence=last.sequence, end_hash=last.entry_hash
        ).exists()
        or AuditChainStart.objects.filter(
            _archives_of(subject_id), sequence=last.sequence, entry_hash=last.entry_hash
        ).exists()
    )
    if not recorded or chain_verify.verify_chain(rows, start=start) is not None:
        raise ArchiveConflict(
            f"live rows up to sequence {last.sequence} are not the ones the archive recorded"
        )
    with chain.maintenance():
        return delete_archived_rows(subject_id, rows[0].sequence, last.sequence)


def archive_chain(
    subject_id: int | None,
    cutoff: datetime,
    recipients: _Recipients,
    report: RetentionReport,
    *,
    max_events: int = MAX_EVENTS_PER_OBJECT,
) -> None:
    head = chain.archived_head_of(subject_id)
    try:
        report.leftover_events_deleted += delete_leftovers(subject_id, head)
    except ArchiveConflict as error:
        report.refused.append(f"{_name(subject_id)}: {error}")
        return
    while (batch := next_batch(subject_id, head, cutoff, max_events=max_events)) is not None:
        if found := verify_batch(batch):
            report.refused.append(str(found))
            return
        try:
            move(batch, recipients.get())
        except ArchiveConflict as error:
            report.refused.append(f"{_name(subject_id)}: {error}")
            return
        report.archived_events += len(batch.rows)
        report.objects_written += 1
        head = batch.end


def _name(subject_id: int | None) -> str:
    return "system chain" if subject_id is None else f"chain of subject {subject_id}"


class _Recipients:
    """The keys, read when the first object is written: a run with nothing to archive needs none."""

    def __init__(self) -> None:
        self._value: list[str] | None = None

    def get(self) -> list[str]:
        if self._value is None:
            self._value = archive.encryption_recipients()
        return self._value


def archive_old_events(
    *,
    now: datetime | None = None,
    report: RetentionReport | None = None,
    max_events: int = MAX_EVENTS_PER_OBJECT,
) -> RetentionReport:
    """Move every chain's events older than AUDIT_HOT_DAYS into archive objects."""
    report = report or RetentionReport()
    cutoff = hot_cutoff(now or timezone.now())
    subjects = (
        AuditEvent.objects.filter(created_at__lt=cutoff)
        .order_by()
        .values_list("subject_id", flat=True)
        .distinct()
    )
    recipients = _Recipients()
    for subject_id in sorted(set(subjects), key=lambda value: -1 if value is None else value):
        archive_chain(subject_id, cutoff, recipients, report, max_events=max_events)
    return report


# --- Expiry -----------------------------------------------------------------------------------------------


def expire_archives(*, now: datetime | None = None) -> int:
    """Delete the archives whose newest event is older than the hot days plus AUDIT_ARCHIVE_MONTHS.

    Per chain oldest first, stopping at the first that is not due: a chain's surviving archives stay one
    unbroken run, which starts where the newest deleted one ended (AuditChainStart).
    """
    cutoff = expiry_cutoff(now or timezone.now())
    subjects = set(
        AuditArchive.objects.filter(last_created_at__lt=cutoff)
        .order_by()
        .values_list("subject_id", flat=True)
    )
    deleted = 0
    for subject_id in subjects:
        for record in AuditArchive.objects.filter(_archives_of(subject_id)).order_by("first_sequence"):
            if record.last_created_at >= cutoff:
                break
            # The object first, then the rows: if the job dies in between, the row still names the object,
            # and the rerun deletes it (a no-op now) and the row. The other order would leave an object
            # nothing points at, kept past its time.
            storages[record.storage].delete(record.path)
            with transaction.atomic():
                start = AuditChainStart.objects.filter(_archives_of(subject_id)).first()
                if start is None:
                    start = AuditChainStart(subject_id=subject_id)
                start.sequence, start.entry_hash = record.last_sequence, record.end_hash
                start.save()
                record.delete()
            deleted += 1
    return deleted


def remove_orphaned_archives() -> int:
    """Delete the archives of accounts that no longer exist (left by an erasure that died half-way)."""
    orphaned = (
        AuditArchive.objects.exclude(subject_id__isnull=True)
        .exclude(subject_id__in=User.objects.values("pk"))
        .order_by()
        .values_list("subject_id", flat=True)
        .distinct()
    )
    return sum(delete_archives_of(int(subject_id)) for subject_id in list(orphaned) if subject_id is not None)


@contextlib.contextmanager
def run_lock() -> Iterator[None]:
    token = secrets.token_hex(16)
    if not cache.add(RUN_LOCK_KEY, token, timeout=RUN_LOCK_SECONDS):
        raise ArchiveRunInProgress("Another audit archiving run is in progress.")
    try:
        yield
    finally:
        if cache.get(RUN_LOCK_KEY) == token:
            cache.delete(RUN_LOCK_KEY)


def run_retention(*, now: datetime | None = None) -> RetentionReport:
    """The whole job, idempotent: archive old events, delete expired archives and orphaned ones."""
    now = now or timezone.now()
    with run_lock():
        report = archive_old_events(now=now)
        report.expired_objects = expire_archives(now=now)
        report.orphaned_objects = remove_orphaned_archives()
    for refusal in report.refused:
        logger.error("Audit chain not archived: %s", refusal)
    return report


# --- For export and erasure -------------------------------------------------------------------------------


def archived_events_of(user_id: int) -> Iterator[dict[str, Any]]:
    """The user's archived audit events, oldest first, as the archive holds them (chain_verify.ENTRY_FIELDS;
    created_at as an ISO 8601 string), decrypted with the server's identity (AUDIT_ARCHIVE_SERVER_KEY).

    Yields every event it can decrypt; then, if some archive could not be read (no server key, or an
    object encrypted before it was configured), raises ArchivesHeldOffline naming those months.
    """
    records = list(AuditArchive.objects.filter(subject_id=user_id).order_by("first_sequence"))
    if not records:
        return
    identity = archive.server_identity()
    unreadable: list[str] = []
    for record in records:
        if identity is None:
            unreadable.append(f"{record.month:%Y-%m}")
            continue
        try:
            header, lines = archive.read_object(record, [identity])
        except archive.ArchiveReadError:
            unreadable.append(f"{record.month:%Y-%m}")
            continue
        # Never another account's events, whatever an object holds.
        if header.subject_id != user_id or any(line.get("subject_id") != user_id for line in lines):
            raise archive.ArchiveReadError(f"{record.path} holds events of another chain")
        yield from lines
    if unreadable:
        raise ArchivesHeldOffline(sorted(set(unreadable)))


def delete_archives_of(user_id: int) -> int:
    """Remove every archive object and archive record of the user; returns how many objects were removed.

    Objects first (every one under the user's folder, also any a crashed run wrote but never recorded),
    then the rows: if this dies in between, the rows still lead the rerun (or the next retention run) to
    whatever is left.
    """
    storage = storages[ARCHIVE_STORAGE]
    folder = f"audit/{int(user_id)}"
    names = {(ARCHIVE_STORAGE, f"{folder}/{name}") for name in _files_in(folder)}
    names.update(AuditArchive.objects.filter(subject_id=user_id).values_list("storage", "path"))
    removed = 0
    for alias, path in sorted(names):
        target = storages[alias]
        if target.exists(path):
            target.delete(path)
            removed += 1
    # The filesystem keeps an empty folder named after the account; S3 has no folders (path() refuses).
    with contextlib.suppress(NotImplementedError, OSError):
        Path(storage.path(folder)).rmdir()
    with transaction.atomic():
        AuditArchive.objects.filter(subject_id=user_id).delete()
        AuditChainStart.objects.filter(subject_id=user_id).delete()
    return removed


def _files_in(folder: str) -> list[str]:
    try:
        _, files = storages[ARCHIVE_STORAGE].listdir(folder)
    except FileNotFoundError:
        return []
    return list(files)


@task()
def archive_audit_events() -> dict[str, int]:
    """The daily retention run, queued by the worker (ops/periodic.py): `manage.py audit_archive`."""
    try:
        report = run_retention()
    except ArchiveRunInProgress:
        logger.info("Audit archiving skipped: another run is in progress.")
        return {}
    return {
        "archived_events": report.archived_events,
        "objects_written": report.objects_written,
        "leftover_events_deleted": report.leftover_events_deleted,
        "expired_objects": report.expired_objects,
        "orphaned_objects": report.orphaned_objects,
        "refused_chains": len(report.refused),
    }
