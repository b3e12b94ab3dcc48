"""Every page, rendered in every language: no text left in English where a translation of it exists.

The catalogue test (test_translations.py) checks that our catalogues are complete. This one checks what
a user reads: a string translated too early (at import, in the default language), a template that forgot
{% translate %}, or a third-party page whose catalogue has the word, all show here as English text.
"""

from __future__ import annotations

from html.parser import HTMLParser

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from applications.actions import do_add_reply, do_change_status
from applications.intake import reply_from_text
from applications.models import Status
from applications.tests.factories import add_application
from diary.actions import do_add_entry
from materials.tests.factories import add_material
from omoikane.testing import BaseTestCase
from omoikane.tests.pages import page_paths
from privacy_kernel.audit import Actor

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# Attributes a user reads or hears.
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
# Pages that answer with a file or a redirect, not a page to read.
NOT_PAGES = {"/.well-known/security.txt", "/healthz", "/account/logout/"}


class _Text(HTMLParser):
    """The page's text and read attributes, skipping scripts, styles and anything marked in another
    language (the language menu lists each language in its own)."""

    def __init__(self, page_language: str) -> None:
        super().__init__()
        self.page_language = page_language
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        other_language = lang is not None and tag != "html" and lang != self.page_language
        skip = tag in {"script", "style"} or other_language
        if tag not in {"input", "br", "img", "meta", "link", "hr"}:
            self.stack.append((tag, skip))
        if not (skip or self._skipping()):
            self.found.extend(value for name, value in attrs if name in READ_ATTRIBUTES and value)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.found.append(data)


def english_left(html: str, language: str) -> set[str]:
    parser = _Text(language)
    parser.feed(html)
    left = set()
    with translation.override(language):
        for text in parser.found:
            text = " ".join(text.split())
            if len(text) > 2 and any(ch.isalpha() for ch in text) and translation.gettext(text) != text:
                left.add(text)
    return left


class RenderedTranslationTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        actor = Actor.system("test")
        # Names no catalogue has, so the user's own words are never taken for ours.
        self.material = add_material(self.alice, title="Zeta-7 résumé")
        self.application = add_application(self.alice, title="Qx platform role", company="Fjordpay AS")
        do_change_status(self.application, Status.DRAFTING, actor=actor)
        reply = reply_from_text("Subject: Qx\n\nWe would like to meet you.")
        do_add_reply(self.application, reply, actor=actor)
        do_add_entry(self.alice, kind="interview", text="Qx talk with the team", actor=actor)

    def pages(self) -> list[str]:
        with_ids = [
            reverse("applications:detail", args=[self.application.pk]),
            reverse("applications:letter", args=[self.application.pk]),
            reverse("materials:detail", args=[self.material.pk]),
        ]
        return [path for path in page_paths() if path not in NOT_PAGES] + with_ids

    def test_it_leaves_no_english_where_a_translation_exists(self) -> None:
        problems: dict[str, set[str]] = {}
        for language in LANGUAGES:
            self.alice.language = language
            self.alice.save(update_fields=["language"])
            for signed_in in (False, True):
                if signed_in:
                    self.client.force_login(self.alice)
                else:
                    self.client.logout()
                for path in self.pages():
                    response = self.client.get(path, HTTP_ACCEPT_LANGUAGE=language)
                    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                        continue
                    left = english_left(response.content.decode(), language)
                    if left:
                        problems[f"{language} {'signed in' if signed_in else 'anonymous'} {path}"] = left
        self.assertEqual(problems, {})
