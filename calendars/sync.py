"""Reading a connected calendar: what changed since the last sync, worked out without writing anything.

The network and the parsing happen here, outside any transaction; actions.do_apply_sync then stores the
result in one write. A CalDAV calendar whose CTag and sync-token are what they were costs one request. A
changed one is compared event by event (ETags in the window) and only new or changed events are downloaded.
An ICS address is asked with If-None-Match, so an unchanged file is not downloaded. Once a day everything
in the window is read again, since the window itself has moved (recurring events reach into new days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from calendars import caldav_client, ics
from calendars.credentials import decrypt
from calendars.models import CalendarConnection, CalendarEvent
from calendars.net import MAX_ICS_BYTES, CalendarRefused, basic_auth, send

DAYS_BACK = 30
DAYS_AHEAD = 180
_ICS_TYPES = {"text/calendar", "text/plain", "application/octet-stream", "application/ics"}


@dataclass
class Changes:
    """What a sync found. `replaced` maps a resource (href; "" for a whole ICS file) to its new ETag and its
    occurrences in the window; `removed` are resources gone from the window."""

    window_start: dt.datetime
    window_end: dt.datetime
    unchanged: bool = False
    full: bool = False
    replaced: dict[str, tuple[str, list[ics.Occurrence]]] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    ctag: str = ""
    sync_token: str = ""
    etag: str = ""


def window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return now - dt.timedelta(days=DAYS_BACK), now + dt.timedelta(days=DAYS_AHEAD)


def _utc_stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _synced_today(connection: CalendarConnection, now: dt.datetime) -> bool:
    last = connection.last_synced_at
    return last is not None and last.astimezone(dt.UTC).date() == now.astimezone(dt.UTC).date()


def server_for(connection: CalendarConnection) -> caldav_client.Server:
    password = decrypt(connection.secret)
    if password is None:
        raise CalendarRefused("no_password")
    return caldav_client.Server(authorization=basic_auth(connection.username, password))


def read_changes(connection: CalendarConnection, *, now: dt.datetime, zone: ZoneInfo) -> Changes:
    """What changed in the calendar since the last sync; CalendarRefused (with why in words) when it cannot
    be read."""
    start, end = window(now)
    if connection.kind == CalendarConnection.Kind.ICS:
        return _read_ics(connection, start, end, now, zone)
    return _read_caldav(connection, start, end, now, zone)


def _read_caldav(
    connection: CalendarConnection, start: dt.datetime, end: dt.datetime, now: dt.datetime, zone: ZoneInfo
) -> Changes:
    server = server_for(connection)
    changes = Changes(window_start=start, window_end=end)
    found = caldav_client.markers(server, connection.calendar_url)
    changes.ctag, changes.sync_token = found.ctag, found.sync_token
    if (
        _synced_today(connection, now)
        and (found.ctag or found.sync_token)
        and (found.ctag, found.sync_token) == (connection.ctag, connection.sync_token)
    ):
        changes.unchanged = True
        return changes
    on_server = caldav_client.etags(server, connection.calendar_url, _utc_stamp(start), _utc_stamp(end))
    stored = dict(
        CalendarEvent.objects.filter(connection=connection).values_list("href", "resource_etag").distinct()
    )
    if not _synced_today(connection, now):
        wanted = list(on_server)  # the window moved: every event is expanded again
    else:
        wanted = [href for href, etag in on_server.items() if stored.get(href) != etag or not etag]
    changes.removed = set(stored) - set(on_server)
    for href, etag, data in caldav_client.fetch_events(server, connection.calendar_url, wanted):
        try:
            found_here = list(ics.occurrences(data, start=start, end=end, zone=zone))
        except CalendarRefused:
            # One broken event must not stop the calendar: it is left out, the others are synced.
            found_here = []
        changes.replaced[href] = (etag, found_here)
    return changes


def _media_type(value: str) -> str:
    return value.split(";")[0].strip().lower()


def _read_ics(
    connection: CalendarConnection, start: dt.datetime, end: dt.datetime, now: dt.datetime, zone: ZoneInfo
) -> Changes:
    changes = Changes(window_start=start, window_end=end, full=True)
    headers = {"Accept": "text/calendar, text/plain;q=0.5"}
    if connection.etag and _synced_today(connection, now):
        headers["If-None-Match"] = connection.etag
    answer = send("GET", connection.url, headers=headers, max_bytes=MAX_ICS_BYTES)
    if answer.status == 304:
        changes.unchanged, changes.full, changes.etag = True, False, connection.etag
        return changes
    if answer.status >= 400:
        raise CalendarRefused("http_error")
    if _media_type(answer.headers.get("content-type", "text/calendar")) not in _ICS_TYPES:
        raise CalendarRefused("not_ics")
    changes.etag = answer.headers.get("etag", "")[:500]
    changes.replaced[""] = (changes.etag, list(ics.occurrences(answer.body, start=start, end=end, zone=zone)))
    return changes
