"""Names of calendar connections and events for the activity page (privacy_kernel/descriptions.py)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.utils.text import Truncator

from calendars.models import CalendarConnection, CalendarEvent
from privacy_kernel.descriptions import names


def _ids(ids: Collection[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


@names("calendars.calendarconnection")
def _connections(user: Any, ids: Collection[str]) -> Mapping[str, str]:
    found = CalendarConnection.objects.owned_by(user).filter(pk__in=_ids(ids)).only("id", "name", "url")
    return {str(c.pk): str(c) for c in found}


@names("calendars.calendarevent")
def _events(user: Any, ids: Collection[str]) -> Mapping[str, str]:
    found = CalendarEvent.objects.owned_by(user).filter(pk__in=_ids(ids)).only("id", "summary", "uid")
    return {str(e.pk): Truncator(str(e)).words(8) for e in found}
