"""The one way to change data: every action (`do_*`) is a write, and this module runs it.

A write is one database transaction that
- is retried as a whole after a serialization failure or a deadlock (SQLSTATE 40001, 40P01). On YugabyteDB,
  and on PostgreSQL under SERIALIZABLE, any transaction that appends to a user's audit chain can meet one;
- writes its audit rows inside that transaction (`audit.record` refuses to write into a transaction that a
  write does not own, because nothing could retry it);
- stores files before the commit and removes them when the transaction fails, so a failed or retried write
  leaves no orphan object in storage;
- runs its effects (queued tasks, emails, signals) only after the commit;
- survives losing the database server (a failover): a connection that drops before the commit is replaced
  and the whole write runs again on the new primary, for up to DATABASE_FAILOVER_WAIT_SECONDS. A
  connection that drops during the commit is never retried: the commit may have reached the database or
  not, and running the write again could do it twice (two audit events, two applications). The caller gets
  `WriteOutcomeUnknown` and the files the write stored are kept, since a committed row may name them.

Only the outermost write owns the transaction: an action that calls another (sending a letter moves the
application to "sent") runs the inner one inside the outer one's transaction, and a conflict retries the
outer one from the start. The action's body must therefore be safe to run again: it reads what it needs
inside the write, and everything it changed outside the database is undone by the write (files) or
deferred to the commit (effects).

    @write_action
    def do_add_material(user, ..., *, actor):
        ...
        writes.store_file(material.original, name, ContentFile(data))
        material.save()
        audit.record(Event.MATERIAL_ADDED, actor=actor, subject=user, target=material)
        writes.on_commit(lambda: materials_changed.send(...))
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.db.models.fields.files import FieldFile

from omoikane.db import RETRYABLE_SQLSTATES, WriteOutcomeUnknown, connection_lost, sqlstate

__all__ = ["WriteOutcomeUnknown"]  # raised here; callers catch it as writes.WriteOutcomeUnknown

logger = logging.getLogger(__name__)

# How often a write runs before its conflict reaches the caller, and the first pause between runs (seconds;
# doubled each time, jittered so that two writers that collided do not collide again in step).
ATTEMPTS = 5
BASE_DELAY = 0.02
# Pause between attempts to reach a database that went away: short, since libpq tries every host of a
# multi-host URL on each attempt, and a promotion takes seconds.
RECONNECT_DELAY = 0.25


@dataclass
class _Write:
    name: str
    # Objects stored by this run of the write, removed if its transaction does not commit.
    stored: list[tuple[Storage, str]] = field(default_factory=list)


_current: ContextVar[_Write | None] = ContextVar("omoikane_write", default=None)


def active() -> bool:
    """Whether the code running now is inside a write (so its audit rows are retried with it)."""
    return _current.get() is not None


def _require(what: str) -> _Write:
    write = _current.get()
    if write is None:
        raise RuntimeError(f"{what} outside a write: run it inside a @write_action function.")
    return write


def store_file(field_file: FieldFile, name: str, content: File[bytes]) -> None:
    """Save `content` as the file of `field_file` (the row is saved by the caller). If the write's transaction
    fails, the object is deleted again, so no retry and no failure leaves an object no row names."""
    write = _require("store_file")
    field_file.save(name, content, save=False)
    write.stored.append((field_file.storage, str(field_file.name)))


def delete_file(field_file: FieldFile) -> None:
    """Delete the object of `field_file` now, before the rows that name it go.

    Files before rows: if the write fails after this, the row still names the missing object and doing the
    action again finishes the job (deleting what is gone is no error). The other order would leave an object
    that nothing names, and nobody could find it to delete it."""
    _require("delete_file")
    if field_file.name:
        field_file.storage.delete(field_file.name)


def on_commit(effect: Callable[[], object]) -> None:
    """Run `effect` once the write's transaction (the outermost one) has committed; never if it fails."""
    _require("on_commit")
    transaction.on_commit(effect)


def _remove_stored(write: _Write) -> None:
    for storage, name in write.stored:
        try:
            storage.delete(name)
        except Exception:
            # The original error is the one to report; the object stays behind and is logged for cleanup.
            logger.exception("Could not remove %s after the write %s failed", name, write.name)
    write.stored.clear()


@contextmanager
def rolled_back(name: str) -> Iterator[None]:
    """A transaction that never commits, for trying actions out (the evaluation commands' throwaway user):
    the actions inside write as usual, audit rows included, and all of it is rolled back at the end. Files
    the actions store are removed then too; nothing inside is retried, since nothing is kept."""
    write = _Write(name)
    token = _current.set(write)
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        _remove_stored(write)
        _current.reset(token)


class _Rows:
    """The model instances an action was given, as they were before its first run.

    An action changes them in memory as it goes (a new status, a saved row's id). A rolled-back run leaves
    those changes behind in memory, and the next run would start from them: a status already "sent" looks
    like nothing to do. So before each rerun they are put back to what the database holds again."""

    def __init__(self, *values: object) -> None:
        self.saved: list[Model] = []
        self.new: list[tuple[Model, Any]] = []
        for value in values:
            if isinstance(value, Model):
                if value._state.adding:
                    self.new.append((value, value.pk))
                else:
                    self.saved.append(value)

    def restore(self) -> None:
        for row in self.saved:
            row.refresh_from_db()
        for row, pk in self.new:
            row.pk, row._state.adding = pk, True


def write_action[**P, T](func: Callable[P, T]) -> Callable[P, T]:
    """Make `func` a write: its own transaction (or the caller's write's), retried on conflict, with the
    files it stores removed and its effects dropped when the transaction fails."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return run(func, *args, **kwargs)

    wrapper.write_action = True  # type: ignore[attr-defined]
    return wrapper


def run[**P, T](func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `func` as a write. For an action with slow work that writes nothing (extracting text, embedding,
    rendering a PDF): it does that first, then hands the rows to a write, so that no transaction (on SQLite,
    the one write lock) is held while it works, and a retry does not do the work again.

        def do_add_material(...):
            prepared = _prepare(...)
            return writes.run(_store_material, user, prepared, actor=actor)
    """
    outer = _current.get()
    if outer is not None:
        # Part of a larger write: its transaction, its files, its retry.
        with transaction.atomic():
            return func(*args, **kwargs)
    rows = _Rows(*args, *kwargs.values())
    conflicts = 0
    reconnect_until: float | None = None
    first = True
    while True:
        write = _Write(func.__qualname__)
        token = _current.set(write)
        committing = False
        try:
            if not first:
                rows.restore()
            first = False
            with transaction.atomic():
                result = func(*args, **kwargs)
                committing = True
            return result
        except BaseException as error:
            # Inside a transaction someone else opened (a test case, a management command's own), that
            # transaction is aborted: only the code that opened it can start over.
            retry_possible = isinstance(error, DatabaseError) and not connection.in_atomic_block
            if retry_possible and connection_lost(error):
                if committing:
                    # Not _remove_stored: if the commit did land, its rows name these files.
                    logger.error("Write %s lost its connection while committing", func.__qualname__)
                    raise WriteOutcomeUnknown(
                        f"The database connection was lost while {func.__qualname__} was committing: "
                        "the change may or may not have been saved."
                    ) from error
                _remove_stored(write)
                now = time.monotonic()
                if reconnect_until is None:
                    reconnect_until = now + settings.DATABASE_FAILOVER_WAIT_SECONDS
                if now >= reconnect_until:
                    raise
                _drop_connection()
                logger.warning(
                    "Write %s lost its database connection before committing; running it again on a new one",
                    func.__qualname__,
                )
                time.sleep(RECONNECT_DELAY)
                continue
            _remove_stored(write)
            conflicts += 1
            if not retry_possible or sqlstate(error) not in RETRYABLE_SQLSTATES or conflicts == ATTEMPTS:
                raise
            delay = BASE_DELAY * (2 ** (conflicts - 1)) * (0.5 + random.random())  # noqa: S311
            logger.info(
                "Write %s lost a conflict (SQLSTATE %s); running it again (attempt %d)",
                func.__qualname__,
                sqlstate(error),
                conflicts + 1,
            )
            time.sleep(delay)
        finally:
            _current.reset(token)


def _drop_connection() -> None:
    """Forget the broken connection, so the next query opens a new one (to whichever host is primary now)."""
    try:
        connection.close()
    except DatabaseError:
        # Closing a socket the server already closed can complain; the connection is gone either way.
        connection.connection = None


def is_write_action(func: object) -> bool:
    return bool(getattr(func, "write_action", False))
