"""The private ICS feed: a secret address per user, every read recorded as an event of its owner, revocable,
rotated when the password changes, and nothing in it but titles, companies and times."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.urls import reverse

from applications.actions import do_set_follow_up, do_update_notes
from applications.tests.factories import add_application
from calendars.actions import do_create_feed, do_link_event, feed_token
from calendars.models import CalendarConnection, CalendarEvent, CalendarFeed
from calendars.tests.factories import ACTOR, utc
from omoikane.testing import PASSWORD, BaseTestCase, BaseTransactionTestCase, sign_in_recently
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

NEW_PASSWORD = "a different horse battery 77"


def feed_path(feed: CalendarFeed) -> str:
    token = feed_token(feed)
    assert token is not None
    return reverse("calendars:feed", args=[token])


class FeedTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = add_application(self.alice, title="Backend Engineer", company="Fjordpay AS")
        self.application.deadline = dt.date(2027, 3, 1)
        self.application.save(update_fields=["deadline"])
        do_update_notes(self.application, "Salary hopes: 70k. Secret notes.", actor=ACTOR)
        do_set_follow_up(self.application, on=dt.date(2027, 3, 8), actor=ACTOR)
        connection = CalendarConnection.objects.create(
            user=self.alice, kind=CalendarConnection.Kind.ICS, url="https://cal.example/a.ics", name="Mine"
        )
        event = CalendarEvent.objects.create(
            connection=connection, uid="x", summary="Call with Ingrid about salary", location="Room 4",
            starts_at=utc("2027-03-02T09:00:00"), ends_at=utc("2027-03-02T10:00:00"),
        )  # fmt: skip
        do_link_event(event, self.application, actor=ACTOR)
        self.feed = do_create_feed(self.alice, actor=ACTOR)

    def read(self) -> icalendar.Calendar:
        response = self.client.get(feed_path(self.feed))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        return icalendar.Calendar.from_ical(response.content)

    def test_it_lists_deadlines_follow_ups_and_interviews(self) -> None:
        events = {str(e["SUMMARY"]): e for e in self.read().walk("VEVENT")}
        self.assertEqual(
            sorted(events),
            [
                "Deadline: Backend Engineer — Fjordpay AS",
                "Follow up: Backend Engineer — Fjordpay AS",
                "Interview: Backend Engineer — Fjordpay AS",
            ],
        )
        self.assertEqual(
            events["Deadline: Backend Engineer — Fjordpay AS"].decoded("DTSTART"), dt.date(2027, 3, 1)
        )
        self.assertEqual(
            events["Interview: Backend Engineer — Fjordpay AS"].decoded("DTSTART"), utc("2027-03-02T09:00:00")
        )

    def test_it_holds_nothing_but_titles_companies_and_times(self) -> None:
        body = self.client.get(feed_path(self.feed)).content.decode()
        for private in ("Salary", "Ingrid", "Room 4", "Secret", "alice@example.org"):
            self.assertNotIn(private, body)
        for event in icalendar.Calendar.from_ical(body).walk("VEVENT"):
            self.assertEqual(set(event), {"UID", "DTSTAMP", "SUMMARY", "DTSTART", "DTEND"})

    def test_every_read_is_recorded_for_the_user(self) -> None:
        self.client.get(feed_path(self.feed), HTTP_USER_AGENT="Calendar/1.0")
        self.client.get(feed_path(self.feed))
        reads = AuditEvent.objects.filter(event=Event.CALENDAR_FEED_FETCHED, subject=self.alice)
        self.assertEqual(reads.count(), 2)
        self.assertEqual(reads.order_by("pk").first().user_agent, "Calendar/1.0")  # type: ignore[union-attr]

    def test_a_wrong_token_is_a_404_and_records_nothing(self) -> None:
        response = self.client.get(reverse("calendars:feed", args=["not-the-token"]))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(AuditEvent.objects.filter(event=Event.CALENDAR_FEED_FETCHED).exists())

    def test_the_token_is_not_stored_in_the_clear(self) -> None:
        token = feed_token(self.feed)
        assert token is not None
        self.feed.refresh_from_db()
        self.assertNotIn(token, self.feed.token_encrypted)
        self.assertNotIn(token, self.feed.token_hash)

    def test_turning_it_off_stops_the_old_address(self) -> None:
        path = feed_path(self.feed)
        self.client.force_login(self.alice)
        self.client.post(reverse("calendars:revoke_feed"))
        self.client.logout()
        self.assertEqual(self.client.get(path).status_code, 404)
        self.assertTrue(AuditEvent.objects.filter(event=Event.CALENDAR_FEED_REVOKED).exists())

    def test_a_new_address_replaces_the_old_one(self) -> None:
        old = feed_path(self.feed)
        self.client.force_login(self.alice)
        self.client.post(reverse("calendars:make_feed"))
        new = feed_path(CalendarFeed.objects.get(user=self.alice))
        self.assertNotEqual(old, new)
        self.assertEqual(self.client.get(old).status_code, 404)
        self.assertEqual(self.client.get(new).status_code, 200)

    def test_the_calendar_page_shows_the_address(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("calendars:index"))
        self.assertContains(response, feed_path(self.feed))

    def test_another_users_page_does_not_show_it(self) -> None:
        self.client.force_login(self.charlie)
        self.assertNotContains(self.client.get(reverse("calendars:index")), feed_path(self.feed))


class FeedRotationTests(BaseTransactionTestCase):
    def test_a_password_change_rotates_the_address(self) -> None:
        feed = do_create_feed(self.alice, actor=ACTOR)
        old = feed_path(feed)
        sign_in_recently(self.client, self.alice)
        response = self.client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(old).status_code, 404)
        self.assertEqual(
            self.client.get(feed_path(CalendarFeed.objects.get(user=self.alice))).status_code, 200
        )
        rotated = AuditEvent.objects.get(event=Event.CALENDAR_FEED_ROTATED)
        self.assertEqual(rotated.metadata, {"why": "password_changed"})
