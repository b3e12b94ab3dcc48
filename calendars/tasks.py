from __future__ import annotations

from django.tasks import task

from calendars.syncing import run_sync


@task()
def sync_calendar(*, connection_id: int) -> str:
    """Sync one connected calendar (queued on connect, by "sync now", and by manage.py sync_calendars)."""
    return run_sync(connection_id)
