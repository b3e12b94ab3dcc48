from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from omoikane.testing import PASSWORD, BaseTransactionTestCase, sign_in, sign_in_recently
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

NEW_PASSWORD = "a brand new passphrase for 2027"


def link_in_last_email() -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


class PasswordChangeTests(BaseTransactionTestCase):
    url = reverse("account_change_password")

    def test_it_changes_the_password_and_records_it(self) -> None:
        sign_in_recently(self.client, self.alice)
        response = self.client.post(
            self.url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
        self.assertEqual(response.status_code, 302)
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(NEW_PASSWORD))
        self.assertTrue(AuditEvent.objects.filter(event=Event.PASSWORD_CHANGED, subject=self.alice).exists())

    def test_it_rejects_a_wrong_current_password(self) -> None:
        sign_in_recently(self.client, self.alice)
        response = self.client.post(
            self.url, {"oldpassword": "not it at all", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
        self.assertContains(response, "Please type your current password.")
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(PASSWORD))


class PasswordResetTests(BaseTransactionTestCase):
    def test_it_resets_the_password_from_the_emailed_link(self) -> None:
        self.client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
        self.assertEqual(mail.outbox[-1].to, ["alice@example.org"])
        form_url = self.client.get(link_in_last_email())["Location"]
        response = self.client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(NEW_PASSWORD))
        self.assertTrue(AuditEvent.objects.filter(event=Event.PASSWORD_RESET, subject=self.alice).exists())

    def test_it_does_not_reveal_whether_an_address_has_an_account(self) -> None:
        known = self.client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
        unknown = self.client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(known["Location"], unknown["Location"])

    def test_it_refuses_a_tampered_reset_link(self) -> None:
        self.client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
        tampered = link_in_last_email().rstrip("/")[:-3] + "xyz/"
        response = self.client.get(tampered, follow=True)
        self.assertContains(response, "The password reset link was invalid")


class EmailChangeTests(BaseTransactionTestCase):
    url = reverse("account_email")

    def test_it_changes_the_address_only_after_the_new_one_is_confirmed(self) -> None:
        sign_in_recently(self.client, self.alice)
        self.client.post(self.url, {"action_add": "", "email": "alice.new@example.org"})
        self.assertEqual(mail.outbox[-1].to, ["alice.new@example.org"])
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice@example.org")

        self.client.post(link_in_last_email())
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice.new@example.org")
        self.assertEqual(
            list(EmailAddress.objects.filter(user=self.alice).values_list("email", flat=True)),
            ["alice.new@example.org"],
        )
        event = AuditEvent.objects.get(event=Event.EMAIL_CHANGED)
        self.assertEqual(event.metadata, {"old": "alice@example.org", "new": "alice.new@example.org"})

    def test_it_asks_for_the_password_again_first(self) -> None:
        sign_in(self.client, self.alice)
        response = self.client.post(self.url, {"action_add": "", "email": "alice.new@example.org"})
        self.assertIn(reverse("account_reauthenticate"), response["Location"])
        self.assertFalse(EmailAddress.objects.filter(email="alice.new@example.org").exists())

    def test_it_never_hands_over_an_address_another_account_uses(self) -> None:
        # Anti-enumeration: the page answers as for any address, and even the emailed link cannot move a
        # confirmed address from Charlie's account to Alice's.
        sign_in_recently(self.client, self.alice)
        self.client.post(self.url, {"action_add": "", "email": "charlie@example.org"})
        if mail.outbox:
            self.client.post(link_in_last_email())
        self.assertTrue(EmailAddress.objects.get(user=self.charlie, email="charlie@example.org").verified)
        self.assertFalse(
            EmailAddress.objects.filter(user=self.alice, email="charlie@example.org", verified=True)
        )
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice@example.org")
