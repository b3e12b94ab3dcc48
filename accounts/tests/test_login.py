from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from omoikane.testing import PASSWORD, BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class LoginTests(BaseTestCase):
    url = reverse("account_login")

    def login(self, password: str, email: str = "alice@example.org") -> Any:
        return self.client.post(self.url, {"login": email, "password": password})

    def test_it_signs_in_with_email_and_password(self) -> None:
        response = self.login(PASSWORD)
        self.assertRedirects(response, reverse("pages:start"))
        self.assertTrue(AuditEvent.objects.filter(event=Event.LOGIN_SUCCEEDED, subject=self.alice).exists())

    def test_it_matches_the_email_case_insensitively(self) -> None:
        self.assertEqual(self.login(PASSWORD, email="Alice@Example.org").status_code, 302)

    def test_it_records_a_failed_attempt_in_the_accounts_log(self) -> None:
        response = self.login("wrong password entirely")
        self.assertContains(response, "The email address and/or password you specified are not correct.")
        event = AuditEvent.objects.get(event=Event.LOGIN_FAILED)
        self.assertEqual(event.subject, self.alice)
        self.assertNotIn("wrong password", str(event.metadata))

    def test_it_stores_nothing_for_unknown_addresses(self) -> None:
        self.login("whatever password", email="nobody@example.org")
        self.assertFalse(AuditEvent.objects.filter(event=Event.LOGIN_FAILED).exists())

    def test_it_throttles_repeated_failures(self) -> None:
        for _ in range(5):
            self.login("wrong password entirely")
        response = self.login(PASSWORD)
        self.assertContains(response, "Too many failed login attempts. Try again later.")
        self.assertEqual(self.client.get(reverse("accounts:settings")).status_code, 302)

    def test_it_refuses_a_post_without_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(self.url, {"login": self.alice.email, "password": PASSWORD})
        self.assertContains(response, "The form has expired", status_code=403)
        self.assertFalse(AuditEvent.objects.filter(event=Event.LOGIN_SUCCEEDED).exists())

    def test_it_treats_a_tampered_session_cookie_as_signed_out(self) -> None:
        self.login(PASSWORD)
        self.client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32 + "tampered"
        response = self.client.get(reverse("accounts:settings"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])

    def test_it_signs_out_and_records_it(self) -> None:
        self.login(PASSWORD)
        self.client.post(reverse("account_logout"))
        self.assertEqual(self.client.get(reverse("accounts:settings")).status_code, 302)
        self.assertTrue(AuditEvent.objects.filter(event=Event.LOGGED_OUT, subject=self.alice).exists())
