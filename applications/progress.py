"""Server-sent events for work the worker does while the user watches a page: a posting being read, a fit
score being computed. The page refreshes itself without JavaScript (a <noscript> refresh); with it,
omoikane.js listens here and reloads (or follows `done`'s address) once the work has finished."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.http import StreamingHttpResponse

# How often a stream looks at the row, and how long one stream may stay open; the page opens a new one
# when a stream ends with `timeout`.
POLL_SECONDS = 0.25
MAX_SECONDS = 300

# What a stream's reader returns: None while the work goes on, or the one event that ends the stream.
Finished = tuple[str, dict[str, Any]] | None


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def _events(read: Callable[[], Finished]) -> Iterator[str]:
    deadline = time.monotonic() + MAX_SECONDS
    while True:
        finished = read()
        if finished is not None:
            yield _event(*finished)
            return
        if time.monotonic() > deadline:
            yield _event("timeout", {})
            return
        time.sleep(POLL_SECONDS)


def stream(read: Callable[[], Finished]) -> StreamingHttpResponse:
    """A text/event-stream that ends with the event `read` returns once the work has finished."""
    response = StreamingHttpResponse(_events(read), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
