"""Which application a calendar event is probably about: its company's name in the event's title or place,
else most of the job title's words. Only a suggestion: the user confirms it (actions.do_link_event)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from applications.models import Application
from calendars.models import CalendarEvent

_WORD = re.compile(r"\w{3,}")
# Words every other job title has: they say nothing about which application an event is about.
_COMMON = frozenset(
    {"senior", "junior", "lead", "the", "and", "for", "with", "engineer", "developer", "manager"}
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in _COMMON}


def suggestion(event: CalendarEvent, applications: Iterable[Application]) -> Application | None:
    text = f"{event.summary} {event.location}".casefold()
    words = _words(text)
    best: tuple[int, Application] | None = None
    for application in applications:
        score = 0
        company = application.company.strip().casefold()
        if len(company) >= 2 and re.search(rf"(?<!\w){re.escape(company)}(?!\w)", text):
            score += 10
        title = _words(application.title)
        if title and len(title & words) * 2 >= len(title) + 1:
            score += 5
        if score and (best is None or score > best[0]):
            best = (score, application)
    return best[1] if best else None
