from __future__ import annotations

import datetime as dt

from django.utils import translation

from diary.actions import do_add_entry
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_rights.export import _markdown


class DiaryMarkdownTests(BaseTestCase):
    def test_it_writes_dates_as_people_read_them_and_headings_on_a_word(self) -> None:
        text = "Called the recruiter at Fjordpay about the platform role and the timeline for the interviews"
        entry = do_add_entry(
            self.alice, kind="note", text=text, occurred_on=dt.date(2026, 12, 8), actor=Actor.system("test")
        )
        with translation.override("de"):
            markdown = b"".join(_markdown([entry])).decode()
        self.assertIn("## Called the recruiter at Fjordpay about the platform role and…\n", markdown)
        self.assertIn("8. Dezember 2026", markdown)
        self.assertNotIn('"2026-12-08"', markdown)
