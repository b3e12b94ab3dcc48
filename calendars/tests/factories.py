from __future__ import annotations

import datetime as dt

from accounts.models import User
from calendars.actions import do_connect_caldav
from calendars.models import CalendarConnection
from calendars.testing import Radicale
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
