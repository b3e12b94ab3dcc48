"""A task for the graceful-shutdown tests (ops/tests/test_graceful_shutdown.py): the worker they start in its
own process imports it from here."""

from __future__ import annotations

import time
from pathlib import Path

from django.tasks import task


@task()
def hold_then_write(path: str) -> str:
    """Run while `<path>.hold` exists (at most a minute), then write `path`: the test decides how long the
    task runs by removing the file, and sees that it ran to its end by the one it writes."""
    hold = Path(path + ".hold")
    started = time.monotonic()
    while hold.exists() and time.monotonic() - started < 60:
        time.sleep(0.1)
    Path(path).write_text("done")
    return path
