from __future__ import annotations

import re

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from omoikane.testing import PASSWORD, BaseTestCase, BaseTransactionTestCase, sign_in_recently, totp_code
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class EnableTotpTests(BaseTransactionTestCase):
    url = reverse("mfa_activate_totp")

    def secret_on_page(self) -> str:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        match = re.search(r'value="([A-Z2-7]{16,})"', response.content.decode())
        assert match, "the activation page shows the secret for manual entry"
        return match.group(1)

    def test_it_enables_totp_with_a_correct_code(self) -> None:
        sign_in_recently(self.client, self.alice)
        secret = self.secret_on_page()
        response = self.client.post(self.url, {"code": totp_code(secret)})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Authenticator.objects.filter(user=self.alice, type=Authenticator.Type.TOTP).exists())
        self.assertTrue(AuditEvent.objects.filter(event=Event.MFA_ADDED, subject=self.alice).exists())

    def test_it_rejects_a_wrong_code(self) -> None:
        sign_in_recently(self.client, self.alice)
        secret = self.secret_on_page()
        wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
        response = self.client.post(self.url, {"code": wrong})
        self.assertContains(response, "Incorrect code.")
        self.assertFalse(Authenticator.objects.filter(user=self.alice).exists())

    def test_it_asks_for_the_password_again_first(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"{reverse('account_reauthenticate')}?next={self.url}", fetch_redirect_response=False
        )


class LoginWithTotpTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        TOTP.activate(self.alice, SECRET)

    def password_step(self) -> None:
        response = self.client.post(
            reverse("account_login"), {"login": self.alice.email, "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("mfa_authenticate"), fetch_redirect_response=False)

    def test_it_asks_for_the_code_after_the_password(self) -> None:
        self.password_step()
        self.assertEqual(self.client.get(reverse("accounts:settings")).status_code, 302)
        response = self.client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(reverse("accounts:settings")).status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(event=Event.MFA_USED, subject=self.alice).exists())

    def test_it_refuses_a_wrong_code_and_records_it(self) -> None:
        self.password_step()
        wrong = f"{(int(totp_code(SECRET)) + 7) % 1_000_000:06d}"
        response = self.client.post(reverse("mfa_authenticate"), {"code": wrong})
        self.assertContains(response, "Incorrect code.")
        self.assertEqual(self.client.get(reverse("accounts:settings")).status_code, 302)
        self.assertTrue(AuditEvent.objects.filter(event=Event.MFA_FAILED, subject=self.alice).exists())

    def test_it_refuses_a_malformed_code(self) -> None:
        self.password_step()
        response = self.client.post(reverse("mfa_authenticate"), {"code": "12ab<script>" * 50})
        self.assertContains(response, "Incorrect code.")
        self.assertEqual(self.client.get(reverse("accounts:settings")).status_code, 302)
