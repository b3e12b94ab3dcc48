"""'Add to calendar' from an interview invitation: the time read from the reply, then a VEVENT written to the
connected CalDAV calendar (read back with a real CalDAV client), or a .ics download when none is connected."""

from __future__ import annotations

from typing import ClassVar

import icalendar
from django.test import override_settings
from django.urls import reverse

from applications.actions import do_add_reply
from applications.intake import reply_from_text
from applications.models import Reply
from applications.tests.factories import add_application
from calendars.models import CalendarConnection, CalendarEvent
from calendars.testing import Radicale, radicale
from calendars.tests.factories import ACTOR, connect, utc
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

INVITATION = (
    "Dear Alice,\n\nThank you for applying. We would like to invite you to an interview on "
    "Wednesday 3 March 2027 at 14:00 at our Oslo office.\n\nBest regards,\nIngrid\n\n"
    "On 1 February 2027 Alice wrote:\n> I could start on 1 June 2027.\n"
)


class AddInterviewTests(BaseTestCase):
    server: ClassVar[Radicale]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = cls.enterClassContext(radicale())
        cls.enterClassContext(override_settings(CALENDAR_TEST_LOOPBACK_PORTS=[cls.server.port]))

    def setUp(self) -> None:
        super().setUp()
        self.application = add_application(self.alice, title="Backend Engineer", company="Fjordpay AS")
        self.reply = do_add_reply(self.application, reply_from_text(INVITATION), actor=ACTOR)
        self.url = reverse("calendars:add_interview", args=[self.reply.pk])
        self.client.force_login(self.alice)

    def test_the_application_page_offers_it_for_an_invitation(self) -> None:
        self.assertEqual(self.reply.suggested_kind, Reply.Kind.INTERVIEW)
        response = self.client.get(self.application.get_absolute_url())
        self.assertContains(response, self.url)

    def test_it_reads_the_time_from_the_invitation(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, 'value="2027-03-03T14:00"')
        self.assertContains(response, "We read this time in the invitation (Europe/Amsterdam)")

    def test_it_writes_the_event_to_the_connected_calendar(self) -> None:
        calendar = self.server.make_calendar("Interviews")
        connection = connect(self.alice, self.server)
        CalendarConnection.objects.filter(pk=connection.pk).update(calendar_url=str(calendar.url))
        response = self.client.post(self.url, {"starts_at": "2027-03-03T14:00", "minutes": "45"})
        self.assertRedirects(response, self.application.get_absolute_url(), fetch_redirect_response=False)
        # Read back by another client, as the user's phone would see it.
        (found,) = calendar.events()
        event = icalendar.Calendar.from_ical(found.data).walk("VEVENT")[0]
        self.assertEqual(str(event["SUMMARY"]), "Interview: Backend Engineer at Fjordpay AS")
        self.assertEqual(event.decoded("DTSTART"), utc("2027-03-03T13:00:00"))  # 14:00 in Amsterdam
        self.assertEqual(event.decoded("DTEND"), utc("2027-03-03T13:45:00"))
        stored = CalendarEvent.objects.get()
        self.assertEqual((stored.application, stored.added_by_us), (self.application, True))
        written = AuditEvent.objects.get(event=Event.CALENDAR_EVENT_WRITTEN)
        self.assertEqual(written.metadata, {"application": self.application.pk})

    def test_without_a_calendar_it_offers_a_download(self) -> None:
        page = self.client.get(self.url)
        download = reverse("calendars:download_interview", args=[self.reply.pk])
        self.assertContains(page, f'action="{download}"')
        response = self.client.post(download, {"starts_at": "2027-03-03T14:00", "minutes": "60"})
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
        self.assertEqual(event.decoded("DTSTART"), utc("2027-03-03T13:00:00"))
        self.assertFalse(CalendarEvent.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(event=Event.CALENDAR_EVENT_DOWNLOADED).exists())

    def test_it_refuses_a_bad_time_and_writes_nothing(self) -> None:
        download = reverse("calendars:download_interview", args=[self.reply.pk])
        response = self.client.post(download, {"starts_at": "next week", "minutes": "60"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Enter a valid date/time.", status_code=400)
        response = self.client.post(download, {"starts_at": "2027-03-03T14:00", "minutes": "9000"})
        self.assertEqual(response.status_code, 400)

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        download = reverse("calendars:download_interview", args=[self.reply.pk])
        self.assertEqual(
            self.client.post(download, {"starts_at": "2027-03-03T14:00", "minutes": "60"}).status_code, 404
        )
