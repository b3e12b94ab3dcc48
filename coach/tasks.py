"""Tasks the worker runs for the coach app."""

from __future__ import annotations

from django.tasks import task

from coach.traces import do_purge_traces


@task()
def purge_old_traces() -> int:
    """The daily trace retention, queued by the worker (ops/periodic.py): `manage.py purge_traces`."""

    return do_purge_traces()
