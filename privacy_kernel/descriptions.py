"""How the activity page describes an event: its label, and a short detail line where one helps.

The label comes from the event vocabulary (events.py). A detail line needs to know the app behind the
event (which support page a grant opened, say), and the kernel imports no app: so the app that owns an
event registers its formatter here, from its AppConfig.ready(), and the audit model asks this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from privacy_kernel.events import Event

# From an event's metadata to the line under its label ("" for none).
Formatter = Callable[[Mapping[str, Any]], str]

_formatters: dict[str, Formatter] = {}


def describes(*events: Event) -> Callable[[Formatter], Formatter]:
    """Register the decorated function as the detail line of `events`. An event has one formatter."""

    def register(formatter: Formatter) -> Formatter:
        for event in events:
            known = _formatters.get(event.value)
            if known is not None and known is not formatter:
                raise ValueError(f"{event.value} already has a formatter: {known.__qualname__}.")
            _formatters[event.value] = formatter
        return formatter

    return register


def label(event: str) -> str:
    """The event's name as the user reads it; an unknown type (from a newer release) shows as stored."""
    try:
        return str(Event(event).label)
    except ValueError:
        return event


def detail(event: str, metadata: Mapping[str, Any] | None) -> str:
    formatter = _formatters.get(event)
    return formatter(metadata or {}) if formatter is not None else ""
