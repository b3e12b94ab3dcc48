"""A calendar server that answers slowly, refuses the password or fails: the connection gets a status in plain
words, the events of the last good sync stay, and no page of ours fails."""

from __future__ import annotations

import time

from django.test import override_settings
from django.urls import reverse

from calendars.credentials import encrypt
from calendars.models import CalendarConnection, CalendarEvent
from calendars.syncing import run_sync
from calendars.testing import Misbehaving, Reply, misbehaving_server
from calendars.tests.factories import utc
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

NOW = utc("2027-02-15T12:00:00")


def slow() -> Reply:
    time.sleep(2.5)
    return (207, {"Content-Type": "application/xml"}, b"<multistatus xmlns='DAV:'/>")


ROUTES: dict[str, Reply | object] = {
    "/slow/": slow,
    "/locked/": (401, {"WWW-Authenticate": 'Basic realm="cal"'}, b"no"),
    "/broken/": (
        500,
        {"Content-Type": "text/html"},
        b"<h1>Internal Server Error</h1><pre>Traceback ...</pre>",
    ),
    "/garbage/": (207, {"Content-Type": "application/xml"}, b"<not xml"),
}


@override_settings(CALENDAR_TIMEOUT_SECONDS=1)
class FailingServerTests(BaseTestCase):
    server: Misbehaving

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = cls.enterClassContext(misbehaving_server(ROUTES))  # type: ignore[arg-type]
        cls.enterClassContext(override_settings(CALENDAR_TEST_LOOPBACK_PORTS=[cls.server.port]))

    def connection(self, path: str) -> CalendarConnection:
        connection = CalendarConnection.objects.create(
            user=self.alice,
            kind=CalendarConnection.Kind.CALDAV,
            url=self.server.url("/"),
            username="alice",
            secret=encrypt("app-password"),
            calendar_url=self.server.url(path),
            name="Work",
        )
        CalendarEvent.objects.create(
            connection=connection, uid="kept", summary="From the last good sync",
            starts_at=utc("2027-02-20T09:00:00"), ends_at=utc("2027-02-20T10:00:00"),
        )  # fmt: skip
        return connection

    def assert_status(self, path: str, message: str) -> CalendarConnection:
        connection = self.connection(path)
        self.assertEqual(run_sync(connection.pk, now=NOW), "failed")
        connection.refresh_from_db()
        self.assertEqual(connection.status, CalendarConnection.Status.FAILING)
        self.assertEqual(connection.status_message, message)
        self.assertEqual(CalendarEvent.objects.get(connection=connection).summary, "From the last good sync")
        return connection

    def test_a_slow_server_is_a_timeout_in_words(self) -> None:
        self.assert_status("/slow/", "The calendar server did not answer in time. We will try again later.")

    def test_a_refused_password_says_to_make_an_app_password(self) -> None:
        self.assert_status(
            "/locked/",
            "The calendar server did not accept the user name and password. Many servers need an app "
            "password made for this: create one in your calendar account and connect again.",
        )

    def test_a_server_error_is_said_without_the_servers_own_text(self) -> None:
        connection = self.assert_status(
            "/broken/", "The calendar server had an error. We will try again later."
        )
        self.assertNotIn("Traceback", connection.status_message)

    def test_an_unreadable_answer_is_said_too(self) -> None:
        self.assert_status(
            "/garbage/", "The calendar server sent an answer we could not read. We will try again later."
        )

    def test_a_failure_is_recorded_once_per_reason(self) -> None:
        connection = self.connection("/broken/")
        run_sync(connection.pk, now=NOW)
        run_sync(connection.pk, now=NOW)
        self.assertEqual(AuditEvent.objects.filter(event=Event.CALENDAR_SYNC_FAILED).count(), 1)

    def test_the_calendar_page_shows_the_status(self) -> None:
        connection = self.connection("/broken/")
        run_sync(connection.pk, now=NOW)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("calendars:index"))
        self.assertContains(response, "Sync failed")
        self.assertContains(response, "The calendar server had an error. We will try again later.")

    def test_connecting_to_a_refusing_server_shows_the_reason_on_the_form(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("calendars:connect_caldav"),
            {"url": self.server.url("/locked/"), "username": "alice", "password": "wrong"},
        )
        self.assertContains(response, "did not accept the user name and password", status_code=400)
        # The password typed is not sent back into the page.
        self.assertNotContains(response, 'value="wrong"', status_code=400)
        self.assertFalse(CalendarConnection.objects.exists())

    def test_connecting_to_a_failing_server_is_no_error_of_ours(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("calendars:connect_caldav"),
            {"url": self.server.url("/broken/"), "username": "alice", "password": "pw"},
        )
        self.assertContains(response, "The calendar server had an error.", status_code=400)
