from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from omoikane.testing import PASSWORD, BaseTestCase, sign_in, sign_in_recently
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent, ErasureRequest


class DeletePageTests(BaseTestCase):
    url = reverse("privacy:delete")

    def test_it_asks_to_sign_in_again_first(self) -> None:
        self.client.force_login(self.alice)
        for response in (self.client.get(self.url), self.client.post(self.url, {"email": self.alice.email})):
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("account_reauthenticate"), response["Location"])
        self.assertFalse(ErasureRequest.objects.exists())
        self.assertTrue(User.objects.get(pk=self.alice.pk).is_active)

    def test_it_explains_what_goes_after_re_authentication(self) -> None:
        sign_in_recently(self.client, self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "It cannot be undone.")
        self.assertContains(response, "Type your email address to confirm")
        self.assertTrue(
            AuditEvent.objects.filter(subject=self.alice, event=Event.ERASURE_PAGE_VIEWED).exists()
        )
        self.assertContains(self.client.get(reverse("accounts:settings")), f'href="{self.url}"')

    def test_it_refuses_a_wrong_address(self) -> None:
        sign_in_recently(self.client, self.alice)
        for typed in ["", "charlie@example.org", "alice@example.com"]:
            with self.subTest(typed=typed):
                response = self.client.post(self.url, {"email": typed})
                self.assertEqual(response.status_code, 400)
        self.assertContains(
            response,
            "That is not the address you sign in with. Type alice@example.org to confirm.",
            status_code=400,
        )
        self.assertFalse(ErasureRequest.objects.exists())
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.is_active)
        self.assertEqual(self.client.get(reverse("accounts:settings")).status_code, 200)

    def test_it_locks_the_account_ends_every_session_and_queues_the_erasure(self) -> None:
        other_device = Client()
        sign_in(other_device, self.alice)
        self.assertEqual(other_device.get(reverse("accounts:settings")).status_code, 200)
        sign_in_recently(self.client, self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url, {"email": "  Alice@Example.org "})
        self.assertRedirects(response, reverse("privacy:deleted"), fetch_redirect_response=False)
        self.assertContains(self.client.get(reverse("privacy:deleted")), "Your account is being deleted")
        self.alice.refresh_from_db()
        self.assertFalse(self.alice.is_active)
        self.assertFalse(self.alice.has_usable_password())
        self.assertFalse(UserSession.objects.filter(user=self.alice).exists())
        self.assertFalse(Session.objects.filter(session_key__in=[self.client.session.session_key]).exists())
        for client in (self.client, other_device):
            response = client.get(reverse("accounts:settings"))
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("account_login"), response["Location"])
        erasure = ErasureRequest.objects.get(account_id=self.alice.pk)
        self.assertEqual(erasure.email, "alice@example.org")
        task = DBTaskResult.objects.get(task_path="privacy_rights.erasure.erase_account")
        self.assertEqual(task.args_kwargs["kwargs"], {"erasure_id": erasure.pk})
        self.assertTrue(AuditEvent.objects.filter(subject=self.alice, event=Event.ERASURE_REQUESTED).exists())

    def test_it_no_longer_lets_the_account_sign_in(self) -> None:
        sign_in_recently(self.client, self.alice)
        self.client.post(self.url, {"email": self.alice.email})
        response = Client().post(reverse("account_login"), {"login": self.alice.email, "password": PASSWORD})
        self.assertNotEqual(response.status_code, 302)

    def test_it_asks_a_visitor_to_sign_in(self) -> None:
        response = self.client.post(self.url, {"email": self.alice.email})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])
        self.assertFalse(ErasureRequest.objects.exists())
