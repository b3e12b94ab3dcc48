from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from applications.tests.factories import add_application
from diary.models import Kind
from diary.tests.factories import add_entry
from diary.views import PAGE_SIZE
from omoikane.testing import BaseTestCase
from omoikane.tests.test_query_counts import AUDIT_ROW
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class DiaryPageTests(BaseTestCase):
    url = reverse("diary:index")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_lists_entries_newest_first(self) -> None:
        today = timezone.localdate()
        add_entry(self.alice, "Sent a shorter letter.", occurred_on=today - dt.timedelta(days=3))
        add_entry(self.alice, "Asked a former colleague for a referral.", occurred_on=today)
        add_entry(
            self.alice,
            "Followed up by phone.",
            kind=Kind.FOLLOW_UP,
            outcome="They invited me to an interview.",
            occurred_on=today - dt.timedelta(days=1),
        )
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        positions = [content.index(t) for t in ("Asked a former", "Followed up by phone", "Sent a shorter")]
        self.assertEqual(positions, sorted(positions))
        self.assertContains(response, "They invited me to an interview.")
        self.assertContains(response, "Followed up")

    def test_it_shows_only_the_users_own_entries(self) -> None:
        add_entry(self.alice, "Alice's attempt.")
        add_entry(self.charlie, "Charlie's secret attempt.")
        response = self.client.get(self.url)
        self.assertContains(response, "Alice&#x27;s attempt.")
        self.assertNotContains(response, "Charlie")

    def test_it_shows_text_as_text(self) -> None:
        add_entry(self.alice, "<script>alert(1)</script> tried markup")
        response = self.client.get(self.url)
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt; tried markup")

    def test_it_paginates(self) -> None:
        for number in range(PAGE_SIZE + 5):
            add_entry(self.alice, f"Attempt number {number:02d}.")
        first = self.client.get(self.url)
        self.assertContains(first, "Attempt number", count=PAGE_SIZE)
        second = self.client.get(self.url, {"page": 2})
        self.assertContains(second, "Attempt number", count=5)
        self.assertContains(second, "Attempt number 00.")
        self.assertEqual(self.client.get(self.url, {"page": "nonsense"}).status_code, 200)

    def test_it_filters_by_application(self) -> None:
        application = add_application(self.alice)
        add_entry(self.alice, "About the Fjordpay posting.", application=application)
        add_entry(self.alice, "General networking.")
        response = self.client.get(self.url, {"application": application.pk})
        self.assertContains(response, "About the Fjordpay posting.")
        self.assertNotContains(response, "General networking.")
        # The add form on a filtered page files the entry under that application.
        self.assertContains(response, f'action="{reverse("diary:add")}?application={application.pk}"')
        self.assertContains(response, f'<option value="{application.pk}" selected>')

    def test_it_answers_404_to_a_filter_by_someone_elses_application(self) -> None:
        theirs = add_application(self.charlie)
        add_entry(self.charlie, "Charlie's note.", application=theirs)
        self.assertEqual(self.client.get(self.url, {"application": theirs.pk}).status_code, 404)
        self.assertEqual(self.client.get(self.url, {"application": "1 OR 1=1"}).status_code, 404)

    def test_it_records_that_the_diary_was_viewed(self) -> None:
        self.client.get(self.url)
        event = AuditEvent.objects.filter(subject=self.alice, event=Event.DIARY_VIEWED).get()
        self.assertEqual(event.metadata["page"], "diary:index")

    def test_it_is_in_the_main_navigation(self) -> None:
        response = self.client.get(reverse("materials:list"))
        self.assertContains(response, f'<a href="{self.url}">Diary</a>', html=True)

    def test_it_asks_visitors_to_sign_in(self) -> None:
        self.client.logout()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])

    def test_it_keeps_the_query_count_flat(self) -> None:
        application = add_application(self.alice)
        for number in range(3):
            add_entry(self.alice, f"Attempt {number}.", application=application)
        self.client.get(self.url)
        # 2 for session and user, the applications, the approaches for the form, the page count, the
        # entries with their application, the approaches they are tagged with, the calendar's events, the
        # audit row.
        with self.assertNumQueries(8 + AUDIT_ROW) as few:
            self.client.get(self.url)
        for number in range(PAGE_SIZE):
            add_entry(
                self.alice, f"More {number}.", application=add_application(self.alice, title=f"Job {number}")
            )
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(self.url)
