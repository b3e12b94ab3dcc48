"""Walks the URL configuration, so the guard-rail tests cover views that do not exist yet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route itself when unnamed
    route: str
    callback: Callable[..., Any]
    params: tuple[str, ...]


def routes() -> Iterator[Route]:
    def walk(patterns: list[Any], prefix: str, namespace: str, params: tuple[str, ...]) -> Iterator[Route]:
        for entry in patterns:
            pattern = entry.pattern
            entry_params = tuple(getattr(pattern, "converters", {}).keys()) or tuple(
                getattr(getattr(pattern, "regex", None), "groupindex", {}).keys()
            )
            route = prefix + str(pattern)
            if isinstance(entry, URLResolver):
                child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, route, child_ns, params + entry_params)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else route
                yield Route(name=name, route=route, callback=entry.callback, params=params + entry_params)

    yield from walk(get_resolver().url_patterns, "", "", ())
