from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from omoikane.testing import BaseTestCase
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent, ExportRequest
from privacy_rights.tests.factories import ready_export


class ExportDownloadTests(BaseTestCase):
    # Export and erasure reach every database (the trace store too).
    databases = "__all__"

    def setUp(self) -> None:
        super().setUp()
        self.export = ready_export(self.alice)
        self.url = reverse("privacy:export_download", args=[self.export.pk])

    def test_it_emails_a_link_that_needs_a_sign_in(self) -> None:
        message = mail.outbox[-1]
        self.assertEqual(message.to, ["alice@example.org"])
        self.assertIn("your export is ready", message.subject)
        link = re.search(r"https?://[^/\s]+(/\S+)", str(message.body))
        assert link is not None
        self.assertEqual(link.group(1), self.url)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])

    def test_it_serves_the_zip_to_its_owner_and_records_it(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn("attachment", response["Content-Disposition"])
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        self.assertIn("account.json", zipfile.ZipFile(io.BytesIO(body)).namelist())
        self.export.refresh_from_db()
        self.assertEqual(self.export.download_count, 1)
        event = AuditEvent.objects.get(subject=self.alice, event=Event.EXPORT_DOWNLOADED)
        self.assertEqual(event.target_id, str(self.export.pk))

    def test_it_answers_410_after_the_link_expired(self) -> None:
        ExportRequest.objects.filter(pk=self.export.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "This export has expired", status_code=410)
        self.export.refresh_from_db()
        self.assertEqual(self.export.download_count, 0)

    def test_it_answers_404_to_another_user_and_tells_the_owner(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        event = AuditEvent.objects.get(event=Event.EXPORT_DOWNLOAD_REFUSED)
        self.assertEqual(
            (event.subject, event.actor, event.actor_kind), (self.alice, self.charlie, ActorKind.USER)
        )
        self.assertEqual(event.target_id, str(self.export.pk))
        self.assertFalse(
            AuditEvent.objects.filter(subject=self.charlie, event=Event.EXPORT_DOWNLOADED).exists()
        )
        self.export.refresh_from_db()
        self.assertEqual(self.export.download_count, 0)

    def test_it_answers_404_for_an_export_not_ready_yet(self) -> None:
        ExportRequest.objects.filter(pk=self.export.pk).update(status=ExportRequest.Status.RUNNING)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_answers_404_for_an_unknown_export(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("privacy:export_download", args=[999999])).status_code, 404)
        self.assertFalse(AuditEvent.objects.filter(event=Event.EXPORT_DOWNLOAD_REFUSED).exists())

    def test_it_lists_the_export_with_its_link(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("privacy:export")), self.url)
