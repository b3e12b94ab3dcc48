from __future__ import annotations

import time
from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_SEEN_KEY, SESSION_SEEN_SECONDS
from omoikane.testing import BaseTestCase, sign_in
from omoikane.tests.test_query_counts import AUDIT_ROW

LONG_AGO = timezone.now() - timedelta(days=3)


class SessionActivityTests(BaseTestCase):
    """allauth's "last seen" of a session: written at most once a minute, and at once for a new client."""

    url = reverse("accounts:settings")

    def setUp(self) -> None:
        super().setUp()
        self.laptop = Client(HTTP_USER_AGENT="Laptop browser", REMOTE_ADDR="192.0.2.10")
        sign_in(self.laptop, self.alice)
        self.laptop.get(self.url)

    def row(self) -> UserSession:
        return UserSession.objects.get(session_key=self.laptop.session.session_key)

    def age_the_row(self) -> None:
        UserSession.objects.filter(pk=self.row().pk).update(last_seen_at=LONG_AGO)

    def test_it_skips_the_write_within_a_minute(self) -> None:
        self.age_the_row()
        self.assertEqual(self.laptop.get(self.url).status_code, 200)
        self.assertEqual(self.row().last_seen_at, LONG_AGO)

    def test_it_writes_again_after_a_minute(self) -> None:
        self.age_the_row()
        session = self.laptop.session
        written, client = session[SESSION_SEEN_KEY]
        session[SESSION_SEEN_KEY] = [written - SESSION_SEEN_SECONDS - 1, client]
        session.save()
        self.laptop.get(self.url)
        self.assertGreater(self.row().last_seen_at, timezone.now() - timedelta(minutes=1))

    def test_it_writes_at_once_for_a_new_browser_or_address(self) -> None:
        self.laptop.get(self.url, HTTP_USER_AGENT="Updated browser")
        self.assertEqual(self.row().user_agent, "Updated browser")
        self.laptop.get(self.url, HTTP_USER_AGENT="Updated browser", REMOTE_ADDR="198.51.100.7")
        self.assertEqual(self.row().ip, "198.51.100.7")

    def test_it_writes_when_the_note_is_not_its_own(self) -> None:
        self.age_the_row()
        session = self.laptop.session
        for note in ("garbage", [int(time.time()), "another-client"], [int(time.time()) + 3600, "x"]):
            with self.subTest(note=note):
                session[SESSION_SEEN_KEY] = note
                session.save()
                self.age_the_row()
                self.laptop.get(self.url)
                self.assertGreater(self.row().last_seen_at, LONG_AGO)

    def test_it_costs_no_queries_between_writes(self) -> None:
        with self.assertNumQueries(2 + AUDIT_ROW):  # session and user, the audit row
            self.laptop.get(self.url)

    def test_it_leaves_anonymous_visitors_alone(self) -> None:
        with self.assertNumQueries(0):
            Client().get("/")
