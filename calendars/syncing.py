"""One sync of one connection, as the worker runs it: read (sync.py), then store (store.py). Whatever goes
wrong ends as a status in words on the connection, never as a failed task that nobody reads."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from calendars import store
from calendars.models import CalendarConnection
from calendars.net import CalendarRefused
from calendars.sync import read_changes
from privacy_kernel.audit import Actor

logger = logging.getLogger(__name__)
ACTOR = Actor.system("calendar sync")


def run_sync(connection_id: int, *, now: dt.datetime | None = None) -> str:
    """Sync the connection; "ok", "unchanged", "failed" or "gone"."""
    connection = CalendarConnection.objects.filter(pk=connection_id).select_related("user").first()
    if connection is None:
        return "gone"
    now = now or timezone.now()
    user = connection.user
    try:
        changes = read_changes(connection, now=now, zone=user.zone)
    except CalendarRefused as refused:
        # The status is read by the user: in their language, stored as words.
        with override(user.language):
            store.do_record_sync_failure(connection, refused.message, actor=ACTOR)
        return "failed"
    except Exception:
        # Ours, not the server's: logged with the id only (never the address, which may hold a token).
        logger.exception("Calendar sync of connection %d failed", connection_id)
        with override(user.language):
            message = _("Something went wrong on our side while syncing. We will try again later.")
            store.do_record_sync_failure(connection, message, actor=ACTOR)
        return "failed"
    store.do_apply_sync(connection, changes, now=now, actor=ACTOR)
    return "unchanged" if changes.unchanged else "ok"
