"""Database helpers that keep us correct on YugabyteDB, where concurrent writers get serialization
failures (SQLSTATE 40001) far more often than on a single PostgreSQL, and deadlocks (40P01) can happen
anywhere. The whole transaction must be retried, so the retry wraps the function that opens it."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from functools import wraps
from typing import overload

import psycopg
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, OperationalError, connection

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
# The server went away under the connection: a failover, a restart, a network cut. Class 08 is "connection
# exception"; 57P01-57P03 are the shutdown a leader's demotion or a crash sends, and "cannot connect now"
# while a standby is being promoted. psycopg reports a socket closed under it with no SQLSTATE at all.
# 25006 (a read-only transaction) means the connection reached a server that is no longer the primary.
SERVER_GONE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "25006"})
logger = logging.getLogger(__name__)


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a database error, whichever layer (Django or psycopg) raised it."""
    current: BaseException | None = error
    while current is not None:
        code = getattr(current, "sqlstate", None) or getattr(current, "pgcode", None)
        if code:
            return str(code)
        current = current.__cause__
    return None


class WriteOutcomeUnknown(OperationalError):
    """The connection dropped while a write was committing: it may or may not be in the database."""


def connection_lost(error: BaseException) -> bool:
    """Whether `error` says the database server is gone rather than that the statement was wrong.

    Only PostgreSQL's driver is believed: SQLite's "database is locked" is an OperationalError without a
    SQLSTATE too, and it is not a lost connection."""
    current: BaseException | None = error
    while current is not None:
        if isinstance(current, psycopg.Error):
            code = current.sqlstate
            if code is None:
                return isinstance(current, psycopg.OperationalError | psycopg.InterfaceError)
            return code.startswith("08") or code in SERVER_GONE_SQLSTATES
        current = current.__cause__
    return False


def check_multi_host(db: dict[str, object], *, source: str) -> None:
    """Validate a PostgreSQL URL that names several hosts (libpq's `host=a,b,c`), as a Patroni cluster or the
    tablet servers of a YugabyteDB cluster are reached, and make it find the writable one.

    libpq tries the hosts in order; `target_session_attrs=read-write` makes it skip a standby, so after a
    failover a new connection lands on the new primary. Ports are one for all hosts or one per host."""
    hosts = str(db.get("HOST") or "").split(",")
    if len(hosts) < 2:
        return
    if any(not host.strip() for host in hosts):
        raise ImproperlyConfigured(f"{source} names an empty host in its host list {db['HOST']!r}.")
    ports = str(db["PORT"]).split(",") if db.get("PORT") else []
    if len(ports) > 1 and (len(ports) != len(hosts) or any(not port.strip() for port in ports)):
        raise ImproperlyConfigured(
            f"{source} names {len(hosts)} hosts and {len(ports)} ports: give every host its port "
            "(host1:5432,host2:5432,...) or none."
        )
    options = db.setdefault("OPTIONS", {})
    assert isinstance(options, dict)  # noqa: S101  (django-environ always builds a dict here)
    attrs = options.setdefault("target_session_attrs", "read-write")
    if attrs not in {"read-write", "primary"}:
        raise ImproperlyConfigured(
            f"{source} names several hosts with target_session_attrs={attrs}: writes need read-write "
            "(or primary), or a connection could land on a standby."
        )


@overload
def retry_on_conflict[**P, T](func: Callable[P, T], /) -> Callable[P, T]: ...
@overload
def retry_on_conflict[**P, T](
    *, attempts: int = ..., base_delay: float = ...
) -> Callable[[Callable[P, T]], Callable[P, T]]: ...
def retry_on_conflict[**P, T](
    func: Callable[P, T] | None = None, /, *, attempts: int = 5, base_delay: float = 0.02
) -> Callable[P, T] | Callable[[Callable[P, T]], Callable[P, T]]:
    """Run `func` again when its transaction loses a serialization conflict or a deadlock.

    For the service's own bookkeeping transactions that record no audit event (the worker claiming a task,
    the archive run moving rows). A change of a user's data is an action and runs as a write instead
    (privacy_kernel/writes.py), which retries the same way and also looks after its files and effects.
    Inside an outer transaction nothing is retried: the outer transaction is already aborted, and only the
    code that opened it can start over.
    """

    def decorator(inner: Callable[P, T]) -> Callable[P, T]:
        @wraps(inner)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            for attempt in range(1, attempts + 1):
                try:
                    return inner(*args, **kwargs)
                except DatabaseError as error:
                    if (
                        sqlstate(error) not in RETRYABLE_SQLSTATES
                        or connection.in_atomic_block
                        or attempt == attempts
                    ):
                        raise
                    # Jittered exponential backoff, so two conflicting writers do not collide again in step.
                    delay = base_delay * (2 ** (attempt - 1)) * (0.5 + random.random())  # noqa: S311
                    logger.info(
                        "Retrying %s after SQLSTATE %s (attempt %d)", inner.__name__, sqlstate(error), attempt
                    )
                    time.sleep(delay)
            raise AssertionError("unreachable")

        return wrapper

    if func is not None:
        return decorator(func)
    return decorator
