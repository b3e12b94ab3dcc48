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

from django.db import DatabaseError, connection

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
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
