"""Calendar events on the signed-in home page (this week) and beside the diary."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from applications.tests.factories import add_application
from calendars.actions import do_link_event
from calendars.models import CalendarConnection, CalendarEvent
from calendars.tests.factories import ACTOR
from omoikane.testing import BaseTestCase


class TimelineTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = add_application(self.alice, title="Backend Engineer", company="Fjordpay AS")
        connection = CalendarConnection.objects.create(
            user=self.alice, kind=CalendarConnection.Kind.ICS, url="https://cal.example/a.ics", name="Mine"
        )
        start = timezone.now() + dt.timedelta(days=2)
        self.event = CalendarEvent.objects.create(
            connection=connection, uid="t", summary="Interview at the Oslo office",
            starts_at=start, ends_at=start + dt.timedelta(hours=1),
        )  # fmt: skip
        do_link_event(self.event, self.application, actor=ACTOR)
        self.client.force_login(self.alice)

    def test_the_home_page_shows_this_weeks_events(self) -> None:
        response = self.client.get(reverse("pages:start"))
        self.assertContains(response, "Interview at the Oslo office")
        self.assertContains(response, self.application.get_absolute_url())

    def test_the_diary_shows_them_beside_the_entries(self) -> None:
        response = self.client.get(reverse("diary:index"))
        self.assertContains(response, "From your calendar")
        self.assertContains(response, "Interview at the Oslo office")

    def test_the_diary_filtered_by_another_application_leaves_them_out(self) -> None:
        other = add_application(self.alice, title="Data Engineer", company="Berg")
        response = self.client.get(reverse("diary:index"), {"application": other.pk})
        self.assertNotContains(response, "Interview at the Oslo office")

    def test_times_are_shown_in_the_users_time_zone(self) -> None:
        self.alice.time_zone = "America/New_York"
        self.alice.save(update_fields=["time_zone"])
        local = self.event.starts_at.astimezone(self.alice.zone)
        response = self.client.get(reverse("diary:index"))
        self.assertContains(response, local.isoformat())

    def test_nobody_else_sees_them(self) -> None:
        self.client.force_login(self.charlie)
        self.assertNotContains(self.client.get(reverse("pages:start")), "Interview at the Oslo office")
        self.assertNotContains(self.client.get(reverse("diary:index")), "Interview at the Oslo office")
