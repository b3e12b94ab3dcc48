from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

GOOD_PASSWORD = "maple syrup on a rainy tuesday"


class SignupTests(TestCase):
    url = reverse("account_signup")

    def signup(self, accept_language: str = "en", **overrides: str) -> Any:
        data = {
            "email": "nora@example.no",
            "name": "Nora Nilsen",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            **overrides,
        }
        return self.client.post(self.url, data, HTTP_ACCEPT_LANGUAGE=accept_language)

    def test_it_creates_the_account_in_the_browsers_language(self) -> None:
        self.signup(accept_language="nb-NO,nb;q=0.9,en;q=0.5")
        user = User.objects.get(email="nora@example.no")
        self.assertEqual(user.language, "nb")
        self.assertEqual(user.name, "Nora Nilsen")
        self.assertTrue(user.password.startswith("argon2"))

    def test_it_sends_a_verification_email_and_waits_for_it(self) -> None:
        response = self.signup()
        self.assertRedirects(response, reverse("account_email_verification_sent"))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["nora@example.no"])
        self.assertIn("/account/confirm-email/", mail.outbox[0].body)
        self.assertFalse(EmailAddress.objects.get(email="nora@example.no").verified)
        # Not signed in until the address is confirmed.
        self.assertEqual(self.client.get(reverse("accounts:settings")).status_code, 302)

    def test_it_records_an_audit_event(self) -> None:
        self.signup(accept_language="nb")
        event = AuditEvent.objects.get(event=Event.ACCOUNT_SIGNED_UP)
        self.assertEqual(event.subject.email, "nora@example.no")  # type: ignore[union-attr]
        self.assertEqual(event.metadata, {"language": "nb"})

    def test_it_names_the_site_in_the_email_not_the_host_of_the_request(self) -> None:
        self.signup()
        body = mail.outbox[0].body
        self.assertIn("Hello from Omoikane!", body)
        self.assertNotIn("testserver", body.split("/account/confirm-email/")[0].splitlines()[0])

    def test_it_records_no_email_change_when_the_sign_up_address_is_confirmed(self) -> None:
        self.signup()
        link = next(line for line in mail.outbox[0].body.splitlines() if "/account/confirm-email/" in line)
        self.client.post(link[link.index("/account/") :].strip())
        self.assertTrue(EmailAddress.objects.get(email="nora@example.no").verified)
        self.assertEqual(
            list(AuditEvent.objects.order_by("sequence").values_list("event", flat=True))[:2],
            [Event.ACCOUNT_SIGNED_UP, Event.EMAIL_CONFIRMED],
        )
        self.assertFalse(AuditEvent.objects.filter(event=Event.EMAIL_CHANGED).exists())

    def test_it_accepts_a_long_passphrase(self) -> None:
        passphrase = "the quick brown fox jumps over the lazy dog while it rains in bergen " * 2
        self.assertGreater(len(passphrase), 64)
        self.signup(password1=passphrase, password2=passphrase)
        self.assertTrue(User.objects.get(email="nora@example.no").check_password(passphrase))

    def assert_rejected(self, response: Any, message: str) -> None:
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertFalse(User.objects.exists())
        self.assertFalse(AuditEvent.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_it_rejects_an_invalid_email(self) -> None:
        self.assert_rejected(self.signup(email="nora@@example"), "Enter a valid email address.")

    def test_it_rejects_a_short_password(self) -> None:
        self.assert_rejected(self.signup(password1="short1", password2="short1"), "too short")

    def test_it_rejects_a_common_password(self) -> None:
        self.assert_rejected(self.signup(password1="password1234", password2="password1234"), "too common")

    def test_it_rejects_an_oversize_password(self) -> None:
        huge = "x" * 5000
        self.assert_rejected(self.signup(password1=huge, password2=huge), "This password is too long")

    def test_it_rejects_an_oversize_name(self) -> None:
        self.assert_rejected(self.signup(name="N" * 151), "Ensure this value has at most 150 characters")

    def test_it_rejects_an_oversize_email(self) -> None:
        self.assert_rejected(
            self.signup(email="a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"), "at most 254 characters"
        )

    def test_it_translates_error_messages(self) -> None:
        response = self.client.post(
            self.url, {"email": "nope", "password1": "x", "password2": "x"}, HTTP_ACCEPT_LANGUAGE="de"
        )
        self.assertContains(response, "gültige E-Mail-Adresse")
        self.assertFalse(User.objects.exists())
