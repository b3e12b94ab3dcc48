"""Adding a calendar by its ICS address (read only): a good one is synced and asked again with its ETag; a
huge, broken or private one is refused with a clear message and nothing is stored."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse

from calendars.actions import do_connect_ics
from calendars.models import CalendarConnection, CalendarEvent
from calendars.net import CalendarRefused
from calendars.syncing import run_sync
from calendars.testing import Misbehaving, Reply, misbehaving_server
from calendars.tests.factories import ACTOR, utc, vevent
from omoikane.testing import BaseTestCase
from privacy_kernel.models import AuditEvent

NOW = utc("2027-02-15T12:00:00")
CALENDAR = vevent("i1", "Interview Berg", ":20270301T090000Z", ":20270301T100000Z").encode()
ICS = {"Content-Type": "text/calendar; charset=utf-8", "ETag": '"v1"'}


def not_modified() -> Reply:
    return (304, {"ETag": '"v1"'}, b"")


ROUTES: dict[str, object] = {
    "/cal.ics": (200, ICS, CALENDAR),
    "/same.ics": (200, ICS, CALENDAR),
    "/huge.ics": (200, {"Content-Type": "text/calendar"}, b"BEGIN:VCALENDAR\r\n" + b"X" * 6_000_000),
    "/broken.ics": (
        200,
        {"Content-Type": "text/calendar"},
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:yesterday",
    ),
    "/page.ics": (200, {"Content-Type": "text/html"}, b"<html><body>Sign in</body></html>"),
    "/gone.ics": (404, {}, b"no"),
}


class IcsTests(BaseTestCase):
    server: Misbehaving

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = cls.enterClassContext(misbehaving_server(ROUTES))  # type: ignore[arg-type]
        cls.enterClassContext(override_settings(CALENDAR_TEST_LOOPBACK_PORTS=[cls.server.port]))

    def refusal(self, url: str) -> CalendarRefused:
        with self.assertRaises(CalendarRefused) as caught:
            do_connect_ics(self.alice, url=url, actor=ACTOR)
        self.assertFalse(CalendarConnection.objects.exists())
        return caught.exception

    def test_it_connects_and_syncs_an_ics_address(self) -> None:
        connection = do_connect_ics(self.alice, url=self.server.url("/cal.ics"), actor=ACTOR)
        self.assertEqual(connection.kind, CalendarConnection.Kind.ICS)
        self.assertFalse(connection.writable)
        self.assertEqual(run_sync(connection.pk, now=NOW), "ok")
        event = CalendarEvent.objects.get()
        self.assertEqual((event.summary, event.starts_at), ("Interview Berg", utc("2027-03-01T09:00:00")))

    def test_it_asks_again_with_the_etag(self) -> None:
        connection = do_connect_ics(self.alice, url=self.server.url("/same.ics"), actor=ACTOR)
        run_sync(connection.pk, now=NOW)
        self.server.routes["/same.ics"] = not_modified
        result = run_sync(connection.pk, now=NOW + dt.timedelta(minutes=30))
        connection.refresh_from_db()
        self.assertEqual(result, "unchanged", connection.status_message)
        self.assertEqual(CalendarEvent.objects.count(), 1)

    def test_it_refuses_a_huge_file(self) -> None:
        refused = self.refusal(self.server.url("/huge.ics"))
        self.assertEqual(refused.code, "too_large")
        self.assertIn("larger than we read", refused.message)

    def test_it_refuses_a_malformed_file(self) -> None:
        refused = self.refusal(self.server.url("/broken.ics"))
        self.assertEqual(refused.code, "malformed")
        self.assertEqual(refused.message, "The calendar file could not be read: it is not valid iCalendar.")

    def test_it_refuses_a_web_page(self) -> None:
        self.assertEqual(self.refusal(self.server.url("/page.ics")).code, "not_ics")

    def test_it_refuses_a_missing_file(self) -> None:
        self.assertEqual(self.refusal(self.server.url("/gone.ics")).code, "http_error")

    def test_it_refuses_private_addresses(self) -> None:
        for url in (
            "http://192.168.1.10/cal.ics",
            "http://10.0.0.1/cal.ics",
            "http://169.254.169.254/latest/meta-data/",
            "http://localhost/cal.ics",
            "http://[::1]/cal.ics",
        ):
            with self.subTest(url=url):
                refused = self.refusal(url)
                self.assertEqual(refused.code, "private_address")
                self.assertIn("points inside a private network", refused.message)

    def test_it_refuses_our_own_host_on_a_port_the_tests_did_not_open(self) -> None:
        self.assertEqual(self.refusal("http://127.0.0.1:5432/cal.ics").code, "port")

    def test_the_page_shows_the_refusal_on_the_form(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(reverse("calendars:connect_ics"), {"ics_url": "http://10.1.2.3/cal.ics"})
        self.assertContains(response, "points inside a private network", status_code=400)
        self.assertFalse(CalendarConnection.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(event="calendars.connected").exists())

    def test_a_file_that_breaks_later_is_a_status(self) -> None:
        self.server.routes["/changing.ics"] = (200, ICS, CALENDAR)
        connection = do_connect_ics(self.alice, url=self.server.url("/changing.ics"), actor=ACTOR)
        self.server.routes["/changing.ics"] = ROUTES["/broken.ics"]  # type: ignore[assignment]
        self.assertEqual(run_sync(connection.pk, now=NOW), "failed")
        connection.refresh_from_db()
        self.assertEqual(
            connection.status_message, "The calendar file could not be read: it is not valid iCalendar."
        )


class ProductionRefusesLoopbackTests(BaseTestCase):
    def test_without_the_test_setting_our_own_host_is_private(self) -> None:
        with self.assertRaises(CalendarRefused) as caught:
            do_connect_ics(self.alice, url="http://127.0.0.1/cal.ics", actor=ACTOR)
        self.assertEqual(caught.exception.code, "private_address")
