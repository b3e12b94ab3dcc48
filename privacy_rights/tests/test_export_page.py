from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent, ExportRequest


class ExportPageTests(BaseTestCase):
    url = reverse("privacy:export")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_shows_the_page_and_links_it_from_the_settings(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "Export my data")
        self.assertTrue(
            AuditEvent.objects.filter(subject=self.alice, event=Event.EXPORT_PAGE_VIEWED).exists()
        )
        self.assertContains(self.client.get(reverse("accounts:settings")), f'href="{self.url}"')

    def test_it_queues_an_export_and_records_the_request(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url, follow=True)
        self.assertRedirects(response, self.url)
        self.assertContains(response, "We are building your export. We will email alice@example.org")
        export = ExportRequest.objects.get(user=self.alice)
        self.assertEqual(export.status, ExportRequest.Status.PENDING)
        task = DBTaskResult.objects.get()
        self.assertEqual(task.args_kwargs["kwargs"], {"user_id": self.alice.pk, "export_id": export.pk})
        self.assertTrue(AuditEvent.objects.filter(subject=self.alice, event=Event.EXPORT_REQUESTED).exists())
        self.assertContains(self.client.get(self.url), "you can ask for a new export.")

    def test_it_refuses_a_second_request_within_the_limit(self) -> None:
        self.client.post(self.url)
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "You asked for an export less than 24 hours ago.", status_code=429)
        self.assertEqual(ExportRequest.objects.filter(user=self.alice).count(), 1)

    def test_it_allows_a_new_request_after_the_limit(self) -> None:
        self.client.post(self.url)
        ExportRequest.objects.update(requested_at=timezone.now() - timedelta(hours=25))
        self.assertEqual(self.client.post(self.url).status_code, 302)
        self.assertEqual(ExportRequest.objects.filter(user=self.alice).count(), 2)

    def test_it_does_not_count_a_failed_export(self) -> None:
        self.client.post(self.url)
        ExportRequest.objects.update(status=ExportRequest.Status.FAILED)
        self.assertEqual(self.client.post(self.url).status_code, 302)

    def test_it_limits_each_user_on_their_own(self) -> None:
        self.client.post(self.url)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(self.url).status_code, 302)

    def test_it_asks_a_visitor_to_sign_in(self) -> None:
        self.client.logout()
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])
        self.assertFalse(ExportRequest.objects.exists())
