from __future__ import annotations

from django.test import Client
from django.urls import reverse

from omoikane.testing import BaseTestCase, sign_in
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class SessionsTests(BaseTestCase):
    url = reverse("usersessions_list")

    def test_it_lists_the_users_sessions(self) -> None:
        laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone browser")
        sign_in(laptop, self.alice)
        sign_in(phone, self.alice)
        sign_in(Client(HTTP_USER_AGENT="Charlie browser"), self.charlie)
        response = laptop.get(self.url)
        self.assertEqual(response.context["session_count"], 2)
        self.assertNotContains(response, "Charlie browser")

    def test_it_signs_out_everywhere_else(self) -> None:
        laptop, phone = Client(), Client()
        sign_in(laptop, self.alice)
        sign_in(phone, self.alice)
        response = laptop.post(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(laptop.get(reverse("accounts:settings")).status_code, 200)
        self.assertEqual(phone.get(reverse("accounts:settings")).status_code, 302)
        event = AuditEvent.objects.get(event=Event.SESSIONS_ENDED)
        self.assertEqual((event.subject, event.metadata), (self.alice, {"count": 1}))

    def test_it_leaves_other_users_sessions_alone(self) -> None:
        mine, theirs = Client(), Client()
        sign_in(mine, self.alice)
        sign_in(theirs, self.charlie)
        mine.post(self.url)
        self.assertEqual(theirs.get(reverse("accounts:settings")).status_code, 200)
