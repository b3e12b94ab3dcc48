"""After an erasure, make what was deleted unreadable in the database files themselves, not only in queries.

Deleting a row only marks it deleted: its bytes stay in the table's pages, its indexes and the write-ahead
log until something overwrites them. What does that, per engine:

- SQLite (the default): `PRAGMA secure_delete=ON` on every connection (settings.py) zeroes a row's bytes
  the moment it is deleted, in the table and its indexes. The zeroed pages first go to the `-wal` file,
  which still holds the older frames with the content; `wal_checkpoint(TRUNCATE)` copies the zeroed pages
  into the database file and cuts the WAL to nothing. Without the checkpoint a quiet database (the trace
  store) keeps its WAL for hours.
- PostgreSQL: a plain `VACUUM` marks dead rows free but leaves their bytes in any page that still holds
  a live row (measured: the audit and task tables, which keep other users' rows, kept the content), and
  leaves index entries' bytes in the index pages. `VACUUM FULL` writes each table, its TOAST table and its
  indexes anew from the live rows only; the old files are unlinked at the next checkpoint. It holds the
  table's lock while it copies, so it runs one table at a time with a lock timeout (a busy table is retried
  later rather than queueing users behind it); bench/scrub.py measures how long a table is held. Then
  `pg_switch_wal()` and `CHECKPOINT` close the WAL segment holding the deleted content and let the server
  remove it; the server must run with
  `wal_recycle = off`, or it renames old segments for reuse with their content intact, and with no
  `wal_keep_size`, replication slot or WAL archive keeping them (an archive is a backup: its retention
  applies). `check_postgresql()` says which of these does not hold.
- YugabyteDB: VACUUM is a no-op there; deleted data leaves DocDB's files at the next full compaction after
  `timestamp_history_retention_interval_sec`. Operations schedule `yb-admin compact_table` for the personal
  tables daily; nothing here can run YugabyteDB, so no test proves it.

Which tables: every table of a personal model (an erasure deletes from each), plus the cache and the task
queue. The job runs `SCRUB_DELAY` after an erasure, batching every erasure in that window into one run,
and once a day as a safety net when an erasure happened in the last two days (ops/periodic.py): both well
inside ERASURE_WITHIN_DAYS.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from privacy_kernel.models import DeletionLedger
from privacy_kernel.registry import personal_models

logger = logging.getLogger(__name__)

# Erasures finishing within this window share one scrub run.
SCRUB_DELAY = timedelta(hours=1)
PENDING_KEY = "omoikane:scrub:pending"
# The longest the scrub waits for a table's lock (and so the longest it makes requests queue behind it).
LOCK_TIMEOUT_MS = 2000


class CheckpointBusy(Exception):
    """A reader kept SQLite from truncating its WAL; the job runs again later."""


@dataclass
class ScrubReport:
    alias: str
    vendor: str
    tables: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # What could not be done, in words an operator can act on.
    warnings: list[str] = field(default_factory=list)


def tables_by_alias() -> dict[str, list[str]]:
    """The tables an erasure deletes from, per database alias."""
    found: dict[str, set[str]] = {}
    models = [entry.model for entry in personal_models()] + [DBTaskResult]
    for model in models:
        alias = router.db_for_write(model)
        found.setdefault(alias, set()).add(model._meta.db_table)
        for many in model._meta.local_many_to_many:
            through = many.remote_field.through
            if through is not None:
                found[alias].add(through._meta.db_table)
    for name in caches:
        backend = caches[name]
        if isinstance(backend, DatabaseCache):
            alias = router.db_for_write(backend.cache_model_class)
            found.setdefault(alias, set()).add(backend._table)  # type: ignore[attr-defined]
    return {alias: sorted(tables) for alias, tables in sorted(found.items())}


def scrub_database(alias: str, tables: list[str]) -> ScrubReport:
    connection = connections[alias]
    report = ScrubReport(alias=alias, vendor=connection.vendor, tables=list(tables))
    started = time.monotonic()
    if connection.vendor == "sqlite":
        _scrub_sqlite(connection, report)
    elif connection.vendor == "postgresql":
        _scrub_postgresql(connection, tables, report)
    else:
        report.warnings.append(f"no scrub known for {connection.vendor}")
    report.seconds = round(time.monotonic() - started, 3)
    for warning in report.warnings:
        logger.warning("Scrub of %s: %s", alias, warning)
    return report


def _scrub_sqlite(connection: BaseDatabaseWrapper, report: ScrubReport) -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        if not cursor.fetchone()[0]:
            report.warnings.append("secure_delete is off: deleted rows stay readable in the file")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _log_frames, _done = cursor.fetchone()
    if busy:
        raise CheckpointBusy(f"{report.alias}: a reader kept the WAL from being truncated")


def is_yugabyte(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        return "-YB-" in str(cursor.fetchone()[0])


def check_postgresql(connection: BaseDatabaseWrapper) -> list[str]:
    """Server settings that would keep deleted content in WAL files; empty when none."""
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting FROM pg_settings"
            " WHERE name IN ('wal_recycle', 'wal_keep_size', 'archive_mode')"
        )
        settings = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM pg_replication_slots WHERE NOT active")
        idle_slots = cursor.fetchone()[0]
    if settings.get("wal_recycle") == "on":
        problems.append("wal_recycle is on: old WAL segments are reused with their content, set it off")
    if settings.get("wal_keep_size", "0") != "0":
        problems.append("wal_keep_size keeps old WAL segments: deleted content stays in them that long")
    if settings.get("archive_mode") not in (None, "off"):
        problems.append("WAL is archived: erased data stays in the archive for its retention, like a backup")
    if idle_slots:
        problems.append(f"{idle_slots} inactive replication slot(s) hold old WAL segments")
    return problems


def _scrub_postgresql(connection: BaseDatabaseWrapper, tables: list[str], report: ScrubReport) -> None:
    if connection.in_atomic_block:
        raise RuntimeError("VACUUM cannot run inside a transaction")
    if is_yugabyte(connection):
        report.warnings.append("YugabyteDB: deleted data leaves at the next full compaction (yb-admin)")
        return
    quoted = [connection.ops.quote_name(table) for table in tables]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        quoted = [q for table, q in zip(tables, quoted, strict=True) if table in existing]
        # A user's request waits at most this long behind the rewrite's lock queue; past it the scrub
        # gives up and the job runs again later, rather than piling requests up behind it.
        cursor.execute("SET lock_timeout = %s", [f"{LOCK_TIMEOUT_MS}ms"])
        try:
            for name in quoted:
                # One table at a time, each its own short lock (bench/scrub.py measures how short).
                cursor.execute(f"VACUUM (FULL, ANALYZE) {name}")
        finally:
            cursor.execute("RESET lock_timeout")
        try:
            cursor.execute("SELECT pg_switch_wal()")
            cursor.execute("CHECKPOINT")
        except DatabaseError as error:
            report.warnings.append(
                f"could not switch WAL and checkpoint ({type(error).__name__}): grant the app's role "
                "pg_checkpoint and EXECUTE on pg_switch_wal, or the segments leave with the server's own "
                "checkpoints"
            )
    report.warnings.extend(check_postgresql(connection))


def scrub_all() -> list[ScrubReport]:
    """Scrub every database an erasure touches. The default database last: it holds the task rows."""
    per_alias = tables_by_alias()
    order = sorted(per_alias, key=lambda alias: alias == "default")
    return [scrub_database(alias, per_alias[alias]) for alias in order]


def _summary() -> list[dict[str, object]]:
    cache.delete(PENDING_KEY)
    return [
        {"alias": r.alias, "tables": len(r.tables), "seconds": r.seconds, "warnings": r.warnings}
        for r in scrub_all()
    ]


@task()
def scrub_after_erasure() -> list[dict[str, object]]:
    return _summary()


def schedule_scrub() -> None:
    """Queue one scrub SCRUB_DELAY from now, unless one is already waiting that will cover this erasure."""
    if cache.add(PENDING_KEY, timezone.now().isoformat(), timeout=SCRUB_DELAY.total_seconds()):
        scrub_after_erasure.using(run_after=timezone.now() + SCRUB_DELAY).enqueue()


@task()
def scrub_if_erased_recently() -> list[dict[str, object]]:
    """The daily safety net: a scrub whose queued run was lost still happens within two days."""
    since = timezone.now() - timedelta(days=2)
    if not DeletionLedger.objects.filter(erased_at__gte=since).exists():
        return []
    return _summary()
