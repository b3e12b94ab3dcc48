"""Linking calendar events to applications: suggested by company and title, confirmed by the user."""

from __future__ import annotations

from django.urls import reverse

from applications.tests.factories import add_application
from calendars.models import CalendarConnection, CalendarEvent
from calendars.suggest import suggestion
from calendars.tests.factories import utc
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class LinkTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.fjordpay = add_application(self.alice, title="Backend Engineer", company="Fjordpay AS")
        self.berg = add_application(self.alice, title="Data Platform Engineer", company="Berg Logistics")
        connection = CalendarConnection.objects.create(
            user=self.alice, kind=CalendarConnection.Kind.ICS, url="https://cal.example/a.ics", name="Mine"
        )
        self.event = CalendarEvent.objects.create(
            connection=connection, uid="x", summary="Interview Fjordpay AS (video)",
            starts_at=utc("2030-03-02T09:00:00"), ends_at=utc("2030-03-02T10:00:00"),
        )  # fmt: skip

    def test_it_suggests_by_company(self) -> None:
        self.assertEqual(suggestion(self.event, [self.berg, self.fjordpay]), self.fjordpay)

    def test_it_suggests_by_title(self) -> None:
        self.event.summary = "Second round: data platform"
        self.assertEqual(suggestion(self.event, [self.fjordpay, self.berg]), self.berg)

    def test_it_suggests_nothing_for_an_unrelated_event(self) -> None:
        self.event.summary = "Dentist"
        self.assertIsNone(suggestion(self.event, [self.fjordpay, self.berg]))

    def test_the_page_shows_the_suggestion_for_the_user_to_confirm(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("calendars:index"))
        self.assertContains(response, "This looks like it is about")
        self.assertContains(response, "Confirm the link")
        self.event.refresh_from_db()
        self.assertIsNone(self.event.application)

    def test_the_user_confirms_and_unlinks(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(reverse("calendars:link", args=[self.event.pk]), {"application": self.fjordpay.pk})
        self.event.refresh_from_db()
        self.assertEqual(self.event.application, self.fjordpay)
        self.assertEqual(
            AuditEvent.objects.get(event=Event.CALENDAR_EVENT_LINKED).metadata,
            {"application": self.fjordpay.pk},
        )
        self.client.post(reverse("calendars:unlink", args=[self.event.pk]))
        self.event.refresh_from_db()
        self.assertIsNone(self.event.application)

    def test_it_refuses_another_users_application(self) -> None:
        theirs = add_application(self.charlie, title="Backend Engineer", company="Fjordpay AS")
        self.client.force_login(self.alice)
        self.client.post(reverse("calendars:link", args=[self.event.pk]), {"application": theirs.pk})
        self.event.refresh_from_db()
        self.assertIsNone(self.event.application)

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        url = reverse("calendars:link", args=[self.event.pk])
        self.assertEqual(self.client.post(url, {"application": self.fjordpay.pk}).status_code, 404)
