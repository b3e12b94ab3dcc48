"""Nothing is loaded from another origin: no script, style, font, image or frame, on any page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

from omoikane.testing import BaseTestCase
from omoikane.tests.pages import visit_all

# (tag, attribute) pairs whose URL the browser fetches by itself.
FETCHED = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
}
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)", re.IGNORECASE)
CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)", re.IGNORECASE)


class ResourceCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (tag, name) in FETCHED:
                self.urls.extend(part.strip().split(" ")[0] for part in value.split(","))
            if value and name == "style":
                self.urls.extend(CSS_URL.findall(value))
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(CSS_URL.findall(data) + CSS_IMPORT.findall(data))


def external_urls(html: str) -> list[str]:
    collector = ResourceCollector()
    collector.feed(html)
    return [url for url in collector.urls if EXTERNAL.match(url)]


class NoExternalResourcesTests(BaseTestCase):
    def assert_first_party(self, path: str, response: object) -> None:
        if "text/html" in response.headers.get("Content-Type", ""):  # type: ignore[attr-defined]
            self.assertEqual(external_urls(response.content.decode()), [], path)  # type: ignore[attr-defined]

    def test_it_detects_an_external_resource(self) -> None:
        html = '<link rel="stylesheet" href="https://cdn.example/x.css"><img src="//img.example/a.png">'
        self.assertEqual(external_urls(html), ["https://cdn.example/x.css", "//img.example/a.png"])
        self.assertEqual(external_urls('<a href="https://example.org">link</a><img src="/static/a.png">'), [])

    def test_it_finds_none_for_visitors(self) -> None:
        for path, response in visit_all(self.client):
            with self.subTest(path=path):
                self.assert_first_party(path, response)

    def test_it_finds_none_for_signed_in_users(self) -> None:
        self.client.force_login(self.alice)
        for path, response in visit_all(self.client):
            with self.subTest(path=path):
                self.assert_first_party(path, response)

    def test_it_finds_none_in_our_stylesheets(self) -> None:
        for css in Path(settings.BASE_DIR).glob("*/static/**/*.css"):
            text = css.read_text()
            urls = CSS_URL.findall(text) + CSS_IMPORT.findall(text)
            self.assertEqual([u for u in urls if EXTERNAL.match(u)], [], str(css))
