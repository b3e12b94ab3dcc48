"""The calendar in the export (calendar.ics and calendar.json, never the password or the feed's address) and
in the erasure (the completeness tests plant canaries in every calendar row; this checks what is specific)."""

from __future__ import annotations

import io
import zipfile

import icalendar

from applications.tests.factories import add_application
from calendars.actions import do_create_feed, feed_token
from calendars.models import CalendarConnection
from calendars.tests.factories import ACTOR, add_synced_calendar
from omoikane.testing import BaseTestCase
from privacy_rights.export import zip_chunks


class CalendarExportTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = add_application(self.alice)
        self.connection = add_synced_calendar(self.alice, self.application)
        CalendarConnection.objects.filter(pk=self.connection.pk).update(secret="encrypted-app-password")
        self.feed = do_create_feed(self.alice, actor=ACTOR)
        self.zip = zipfile.ZipFile(io.BytesIO(b"".join(zip_chunks(self.alice))))

    def test_it_exports_the_events_as_icalendar(self) -> None:
        calendar = icalendar.Calendar.from_ical(self.zip.read("calendar.ics"))
        self.assertEqual(sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")), ["Dentist", "Interview"])

    def test_it_never_exports_the_password_or_the_feed_address(self) -> None:
        token = feed_token(self.feed)
        assert token is not None
        everything = b"".join(self.zip.read(name) for name in self.zip.namelist())
        self.assertNotIn(b"encrypted-app-password", everything)
        self.assertNotIn(token.encode(), everything)
        self.assertNotIn(self.feed.token_hash.encode(), everything)
        self.assertIn(b"calendarconnection", self.zip.read("calendar.json").lower())
