"""How the activity page describes an event: its label, a short detail line where one helps, and the name
of what it concerns (the application's title, the material's name).

The label comes from the event vocabulary (events.py). A detail line needs to know the app behind the
event (which support page a grant opened, say), and the kernel imports no app: so the app that owns an
event registers its formatter here, from its AppConfig.ready(), and the audit model asks this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from privacy_kernel.events import Event

# From an event's metadata to the line under its label ("" for none).
Formatter = Callable[[Mapping[str, Any]], str]

_formatters: dict[str, Formatter] = {}

# From a user and ids of their objects of one model to each object's name as they read it: one query for a
# whole page of events. It must look only among the user's own objects (owned_by).
Namer = Callable[[Any, Collection[str]], Mapping[str, str]]

_namers: dict[str, Namer] = {}


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


def names(model_label: str) -> Callable[[Namer], Namer]:
    """Register the decorated function as the namer of a model's objects (`app_label.modelname`)."""

    def register(namer: Namer) -> Namer:
        known = _namers.get(model_label)
        if known is not None and known is not namer:
            raise ValueError(f"{model_label} already has a namer: {known.__qualname__}.")
        _namers[model_label] = namer
        return namer

    return register


def target_names(user: Any, targets: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The names of (target_type, target_id) pairs, one query per model; an object that is gone (deleted,
    or another user's) has no name, and the entry shows its label alone."""
    ids_by_type: dict[str, set[str]] = {}
    for target_type, target_id in targets:
        if target_type and target_id and target_type in _namers:
            ids_by_type.setdefault(target_type, set()).add(target_id)
    found: dict[tuple[str, str], str] = {}
    for target_type, ids in ids_by_type.items():
        for target_id, name in _namers[target_type](user, ids).items():
            found[(target_type, str(target_id))] = name
    return found
