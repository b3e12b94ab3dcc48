"""The erasure job: everything an account holds, in every store, walked from the personal-data registry.

Order, and why (each step is safe to repeat: a worker that dies mid-way leaves its task to be run again,
and a step that fails raises, so the job is queued again and resumes at the first step not done):

1. tasks   — the user's queued and finished task rows go first, so no job of theirs starts while the rest
             goes. A task of theirs still RUNNING makes the erasure wait and retry: it could write again.
2. files   — every file a Personal row names (uploads, generated PDFs, export zips) before the rows: if
             the job dies in between, the rows still point at what is left and the retry finds it. The
             other order would orphan files nobody can find again.
3. outside — stores outside the database (the audit archive), before the rows that lead to them.
4. cache   — cache entries keyed by the user's id or a hash of their address (rate-limit counters).
5. rows    — every Personal model's rows, per database, leaves before parents, the user row last; the
             audit events inside chain.maintenance(). The ledger entry is written in the same transaction
             as the user row goes, so an erased account is always in the ledger and never half in it.
6. receipt — emailed to the address (kept in the ErasureRequest, not the deleted user row), listing the
             counts per store; then the ErasureRequest itself goes, and with it the address.

What remains: the DeletionLedger entry (an opaque id), an ERASURE_COMPLETED event on the system chain naming
only that id, and the task row of the erasure job, whose arguments are the ErasureRequest id (a number that
now points nowhere) and whose result is the counts. Events the user caused in another account's log (an
attempt to open someone else's export link) stay there: they are that account's record; the link to the
erased account is cut (actor set null), while the recorded id the chain hashes remains.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.models import F
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.chain import maintenance
from privacy_kernel.events import Event
from privacy_kernel.models import DeletionLedger, ErasureRequest
from privacy_kernel.registry import Personal, declarations, personal_models
from privacy_kernel.stores import StoreNotErased, outside_stores
from privacy_rights.jobs import retry_later, send_template_email
from privacy_rights.scrub import schedule_scrub

logger = logging.getLogger(__name__)

STEPS = ("tasks", "files", "outside", "cache", "rows")
# What the receipt calls each database.
DATABASE_LABELS = {DEFAULT_DB_ALIAS: gettext_lazy("Database"), "traces": gettext_lazy("AI activity store")}


class TasksStillRunning(Exception):
    """A task of the user is running; the erasure waits for it (ops.worker requeues a dead worker's)."""


def run_erasure(erasure_id: int, *, wait_for_running_tasks: bool = True) -> dict[str, Any]:
    """Run (or resume) one erasure; returns the counts per store. Retries itself when a step fails.

    `wait_for_running_tasks=False` is for a replay after a restore, when no worker runs and a RUNNING task
    row in the backup belongs to a worker that no longer exists.
    """
    erasure = ErasureRequest.objects.filter(pk=erasure_id).first()
    if erasure is None:
        # Finished before: the request is the last thing the job removes.
        return {}
    ErasureRequest.objects.filter(pk=erasure.pk).update(attempts=F("attempts") + 1)
    erasure.refresh_from_db()
    # After the rows step there is no user row; lookups only need the id, which the request keeps.
    user = User.objects.filter(pk=erasure.account_id).first() or User(
        pk=erasure.account_id, email=erasure.email
    )
    try:
        for step in STEPS:
            if step == "tasks" and step not in erasure.steps_done:
                erase_tasks(user, erasure, wait=wait_for_running_tasks)
            elif step not in erasure.steps_done:
                _STEP_FUNCTIONS[step](user, erasure)
        counts = dict(erasure.counts)
        if erasure.send_receipt:
            # Sent before the request (and the address in it) goes: a crash in between sends it twice,
            # which is better than never.
            with translation.override(erasure.language):
                lines = receipt_lines(counts)
            send_template_email(
                "erasure_receipt", {"lines": lines}, to=erasure.email, language=erasure.language
            )
        erasure.delete()
        # The rows are gone from queries; their bytes leave the database files with the next scrub.
        schedule_scrub()
    except Exception as error:
        kind = type(error).__name__[:200]
        logger.warning("Erasure %s stopped (attempt %d): %s", erasure.pk, erasure.attempts, kind)
        ErasureRequest.objects.filter(pk=erasure.pk).update(error=kind)
        retry_later(erase_account, erasure.attempts, erasure_id=erasure.pk)
        raise
    return counts


def _done(erasure: ErasureRequest, step: str, key: str, value: Any) -> None:
    erasure.counts[key] = value
    erasure.steps_done = [*erasure.steps_done, step]
    erasure.save(update_fields=["counts", "steps_done"])


def _entry(model: type[models.Model]) -> Personal:
    entry = declarations()[model]
    if not isinstance(entry, Personal):
        raise LookupError(f"{model._meta.label} is not declared personal.")
    return entry


def erase_tasks(user: User, erasure: ErasureRequest, *, wait: bool = True) -> None:
    tasks = _entry(DBTaskResult).rows_of(user)
    deleted, _ = (tasks.exclude(status=TaskResultStatus.RUNNING) if wait else tasks).delete()
    total = erasure.counts.get("tasks", 0) + deleted
    if tasks.exists():
        erasure.counts["tasks"] = total
        erasure.save(update_fields=["counts"])
        raise TasksStillRunning(f"{tasks.count()} task(s) of the account are running")
    _done(erasure, "tasks", "tasks", total)


def erase_files(user: User, erasure: ErasureRequest) -> None:
    # Counted from the rows, which stay until step 5: the same number however often this step runs.
    counts: dict[str, int] = {}
    for entry in personal_models():
        if not entry.files:
            continue
        removed = 0
        for obj in entry.rows_of(user).iterator(chunk_size=500):
            for field_name in entry.files:
                stored = getattr(obj, field_name)
                if stored and stored.name:
                    # Deleting what is already gone is no error for the filesystem or S3.
                    stored.storage.delete(stored.name)
                    removed += 1
        if removed:
            counts[entry.model._meta.label] = removed
    _done(erasure, "files", "files", counts)


def erase_outside(user: User, erasure: ErasureRequest) -> None:
    counts: dict[str, int] = dict(erasure.counts.get("outside", {}))
    failed: dict[str, str] = dict(erasure.counts.get("outside_failed", {}))
    for name, store in outside_stores().items():
        try:
            counts[name] = counts.get(name, 0) + store.erase(user)
        except StoreNotErased as error:
            # Stored as text in the receipt's language: the counts are JSON, and the receipt is built
            # from them later, possibly by another run of the job.
            with translation.override(erasure.language):
                failed[name] = str(error.reason)
            counts.setdefault(name, 0)
            erasure.counts["outside_failed"] = failed
        # Saved per store: a retry after a later store failed does not count the earlier ones as zero.
        erasure.counts["outside"] = counts
        erasure.save(update_fields=["counts"])
    _done(erasure, "outside", "outside", counts)


def cache_keys_of(user: User, emails: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What marks a cache key as the user's: suffixes naming their id, and hashes of their addresses.

    allauth's rate-limit keys end in ":user:<id>" for per-user limits, and carry the SHA-256 of the address
    for per-address limits (sign-in failures, password resets); each may have a ":lock" twin. Per-IP keys
    are left to expire (minutes): an address is shared by many and cannot be tied to one account.
    """
    suffix = f":user:{user.pk}"
    hashes = tuple(hashlib.sha256(email.encode("utf-8")).hexdigest() for email in sorted(emails))
    return (suffix, f"{suffix}:lock"), hashes


def erase_cache(user: User, erasure: ErasureRequest) -> None:
    from allauth.account.models import EmailAddress

    emails = {erasure.email.lower(), user.email.lower()}
    emails.update(
        e.lower() for e in EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True)
    )
    suffixes, hashes = cache_keys_of(user, emails)
    removed = 0
    for alias in caches:
        cache = caches[alias]
        if not isinstance(cache, DatabaseCache):
            # Only the database cache can be searched by key; settings.py uses it for every cache.
            logger.warning("Cache %s is not a database cache; rate-limit keys are left to expire", alias)
            continue
        db = router.db_for_write(cache.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(cache._table)  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key FROM {table}")  # noqa: S608  (a quoted name from settings)
            keys = [
                key
                for (key,) in cursor.fetchall()
                if key.endswith(suffixes) or any(digest in key for digest in hashes)
            ]
            for key in keys:
                cursor.execute(f"DELETE FROM {table} WHERE cache_key = %s", [key])  # noqa: S608
        removed += len(keys)
    _done(erasure, "cache", "cache", removed)


def deletion_order(entries: list[Personal]) -> list[Personal]:
    """Lookup-based declarations first (they may find rows through others), then leaves before parents."""
    by_model = {entry.model: entry for entry in entries}

    def references(entry: Personal) -> set[Any]:
        return {
            field.related_model
            for field in entry.model._meta.concrete_fields
            if field.is_relation
            and field.related_model in by_model
            and field.related_model is not entry.model
        }

    ordered: list[Personal] = [entry for entry in entries if entry.lookup is not None]
    pending = [entry for entry in entries if entry.lookup is None]
    while pending:
        # A model goes once no other pending model still points at it.
        ready = [
            entry
            for entry in pending
            if not any(entry.model in references(other) for other in pending if other is not entry)
        ]
        if not ready:  # a cycle: let the database cascade sort it out
            ready = pending[:1]
        for entry in ready:
            ordered.append(entry)
            pending.remove(entry)
    return ordered


def erase_rows(user: User, erasure: ErasureRequest) -> None:
    counts: dict[str, dict[str, int]] = {
        alias: dict(labels) for alias, labels in erasure.counts.get("rows", {}).items()
    }
    by_alias: dict[str, list[Personal]] = defaultdict(list)
    for entry in personal_models():
        if entry.model is not ErasureRequest:
            by_alias[router.db_for_write(entry.model)].append(entry)
    # Other databases (the trace store) first, each committed on its own; the default database last, in
    # one transaction with the ledger entry and the step's bookkeeping.
    for alias in sorted(by_alias, key=lambda a: a == DEFAULT_DB_ALIAS):
        # A write on the default database (which holds the audit chain and the bookkeeping), with the
        # alias's own transaction inside it when the rows live elsewhere.
        writes.run(_erase_rows_in, alias, by_alias[alias], user, erasure, counts)


def _erase_rows_in(
    alias: str,
    entries: list[Personal],
    user: User,
    erasure: ErasureRequest,
    counts: dict[str, dict[str, int]],
) -> None:
    with transaction.atomic(using=alias), maintenance(DEFAULT_DB_ALIAS):
        deleted = counts.setdefault(alias, {})
        deleted_before = dict(deleted)
        try:
            for entry in deletion_order(entries):
                _, per_label = entry.rows_of(user).delete()
                for label, number in per_label.items():
                    if number:
                        deleted[label] = deleted.get(label, 0) + number
            if alias == DEFAULT_DB_ALIAS:
                DeletionLedger.objects.get_or_create(
                    ledger_id=erasure.ledger_id, defaults={"requested_at": erasure.requested_at}
                )
                audit.record(
                    Event.ERASURE_COMPLETED,
                    actor=Actor.system("erasure"),
                    subject=None,
                    data={"ledger_id": erasure.ledger_id},
                )
                _done(erasure, "rows", "rows", counts)
            else:
                erasure.counts["rows"] = counts
                erasure.save(update_fields=["counts"])
        except BaseException:
            # The transaction rolls back and may run again: the counts must not keep this run's numbers.
            counts[alias] = deleted_before
            raise


_STEP_FUNCTIONS = {
    "files": erase_files,
    "outside": erase_outside,
    "cache": erase_cache,
    "rows": erase_rows,
}


def receipt_lines(counts: dict[str, Any]) -> list[tuple[str, int | str]]:
    """(what, how many) per store, for the receipt and the erase_user command, in the active language; for
    an outside store that could not be erased, (what, why) instead."""
    from django.apps import apps
    from django.utils.translation import gettext as _

    def name_of(label: str) -> str:
        try:
            entry = declarations().get(apps.get_model(label))
        except LookupError:
            return label
        return str(entry.label) if isinstance(entry, Personal) else label

    stores = {alias: str(name) for alias, name in DATABASE_LABELS.items()}
    lines: list[tuple[str, int | str]] = []
    for alias, labels in sorted(counts.get("rows", {}).items()):
        audit_events = labels.get("privacy.AuditEvent", 0)
        others = {label: n for label, n in labels.items() if label != "privacy.AuditEvent"}
        where = stores.get(alias, alias)
        for label, number in sorted(others.items()):
            lines.append((f"{where}: {name_of(label)}", number))
        if audit_events:
            lines.append((_("Audit log: events"), audit_events))
    for label, number in sorted(counts.get("files", {}).items()):
        lines.append((_("Files of %(what)s") % {"what": name_of(label)}, number))
    known = outside_stores()
    failed = counts.get("outside_failed", {})
    for name, number in sorted(counts.get("outside", {}).items()):
        store = str(known[name].label) if name in known else name
        if name in failed:
            lines.append((store, _("not deleted: %(reason)s") % {"reason": failed[name]}))
        else:
            lines.append((_("Objects in the %(store)s") % {"store": store}, number))
    lines.append((_("Task queue: rows"), int(counts.get("tasks", 0))))
    lines.append((_("Cache: entries"), int(counts.get("cache", 0))))
    return lines


@task()
def erase_account(*, erasure_id: int) -> dict[str, Any]:
    """Erase one account. It takes the ErasureRequest's id, not `user_id` (unlike every other task): its
    own row must not be found, and deleted, with the user's task rows while it runs, and it ends up
    holding only this number, which then points nowhere, and the counts."""
    return run_erasure(erasure_id)
