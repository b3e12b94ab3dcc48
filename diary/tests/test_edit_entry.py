from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from applications.tests.factories import add_application
from diary.tests.factories import add_entry
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class EditEntryTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.entry = add_entry(self.alice, "Sent the letter as a PDF.")
        self.url = reverse("diary:edit", args=[self.entry.pk])
        self.client.force_login(self.alice)

    def _data(self, **fields: object) -> dict[str, str]:
        data = {
            "kind": self.entry.kind,
            "text": self.entry.text,
            "outcome": self.entry.outcome,
            "occurred_on": self.entry.occurred_on.isoformat(),
            "application": "",
        }
        data.update({k: str(v) for k, v in fields.items()})
        return data

    def test_it_shows_the_entry_in_the_form(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Sent the letter as a PDF.")

    def test_it_adds_the_outcome_later(self) -> None:
        response = self.client.post(self.url, self._data(outcome="A rejection, but a kind one."))
        self.assertRedirects(response, self.entry.get_absolute_url(), fetch_redirect_response=False)
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.outcome, "A rejection, but a kind one.")
        event = AuditEvent.objects.get(subject=self.alice, event=Event.DIARY_ENTRY_EDITED)
        self.assertEqual(event.metadata, {"changed": ["outcome"]})

    def test_it_moves_the_entry_to_an_application(self) -> None:
        application = add_application(self.alice)
        self.client.post(self.url, self._data(application=application.pk))
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.application, application)
        event = AuditEvent.objects.get(subject=self.alice, event=Event.DIARY_ENTRY_EDITED)
        self.assertEqual(event.metadata, {"changed": ["application"]})

    def test_it_records_nothing_when_nothing_changed(self) -> None:
        self.client.post(self.url, self._data())
        self.assertFalse(AuditEvent.objects.filter(event=Event.DIARY_ENTRY_EDITED).exists())

    def test_it_refuses_bad_input_and_keeps_the_entry(self) -> None:
        far = timezone.localdate() + dt.timedelta(days=4000)
        theirs = add_application(self.charlie)
        for data in (
            self._data(text=" "),
            self._data(occurred_on=far.isoformat()),
            self._data(application=theirs.pk),
        ):
            with self.subTest(data=data):
                self.assertEqual(self.client.post(self.url, data).status_code, 400)
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.text, "Sent the letter as a PDF.")
        self.assertIsNone(self.entry.application)
        self.assertFalse(AuditEvent.objects.filter(event=Event.DIARY_ENTRY_EDITED).exists())

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, self._data(text="Stolen")).status_code, 404)
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.text, "Sent the letter as a PDF.")
