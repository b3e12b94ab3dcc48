from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class SetLanguageTests(BaseTestCase):
    url = reverse("accounts:set_language")

    def test_it_remembers_the_choice_of_a_visitor_in_a_cookie(self) -> None:
        response = self.client.post(self.url, {"language": "nl", "next": "/security/"})
        self.assertRedirects(response, "/security/", fetch_redirect_response=False)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "nl")
        self.assertEqual(self.client.get("/security/")["Content-Language"], "nl")
        self.assertFalse(AuditEvent.objects.exists())

    def test_it_stores_the_choice_on_the_account(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(self.url, {"language": "nb", "next": "/"})
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.language, "nb")
        event = AuditEvent.objects.get(subject=self.alice, event=Event.LANGUAGE_CHANGED)
        self.assertEqual(event.metadata, {"old": "en", "new": "nb"})

    def test_it_refuses_to_redirect_elsewhere(self) -> None:
        response = self.client.post(self.url, {"language": "de", "next": "https://evil.example/phish"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_it_rejects_an_unknown_language(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(self.url, {"language": "tlh", "next": "/"})
        self.assertContains(response, "Unknown language.", status_code=400)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.language, "en")
        self.assertNotIn(settings.LANGUAGE_COOKIE_NAME, response.cookies)

    def test_it_only_accepts_posts(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 405)
