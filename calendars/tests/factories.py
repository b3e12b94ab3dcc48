from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import override_settings

from accounts.models import User
from applications.models import Application
from calendars.actions import do_connect_caldav, do_connect_ics, do_link_event
from calendars.models import CalendarConnection, CalendarEvent
from calendars.syncing import run_sync
from calendars.testing import Radicale, misbehaving_server
from privacy_kernel.audit import Actor

ACTOR = Actor.system("test")


def vevent(
    uid: str,
    summary: str,
    start: str,
    end: str,
    *,
    extra: str = "",
) -> str:
    """An iCalendar file with one event; `start`/`end` as DTSTART/DTEND lines' tails (";TZID=…:2027…")."""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART{start}\r\nDTEND{end}\r\nSUMMARY:{summary}\r\n{extra}"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def utc(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def connect(user: User, server: Radicale) -> CalendarConnection:
    return do_connect_caldav(
        user, url=server.url, username=server.username, password=server.password, actor=ACTOR
    )


def add_synced_calendar(user: User, application: Application | None = None) -> CalendarConnection:
    """An ICS calendar connected and synced through the real actions, from a local server the tests open
    (two events in the coming weeks, the first linked to `application` when one is given)."""
    soon = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=7)
    stamp = "%Y%m%dT%H%M%SZ"
    body = (
        vevent("fill-1", "Interview", f":{soon:{stamp}}", f":{soon + dt.timedelta(hours=1):{stamp}}")
        + vevent(
            "fill-2",
            "Dentist",
            f":{soon + dt.timedelta(days=1):{stamp}}",
            f":{soon + dt.timedelta(days=1, hours=1):{stamp}}",
        )
    ).replace("END:VCALENDAR\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n", "")
    routes: dict[str, Any] = {"/c.ics": (200, {"Content-Type": "text/calendar"}, body.encode())}
    with misbehaving_server(routes) as server, override_settings(CALENDAR_TEST_LOOPBACK_PORTS=[server.port]):
        connection = do_connect_ics(user, url=server.url("/c.ics"), actor=ACTOR)
        run_sync(connection.pk)
    if application is not None:
        do_link_event(
            CalendarEvent.objects.get(connection=connection, uid="fill-1"), application, actor=ACTOR
        )
    return connection
