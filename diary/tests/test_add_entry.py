from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from applications.tests.factories import add_application
from diary.actions import MAX_DAYS_AHEAD, DiaryError, do_add_entry
from diary.models import DiaryEntry, Kind
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class AddEntryTests(BaseTestCase):
    url = reverse("diary:add")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def _post(self, **fields: object) -> Any:  # the test client's response
        data = {
            "kind": "tried",
            "text": "Opened with the problem they described instead of my CV.",
            "outcome": "",
            "occurred_on": timezone.localdate().isoformat(),
            "application": "",
        }
        data.update({k: str(v) for k, v in fields.items()})
        return self.client.post(self.url, data)

    def test_it_adds_what_i_tried_with_an_outcome(self) -> None:
        response = self._post(outcome="They answered within a day.")
        entry = DiaryEntry.objects.get()
        self.assertRedirects(
            response, f"{reverse('diary:index')}#entry-{entry.pk}", fetch_redirect_response=False
        )
        self.assertEqual(entry.user, self.alice)
        self.assertEqual(entry.kind, Kind.TRIED)
        self.assertEqual(entry.text, "Opened with the problem they described instead of my CV.")
        self.assertEqual(entry.outcome, "They answered within a day.")
        self.assertEqual(entry.occurred_on, timezone.localdate())
        page = self.client.get(reverse("diary:index"))
        self.assertContains(page, "They answered within a day.")

    def test_it_records_one_audit_event_without_the_text(self) -> None:
        self._post()
        events = AuditEvent.objects.filter(subject=self.alice, event=Event.DIARY_ENTRY_ADDED)
        self.assertEqual(events.count(), 1)
        event = events.get()
        self.assertEqual(event.target_id, str(DiaryEntry.objects.get().pk))
        self.assertEqual(event.metadata, {"kind": "tried", "application": None})

    def test_it_files_the_entry_under_an_application(self) -> None:
        application = add_application(self.alice)
        response = self.client.post(
            f"{self.url}?application={application.pk}",
            {
                "kind": "interview",
                "text": "First interview with the team lead.",
                "occurred_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
                "application": application.pk,
            },
        )
        entry = DiaryEntry.objects.get()
        self.assertEqual(entry.application, application)
        self.assertRedirects(
            response,
            f"{reverse('diary:index')}?application={application.pk}#entry-{entry.pk}",
            fetch_redirect_response=False,
        )
        detail = self.client.get(application.get_absolute_url())
        self.assertContains(detail, "First interview with the team lead.")

    def test_it_refuses_an_empty_text(self) -> None:
        for text in ("", "   \n  "):
            with self.subTest(text=text):
                response = self._post(text=text)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "Write what happened.", status_code=400)
        self.assertFalse(DiaryEntry.objects.exists())

    def test_it_refuses_a_date_far_in_the_future(self) -> None:
        far = timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD + 1)
        response = self._post(occurred_on=far.isoformat())
        self.assertContains(response, "more than a year ahead", status_code=400)
        response = self._post(occurred_on="20260-01-01")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(DiaryEntry.objects.exists())

    def test_it_refuses_someone_elses_application(self) -> None:
        theirs = add_application(self.charlie)
        response = self._post(application=theirs.pk)
        self.assertContains(response, "Select a valid choice", status_code=400)
        self.assertFalse(DiaryEntry.objects.exists())

    def test_it_refuses_an_unknown_kind_and_overlong_text(self) -> None:
        self.assertEqual(self._post(kind="hack").status_code, 400)
        self.assertEqual(self._post(text="x" * 5001).status_code, 400)
        self.assertFalse(DiaryEntry.objects.exists())

    def test_it_takes_only_post(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_the_action_guards_every_caller(self) -> None:
        theirs = add_application(self.charlie)
        actor = Actor.system("test")
        bad_calls = [
            {"kind": "tried", "text": "ok", "application": theirs},
            {"kind": "unknown", "text": "ok"},
            {"kind": "note", "text": "  "},
            {"kind": "note", "text": "ok", "occurred_on": dt.date(2999, 1, 1)},
            {"kind": "note", "text": "ok", "occurred_on": dt.date(1900, 1, 1)},
        ]
        for call in bad_calls:
            with self.subTest(call=call), self.assertRaises(DiaryError):
                do_add_entry(self.alice, actor=actor, **call)  # type: ignore[arg-type]
        self.assertFalse(DiaryEntry.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(event=Event.DIARY_ENTRY_ADDED).exists())

    def test_the_action_dates_an_entry_today_by_default(self) -> None:
        entry = do_add_entry(
            self.alice, kind="letter_sent", text="Sent the letter.", actor=Actor.system("test")
        )
        self.assertEqual(entry.occurred_on, timezone.localdate())
