"""Every page a browser can open without an object id, for the tests that must hold on all of them."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpResponseBase
from django.test import Client

from privacy_rights.tests.urlwalk import routes


def page_paths() -> list[str]:
    paths = []
    for route in routes():
        if route.params or "<" in route.route or "(?P" in route.route:
            continue
        path = "/" + route.route.replace("^", "").replace("$", "").replace("\\Z", "")
        paths.append(path)
    return sorted(set(paths))


def visit_all(client: Client) -> Iterator[tuple[str, HttpResponseBase]]:
    for path in page_paths():
        yield path, client.get(path)
