"""The events of a draft stream (server-sent events): the text as it is written, then how the draft ended.

Two ways to serve the same events. Under WSGI (the test client, runserver, gunicorn gthread) a stream is a
plain iterator that holds its thread and looks at its row every POLL_SECONDS. Under ASGI (the production
server: gunicorn's ASGI workers, deploy/gunicorn.conf.py) a stream is an async iterator and holds no thread
and no database connection while it waits: every stream open in a worker process waits on one shared
poller (`_Watch`), which reads the rows of all of them in one query per tick. bench/serving.py measures what
that changes for the pages served beside 200 open streams.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from applications.models import DraftGeneration

# How often a stream looks at the generation row, and how long one stream may stay open; the page opens a
# new one when a stream ends without the draft finished.
POLL_SECONDS = 0.25
MAX_SECONDS = 300
# A comment line (ignored by the browser's EventSource) when nothing was sent for this long. Under WSGI it is
# how a stream learns that its visitor left: writing to the closed connection fails and frees the thread,
# which would otherwise poll until MAX_SECONDS (ASGI tells the stream at once). It also keeps the edge's
# idle timeout from cutting a draft that waits for the worker.
HEARTBEAT_SECONDS = 10

Row = dict[str, Any]


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


@dataclass
class _Cursor:
    """What one stream has sent so far."""

    done_url: str
    sent: int = 0
    deadline: float = field(default_factory=lambda: time.monotonic() + MAX_SECONDS)
    last_write: float = field(default_factory=time.monotonic)

    def events(self, row: Row | None) -> tuple[list[str], bool]:
        """The events a look at the row gives, and whether the stream ends with them."""
        if row is None:
            return [_event("failed", {"message": _("This draft no longer exists.")})], True
        out = []
        text = row["partial_text"]
        if len(text) > self.sent:
            out.append(_event("text", {"text": text[self.sent :]}))
            self.sent = len(text)
        status = row["status"]
        if status == DraftGeneration.Status.DONE:
            return [*out, _event("done", {"url": self.done_url})], True
        if status == DraftGeneration.Status.FAILED:
            return [*out, _event("failed", {"message": row["error"]})], True
        if status == DraftGeneration.Status.CANCELLED:
            return [*out, _event("cancelled", {"message": _("The draft was cancelled.")})], True
        now = time.monotonic()
        if now > self.deadline:
            return [*out, _event("timeout", {})], True
        if out:
            self.last_write = now
        elif now - self.last_write > HEARTBEAT_SECONDS:
            out.append(": still writing\n\n")
            self.last_write = now
        return out, False


def _rows(pks: list[int]) -> dict[int, Row]:
    return {
        row["pk"]: dict(row)
        for row in DraftGeneration.objects.filter(pk__in=pks).values("pk", "status", "partial_text", "error")
    }


def sync_events(generation_pk: int, done_url: str) -> Iterator[str]:
    cursor = _Cursor(done_url)
    while True:
        events, finished = cursor.events(_rows([generation_pk]).get(generation_pk))
        yield from events
        if finished:
            return
        time.sleep(POLL_SECONDS)


async def async_events(generation_pk: int, done_url: str) -> AsyncIterator[str]:
    # The view's own connection (session, ownership, audit row) is not needed while the stream waits: closed
    # here, in the request's thread, so that 200 open streams are not 200 idle database connections. Inside
    # a transaction (a test case) there is nothing to give back.
    await sync_to_async(_close_idle_connections)()
    watch = _Watch.of_this_loop()
    cursor = _Cursor(done_url)
    row = await watch.look(generation_pk, now=True)
    while True:
        events, finished = cursor.events(row)
        for event in events:
            yield event
        if finished:
            return
        row = await watch.look(generation_pk)


def _close_idle_connections() -> None:
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


class _Watch:
    """The shared look at the rows for every stream waiting in one event loop (one worker process).

    Each tick reads the rows of all waiting streams in one query, in one thread (asgiref's thread for work
    outside a request): the database sees one query per tick per worker however many streams are open,
    and a waiting stream is a future, not a thread.
    """

    _by_loop: dict[asyncio.AbstractEventLoop, _Watch] = {}

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.waiting: dict[int, list[asyncio.Future[Row | None]]] = {}
        self.poller: asyncio.Task[None] | None = None

    @classmethod
    def of_this_loop(cls) -> _Watch:
        loop = asyncio.get_running_loop()
        for old in [old for old in cls._by_loop if old.is_closed()]:
            del cls._by_loop[old]
        if loop not in cls._by_loop:
            cls._by_loop[loop] = cls(loop)
        return cls._by_loop[loop]

    async def look(self, pk: int, *, now: bool = False) -> Row | None:
        """The row at the next tick (or at once: a stream's first look sends the text written so far)."""
        if now:
            return (await self._fetch([pk])).get(pk)
        future: asyncio.Future[Row | None] = self.loop.create_future()
        self.waiting.setdefault(pk, []).append(future)
        if self.poller is None or self.poller.done():
            self.poller = self._start(self._poll())
        return await future

    def _start(self, coroutine: Any) -> asyncio.Task[Any]:
        # A fresh context: the poller outlives the request that started it, so it must not run in that
        # request's thread (asgiref's per-request context) nor keep it alive.
        return self.loop.create_task(coroutine, context=contextvars.Context())

    async def _fetch(self, pks: list[int]) -> dict[int, Row]:
        return await self._start(sync_to_async(_look_at_rows)(pks))

    async def _poll(self) -> None:
        while self.waiting:
            await asyncio.sleep(POLL_SECONDS)
            waiting, self.waiting = self.waiting, {}
            try:
                rows = await self._fetch(list(waiting))
            except DatabaseError:
                # The database is away (a failover): the streams wait for the next tick and go on when it
                # is back, as they would under WSGI after the same wait.
                for pk, futures in waiting.items():
                    self.waiting.setdefault(pk, []).extend(futures)
                continue
            for pk, futures in waiting.items():
                for future in futures:
                    if not future.done():  # a stream whose client left is cancelled
                        future.set_result(rows.get(pk))


def _look_at_rows(pks: list[int]) -> dict[int, Row]:
    # This thread serves no request, so nothing else closes its connection when it grows old or breaks.
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
    try:
        return _rows(pks)
    except DatabaseError:
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
        raise
