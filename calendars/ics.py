"""iCalendar in and out: events read from a calendar (recurring ones expanded into their occurrences in the
sync window, in the user's time zone), the private feed, and the event "add to calendar" writes.

Times are stored in UTC. A floating time (no zone: "09:00 wherever I am") is read in the user's zone, and an
all-day event starts at midnight there. Recurrence is expanded by recurring-ical-events in each event's own
zone, so a weekly 09:00 in Europe/Amsterdam stays 09:00 there when daylight saving starts (and moves by an
hour in UTC).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from icalendar.parser import Contentline

from calendars.net import CalendarRefused

PRODID = "-//Omoikane//Calendar//EN"
# Titles and places are cut here: a calendar is not the place for a whole posting.
MAX_TEXT = 500
# More occurrences than this in one calendar is not a calendar a person keeps: a runaway RRULE.
MAX_OCCURRENCES = 20_000


@dataclass(frozen=True)
class Occurrence:
    uid: str
    recurrence_id: str
    summary: str
    location: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    all_day: bool


def _aware(value: dt.date | dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, bool]:
    """A UTC datetime for a DTSTART/DTEND value, and whether it was a date (all day)."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(), tzinfo=zone).astimezone(dt.UTC), True
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(dt.UTC), False


def _text(component: icalendar.cal.Component, name: str) -> str:
    value = component.get(name)
    return " ".join(str(value).split())[:MAX_TEXT] if value is not None else ""


def parse(data: bytes) -> icalendar.Calendar:
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
        raise CalendarRefused("malformed") from None
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise CalendarRefused("malformed")
    return calendar


def occurrences(
    data: bytes | icalendar.Calendar, *, start: dt.datetime, end: dt.datetime, zone: ZoneInfo
) -> Iterator[Occurrence]:
    """Every occurrence of every event in `data` that overlaps [start, end)."""
    calendar = data if isinstance(data, icalendar.Calendar) else parse(data)
    try:
        found = recurring_ical_events.of(calendar, skip_bad_series=True).between(
            start.astimezone(zone), end.astimezone(zone)
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        raise CalendarRefused("malformed") from None
    for count, event in enumerate(found):
        if count >= MAX_OCCURRENCES:
            break
        dtstart = event.get("DTSTART")
        if dtstart is None:
            continue
        starts_at, all_day = _aware(dtstart.dt, zone)
        dtend = event.get("DTEND")
        if dtend is not None:
            ends_at, _all_day = _aware(dtend.dt, zone)
        else:
            ends_at = starts_at + (dt.timedelta(days=1) if all_day else dt.timedelta())
        recurrence = event.get("RECURRENCE-ID")
        recurrence_id = ""
        if recurrence is not None:
            recurrence_id = _aware(recurrence.dt, zone)[0].strftime("%Y%m%dT%H%M%SZ")
        yield Occurrence(
            uid=_text(event, "UID") or f"no-uid-{starts_at.isoformat()}",
            recurrence_id=recurrence_id,
            summary=_text(event, "SUMMARY"),
            location=_text(event, "LOCATION"),
            starts_at=starts_at,
            ends_at=max(ends_at, starts_at),
            all_day=all_day,
        )


# --- Writing ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    uid: str
    summary: str
    # A date is an all-day item (a deadline); a datetime a timed one (an interview).
    starts: dt.date | dt.datetime
    ends: dt.date | dt.datetime | None = None


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(item: FeedItem, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("summary", item.summary[:MAX_TEXT])
    event.add("dtstart", item.starts)
    if item.ends is not None:
        event.add("dtend", item.ends)
    elif not isinstance(item.starts, dt.datetime):
        event.add("dtend", item.starts + dt.timedelta(days=1))
    return event


def _value(value: dt.date | dt.datetime) -> tuple[str, bytes]:
    """The property parameters and value of a DTSTART/DTEND: a date, or a time in UTC."""
    if isinstance(value, dt.datetime):
        return "", _encoded(icalendar.vDatetime(value.astimezone(dt.UTC)))
    return ";VALUE=DATE", _encoded(icalendar.vDate(value))


def _encoded(value: Any) -> bytes:
    # icalendar's value types leave to_ical() untyped; it gives bytes.
    return bytes(value.to_ical())


def _feed_event(item: FeedItem, stamp: bytes) -> bytes:
    """One VEVENT of the feed, from icalendar's value encoders and line folding. Assembled here rather than
    through icalendar.Event: building a component costs about half a millisecond, which for a feed of a
    thousand applications (two thousand items) was over a second per read (bench/calendar_sync.py)."""
    ends = item.ends
    if ends is None and not isinstance(item.starts, dt.datetime):
        ends = item.starts + dt.timedelta(days=1)
    start_params, start_value = _value(item.starts)
    lines = [
        b"BEGIN:VEVENT",
        b"UID:" + icalendar.vText(item.uid).to_ical(),
        b"DTSTAMP:" + stamp,
        b"SUMMARY:" + icalendar.vText(item.summary[:MAX_TEXT]).to_ical(),
        f"DTSTART{start_params}:".encode() + start_value,
    ]
    if ends is not None:
        end_params, end_value = _value(ends)
        lines.append(f"DTEND{end_params}:".encode() + end_value)
    lines.append(b"END:VEVENT")
    # Only a line longer than 75 octets needs folding (RFC 5545, 3.1); most are shorter, and folding is slow.
    return b"".join(
        (line if len(line) <= 75 else _encoded(Contentline(line.decode("utf-8")))) + b"\r\n"  # type: ignore[no-untyped-call]
        for line in lines
    )


def calendar_bytes(name: str, items: Iterable[FeedItem], *, stamp: dt.datetime) -> bytes:
    head = _calendar(name).to_ical().removesuffix(b"END:VCALENDAR\r\n")
    stamp_value = _encoded(icalendar.vDatetime(stamp.astimezone(dt.UTC)))
    return head + b"".join(_feed_event(item, stamp_value) for item in items) + b"END:VCALENDAR\r\n"


def single_event(item: FeedItem, *, stamp: dt.datetime, name: str = "Omoikane") -> bytes:
    return calendar_bytes(name, [item], stamp=stamp)
