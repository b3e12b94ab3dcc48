from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from calendars.models import CalendarConnection, CalendarEvent, CalendarFeed
from privacy_kernel.exports import ICalendar, JsonFile
from privacy_kernel.registry import Personal

PERSONAL = [
    # The app password and feed token are left out of every export (privacy_rights/export.py SECRET_FIELDS).
    Personal(
        CalendarConnection,
        owner="user",
        export=JsonFile(
            "calendar.json", note="the calendars you connected and their last sync; no passwords"
        ),
        label=_("calendar connections and their passwords"),
    ),
    Personal(
        CalendarEvent,
        owner="connection__user",
        export=(
            ICalendar(
                "calendar.ics", note="when present: the calendar events we synced, in iCalendar format"
            ),
            JsonFile("calendar.json"),
        ),
        label=_("calendar events"),
    ),
    Personal(
        CalendarFeed,
        owner="user",
        export=JsonFile("calendar.json", note="whether your private feed is on; not its secret address"),
        label=_("private calendar feed"),
    ),
]
