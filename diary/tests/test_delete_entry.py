from __future__ import annotations

from django.urls import reverse

from applications.actions import do_delete_application
from applications.tests.factories import add_application
from diary.models import DiaryEntry
from diary.tests.factories import add_entry
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class DeleteEntryTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.entry = add_entry(self.alice, "Tried a two-paragraph letter.")
        self.url = reverse("diary:delete", args=[self.entry.pk])
        self.client.force_login(self.alice)

    def test_it_asks_before_deleting(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "Delete this diary entry?")
        self.assertContains(response, "Tried a two-paragraph letter.")
        self.assertTrue(DiaryEntry.objects.filter(pk=self.entry.pk).exists())

    def test_it_deletes_and_records_it(self) -> None:
        response = self.client.post(self.url)
        self.assertRedirects(response, reverse("diary:index"), fetch_redirect_response=False)
        self.assertFalse(DiaryEntry.objects.exists())
        event = AuditEvent.objects.get(subject=self.alice, event=Event.DIARY_ENTRY_DELETED)
        self.assertEqual(event.target_id, str(self.entry.pk))
        self.assertEqual(event.metadata, {"kind": "tried"})

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertTrue(DiaryEntry.objects.filter(pk=self.entry.pk).exists())

    def test_it_keeps_entries_when_their_application_is_deleted(self) -> None:
        application = add_application(self.alice)
        entry = add_entry(self.alice, "Asked for feedback.", application=application)
        do_delete_application(application, actor=Actor.system("test"))
        entry.refresh_from_db()
        self.assertIsNone(entry.application)
