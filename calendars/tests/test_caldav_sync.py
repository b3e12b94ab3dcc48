"""Syncing a real CalDAV server (Radicale) that a real CalDAV client (caldav) changes, as the user's phone
would: discovery, new, changed and deleted events, recurring events across a daylight-saving change, and
the incremental path (an unchanged calendar costs one request)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from applications.tests.factories import add_application
from calendars.actions import do_connect_caldav, do_disconnect, do_link_event
from calendars.credentials import decrypt
from calendars.models import CalendarConnection, CalendarEvent
from calendars.net import CalendarRefused
from calendars.syncing import run_sync
from calendars.tasks import sync_calendar
from calendars.testing import Radicale, radicale
from calendars.tests.factories import ACTOR, connect, utc, vevent
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

# Mid-February 2027: the window (30 days back, 180 ahead) spans the change to summer time in Europe
# (28 March) and in the United States (14 March).
NOW = utc("2027-02-15T12:00:00")


class RadicaleTestCase(BaseTestCase):
    server: ClassVar[Radicale]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = cls.enterClassContext(radicale())
        cls.enterClassContext(override_settings(CALENDAR_TEST_LOOPBACK_PORTS=[cls.server.port]))

    def setUp(self) -> None:
        super().setUp()
        self.calendar = self.server.make_calendar()

    def tearDown(self) -> None:
        self.calendar.delete()
        super().tearDown()

    def connected(self) -> CalendarConnection:
        connection = connect(self.alice, self.server)
        # Only one calendar of the account is ours to sync: the one this test made.
        CalendarConnection.objects.filter(pk=connection.pk).update(calendar_url=str(self.calendar.url))
        connection.refresh_from_db()
        return connection

    def sync(self, connection: CalendarConnection, now: dt.datetime = NOW) -> str:
        return run_sync(connection.pk, now=now)

    def summaries(self, connection: CalendarConnection) -> list[str]:
        return list(CalendarEvent.objects.filter(connection=connection).values_list("summary", flat=True))


class DiscoveryTests(RadicaleTestCase):
    def test_it_finds_the_calendar_from_the_server_address(self) -> None:
        connection = connect(self.alice, self.server)
        self.assertEqual(connection.kind, CalendarConnection.Kind.CALDAV)
        self.assertTrue(connection.calendar_url.startswith(f"{self.server.url}{self.server.username}/"))
        self.assertTrue(connection.writable)

    def test_it_keeps_the_password_encrypted(self) -> None:
        connection = connect(self.alice, self.server)
        self.assertNotIn(self.server.password, connection.secret)
        self.assertEqual(decrypt(connection.secret), self.server.password)

    def test_it_records_the_connection_without_credentials(self) -> None:
        connection = connect(self.alice, self.server)
        event = AuditEvent.objects.get(event=Event.CALENDAR_CONNECTED)
        self.assertEqual(event.metadata, {"kind": "caldav", "host": "127.0.0.1"})
        self.assertEqual(event.target_id, str(connection.pk))
        self.assertNotIn(self.server.password, str(AuditEvent.objects.values_list("metadata", flat=True)))

    def test_it_queues_the_first_sync(self) -> None:
        connection = connect(self.alice, self.server)
        task = DBTaskResult.objects.get(task_path="calendars.tasks.sync_calendar")
        self.assertEqual(task.args_kwargs["kwargs"], {"connection_id": connection.pk})

    def test_it_refuses_a_wrong_password_and_stores_nothing(self) -> None:
        with self.assertRaises(CalendarRefused) as caught:
            do_connect_caldav(
                self.alice, url=self.server.url, username="alice", password="wrong", actor=ACTOR
            )
        self.assertEqual(caught.exception.code, "unauthorized")
        self.assertIn("app password", caught.exception.message)
        self.assertFalse(CalendarConnection.objects.exists())

    def test_it_refuses_an_address_with_no_calendar_server(self) -> None:
        with self.assertRaises(CalendarRefused) as caught:
            do_connect_caldav(
                self.alice, url=f"{self.server.url}nothing/here/", username="alice",
                password=self.server.password, actor=ACTOR,
            )  # fmt: skip
        self.assertIn(caught.exception.code, {"not_caldav", "forbidden"})
        self.assertFalse(CalendarConnection.objects.exists())


class SyncTests(RadicaleTestCase):
    def test_the_worker_task_syncs_new_events(self) -> None:
        self.calendar.save_event(vevent("a1", "Interview Fjordpay", ":20270301T090000Z", ":20270301T100000Z"))
        connection = self.connected()
        self.assertEqual(sync_calendar.call(connection_id=connection.pk), "ok")
        event = CalendarEvent.objects.get(connection=connection)
        self.assertEqual(event.summary, "Interview Fjordpay")
        self.assertEqual(event.starts_at, utc("2027-03-01T09:00:00"))
        connection.refresh_from_db()
        self.assertEqual(connection.status, CalendarConnection.Status.OK)
        self.assertIsNotNone(connection.last_synced_at)

    def test_it_leaves_out_events_outside_the_window(self) -> None:
        self.calendar.save_event(vevent("old", "Long ago", ":20261201T090000Z", ":20261201T100000Z"))
        self.calendar.save_event(vevent("far", "Far ahead", ":20271101T090000Z", ":20271101T100000Z"))
        self.calendar.save_event(vevent("in", "Soon", ":20270220T090000Z", ":20270220T100000Z"))
        connection = self.connected()
        self.sync(connection)
        self.assertEqual(self.summaries(connection), ["Soon"])

    def test_it_follows_creates_updates_and_deletes(self) -> None:
        connection = self.connected()
        first = self.calendar.save_event(vevent("u1", "Call", ":20270301T090000Z", ":20270301T100000Z"))
        self.calendar.save_event(vevent("u2", "Lunch", ":20270302T110000Z", ":20270302T120000Z"))
        self.sync(connection)
        self.assertEqual(sorted(self.summaries(connection)), ["Call", "Lunch"])

        first.data = vevent("u1", "Call moved", ":20270303T090000Z", ":20270303T100000Z")
        first.save()
        self.sync(connection, NOW + dt.timedelta(minutes=30))
        moved = CalendarEvent.objects.get(connection=connection, uid="u1")
        self.assertEqual((moved.summary, moved.starts_at), ("Call moved", utc("2027-03-03T09:00:00")))

        first.delete()
        self.sync(connection, NOW + dt.timedelta(minutes=60))
        self.assertEqual(self.summaries(connection), ["Lunch"])

    def test_an_unchanged_calendar_is_not_read_again(self) -> None:
        self.calendar.save_event(vevent("s1", "Call", ":20270301T090000Z", ":20270301T100000Z"))
        connection = self.connected()
        self.sync(connection)
        event_id = CalendarEvent.objects.get().pk
        self.assertEqual(self.sync(connection, NOW + dt.timedelta(minutes=30)), "unchanged")
        # The rows are the same rows: nothing was deleted and stored again.
        self.assertEqual(CalendarEvent.objects.get().pk, event_id)

    def test_a_changed_calendar_downloads_only_what_changed(self) -> None:
        self.calendar.save_event(vevent("k1", "Kept", ":20270301T090000Z", ":20270301T100000Z"))
        connection = self.connected()
        self.sync(connection)
        kept_id = CalendarEvent.objects.get(uid="k1").pk
        self.calendar.save_event(vevent("k2", "New", ":20270302T090000Z", ":20270302T100000Z"))
        self.assertEqual(self.sync(connection, NOW + dt.timedelta(minutes=30)), "ok")
        self.assertEqual(CalendarEvent.objects.get(uid="k1").pk, kept_id)
        self.assertEqual(sorted(self.summaries(connection)), ["Kept", "New"])

    def test_it_keeps_a_confirmed_link_when_the_event_changes(self) -> None:
        application = add_application(self.alice)
        saved = self.calendar.save_event(vevent("l1", "Interview", ":20270301T090000Z", ":20270301T100000Z"))
        connection = self.connected()
        self.sync(connection)
        do_link_event(CalendarEvent.objects.get(), application, actor=ACTOR)
        saved.data = vevent("l1", "Interview (room 4)", ":20270301T090000Z", ":20270301T100000Z")
        saved.save()
        self.sync(connection, NOW + dt.timedelta(minutes=30))
        self.assertEqual(CalendarEvent.objects.get().application, application)

    def test_disconnecting_deletes_the_events_and_the_password(self) -> None:
        self.calendar.save_event(vevent("d1", "Call", ":20270301T090000Z", ":20270301T100000Z"))
        connection = self.connected()
        self.sync(connection)
        do_disconnect(connection, actor=ACTOR)
        self.assertFalse(CalendarConnection.objects.exists())
        self.assertFalse(CalendarEvent.objects.exists())
        self.assertEqual(
            AuditEvent.objects.get(event=Event.CALENDAR_DISCONNECTED).metadata,
            {"kind": "caldav", "events": 1},
        )
        # The calendar on the server is the user's own: untouched.
        self.assertEqual(len(self.calendar.events()), 1)

    def test_a_sync_after_disconnecting_does_nothing(self) -> None:
        connection = self.connected()
        pk = connection.pk
        do_disconnect(connection, actor=ACTOR)
        self.assertEqual(run_sync(pk, now=NOW), "gone")


class RecurrenceTests(RadicaleTestCase):
    def test_a_weekly_event_keeps_its_local_time_across_the_change_to_summer_time(self) -> None:
        self.calendar.save_event(
            vevent(
                "w1", "Weekly call",
                ";TZID=Europe/Amsterdam:20270318T090000", ";TZID=Europe/Amsterdam:20270318T093000",
                extra="RRULE:FREQ=WEEKLY;COUNT=3\r\n",
            )
        )  # fmt: skip
        connection = self.connected()
        self.sync(connection)
        starts = list(CalendarEvent.objects.filter(uid="w1").values_list("starts_at", flat=True))
        # 09:00 in Amsterdam each week: 08:00 UTC in winter time, 07:00 UTC once summer time began (28 March).
        self.assertEqual(
            starts,
            [utc("2027-03-18T08:00:00"), utc("2027-03-25T08:00:00"), utc("2027-04-01T07:00:00")],
        )
        self.assertEqual(len(set(CalendarEvent.objects.values_list("recurrence_id", flat=True))), 3)

    def test_a_floating_time_is_read_in_the_users_time_zone(self) -> None:
        self.alice.time_zone = "America/New_York"
        self.alice.save(update_fields=["time_zone"])
        self.calendar.save_event(
            vevent(
                "f1", "Standup", ":20270310T090000", ":20270310T091500", extra="RRULE:FREQ=DAILY;COUNT=7\r\n"
            )
        )
        connection = self.connected()
        self.sync(connection)
        starts = list(CalendarEvent.objects.filter(uid="f1").values_list("starts_at", flat=True))
        # 09:00 in New York: 14:00 UTC until 14 March, 13:00 UTC from then on.
        self.assertEqual(starts[0], utc("2027-03-10T14:00:00"))
        self.assertEqual(starts[-1], utc("2027-03-16T13:00:00"))
        self.assertEqual(len(starts), 7)

    def test_an_all_day_event_starts_at_midnight_where_the_user_lives(self) -> None:
        self.calendar.save_event(vevent("ad", "Deadline day", ";VALUE=DATE:20270305", ";VALUE=DATE:20270306"))
        connection = self.connected()
        self.sync(connection)
        event = CalendarEvent.objects.get(uid="ad")
        self.assertTrue(event.all_day)
        self.assertEqual(event.starts_at, utc("2027-03-04T23:00:00"))  # midnight in Amsterdam (UTC+1)
