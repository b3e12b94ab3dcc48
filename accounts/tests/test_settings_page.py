from __future__ import annotations

from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class SettingsPageTests(BaseTestCase):
    url = reverse("accounts:settings")

    def test_it_shows_the_profile(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "alice@example.org")
        self.assertContains(response, 'value="Alice Andersen"')

    def test_it_records_the_page_view(self) -> None:
        self.client.force_login(self.alice)
        self.client.get(self.url)
        event = AuditEvent.objects.get(event=Event.ACCOUNT_PAGE_VIEWED)
        self.assertEqual(event.subject, self.alice)
        self.assertEqual(event.metadata, {"page": "accounts:settings", "method": "GET"})

    def test_it_saves_name_and_language_with_an_event_each(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"name": "Alice A. Andersen", "language": "el"})
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.alice.refresh_from_db()
        self.assertEqual((self.alice.name, self.alice.language), ("Alice A. Andersen", "el"))
        self.assertEqual(
            list(
                AuditEvent.objects.filter(subject=self.alice)
                .exclude(event=Event.LOGIN_SUCCEEDED)
                .values_list("event", flat=True)
                .order_by("created_at")
            ),
            [Event.PROFILE_UPDATED, Event.LANGUAGE_CHANGED],
        )
        # The very next page is in the new language.
        self.assertContains(self.client.get(self.url), '<html lang="el">')

    def test_it_applies_the_stored_language_whatever_the_browser_says(self) -> None:
        self.alice.language = "de"
        self.alice.save(update_fields=["language"])
        self.client.force_login(self.alice)
        response = self.client.get(reverse("pages:home"), HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response["Content-Language"], "de")

    def assert_nothing_stored(self) -> None:
        self.alice.refresh_from_db()
        self.assertEqual((self.alice.name, self.alice.language), ("Alice Andersen", "en"))
        self.assertFalse(
            AuditEvent.objects.exclude(event__in=[Event.ACCOUNT_PAGE_VIEWED, Event.LOGIN_SUCCEEDED]).exists()
        )

    def test_it_rejects_an_unknown_language(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"name": "Alice", "language": "xx"})
        self.assertContains(response, "Select a valid choice.", status_code=400)
        self.assert_nothing_stored()

    def test_it_rejects_an_oversize_name(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"name": "A" * 151, "language": "en"})
        self.assertContains(response, "at most 150 characters", status_code=400)
        self.assert_nothing_stored()

    def test_it_rejects_control_characters(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"name": "Alice\x07", "language": "en"})
        self.assertContains(response, "cannot contain control characters", status_code=400)
        self.assert_nothing_stored()

    def test_it_keeps_mixed_scripts_in_names(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(self.url, {"name": "Ἀλίκη Ångström-Øvergård", "language": "en"})
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.name, "Ἀλίκη Ångström-Øvergård")

    def test_it_requires_sign_in(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"{reverse('account_login')}?next={self.url}", fetch_redirect_response=False
        )

    @override_settings(LANGUAGE_CODE="en")
    def test_it_translates_its_messages(self) -> None:
        self.alice.language = "nl"
        self.alice.save(update_fields=["language"])
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"name": "Alice", "language": "nl"}, follow=True)
        with translation.override("nl"):
            dutch = translation.gettext("Your settings were saved.")
        self.assertNotEqual(dutch, "Your settings were saved.")
        self.assertContains(response, dutch)
