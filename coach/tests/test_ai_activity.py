"""Settings → AI activity: the user's own calls to language models, and one call in full."""

from __future__ import annotations

from django.urls import reverse

from coach.llm import complete
from coach.models import LLMTrace
from coach.tests.fakes import fake_anthropic, sample_prompt
from coach.traces import record_trace
from omoikane.testing import BaseTestCase
from omoikane.tests.test_query_counts import AUDIT_ROW, SIGNED_IN_BASE
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


def add_trace(user_id: int, *, outcome: str = "ok") -> LLMTrace:
    return record_trace(
        user_id=user_id,
        purpose="draft",
        target=None,
        provider="anthropic",
        model="claude-sonnet-5-5",
        request={"system": [{"type": "text", "text": "You write letters."}], "messages": []},
        outcome=outcome,
        error="The writing service is overloaded right now." if outcome != "ok" else "",
        latency_ms=1234,
    )


class AIActivityListTests(BaseTestCase):
    url = reverse("coach:ai_activity")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_lists_the_users_own_calls_newest_first(self) -> None:
        first, second = add_trace(self.alice.pk), add_trace(self.alice.pk, outcome="overloaded")
        add_trace(self.charlie.pk)
        response = self.client.get(self.url)
        self.assertEqual([t.pk for t in response.context["page"]], [second.pk, first.pk])
        self.assertContains(response, "Service overloaded")
        self.assertContains(response, "claude-sonnet-5-5")
        self.assertContains(response, "1,234 ms")
        self.assertContains(response, reverse("coach:ai_trace", args=[first.pk]))
        self.assertContains(response, "2 calls in total.")

    def test_it_shows_tokens_cache_use_cost_and_region(self) -> None:
        with (
            fake_anthropic() as server,
            self.settings(**server.django_settings(ANTHROPIC_INFERENCE_GEO="us")),
        ):
            server.queue_text("Dear team", input_tokens=40, output_tokens=3, cache_read=1200, cache_write=0)
            complete(sample_prompt(), user=self.alice, purpose="draft")
        response = self.client.get(self.url)
        self.assertContains(response, "40 / 3")
        self.assertContains(response, "1,200 read, 0 written")
        self.assertContains(response, "$0.0004")  # (40 * $2 + 1200 * $0.20 + 3 * $10) / million = $0.00035
        self.assertContains(response, "<td>us</td>", html=True)

    def test_it_says_when_nothing_was_sent(self) -> None:
        self.assertContains(self.client.get(self.url), "No data of yours has been sent to a language model.")

    def test_it_pages_and_ignores_a_bad_page_number(self) -> None:
        for _ in range(51):
            add_trace(self.alice.pk)
        self.assertEqual(len(self.client.get(self.url).context["page"]), 50)
        self.assertEqual(len(self.client.get(self.url, {"page": "2"}).context["page"]), 1)
        self.assertEqual(self.client.get(self.url, {"page": "x'--"}).status_code, 200)

    def test_it_keeps_a_constant_number_of_queries(self) -> None:
        for _ in range(30):
            add_trace(self.alice.pk)
        self.client.get("/")
        # + the audit row; the trace store answers the page, its count and the totals.
        with self.assertNumQueries(SIGNED_IN_BASE + AUDIT_ROW), self.assertNumQueries(3, using="traces"):
            self.client.get(self.url)

    def test_it_records_the_visit(self) -> None:
        self.client.get(self.url)
        self.assertTrue(
            AuditEvent.objects.filter(event=Event.AI_ACTIVITY_VIEWED, subject=self.alice).exists()
        )

    def test_it_is_linked_from_the_settings_navigation(self) -> None:
        response = self.client.get(reverse("accounts:settings"))
        self.assertContains(response, f'href="{self.url}"')

    def test_it_asks_strangers_to_sign_in(self) -> None:
        self.client.logout()
        self.assertRedirects(self.client.get(self.url), f"{reverse('account_login')}?next={self.url}")


class AITraceDetailTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_shows_exactly_what_was_sent_and_what_came_back(self) -> None:
        with fake_anthropic() as server, self.settings(**server.django_settings()):
            server.queue_text("Dear Ms Berg, <b>hello</b>")
            completion = complete(
                sample_prompt(stable="Seven years at Nordlys"), user=self.alice, purpose="draft"
            )
        response = self.client.get(reverse("coach:ai_trace", args=[completion.trace_id]))
        self.assertContains(response, "Seven years at Nordlys")
        self.assertContains(response, "&quot;cache_control&quot;")
        self.assertContains(response, "Dear Ms Berg, &lt;b&gt;hello&lt;/b&gt;")
        self.assertContains(response, "end_turn")

    def test_it_says_nothing_was_kept_of_a_failed_call(self) -> None:
        trace = add_trace(self.alice.pk, outcome="overloaded")
        response = self.client.get(reverse("coach:ai_trace", args=[trace.pk]))
        self.assertContains(response, "Nothing was kept: the call did not finish.")
        self.assertContains(response, "The writing service is overloaded right now.")

    def test_it_records_the_visit_with_the_trace(self) -> None:
        trace = add_trace(self.alice.pk)
        self.client.get(reverse("coach:ai_trace", args=[trace.pk]))
        event = AuditEvent.objects.get(event=Event.AI_TRACE_VIEWED)
        self.assertEqual((event.target_type, event.target_id), ("coach.llmtrace", str(trace.pk)))

    def test_it_checks_ownership(self) -> None:
        trace = add_trace(self.charlie.pk)
        self.assertEqual(self.client.get(reverse("coach:ai_trace", args=[trace.pk])).status_code, 404)
        self.assertFalse(AuditEvent.objects.filter(event=Event.AI_TRACE_VIEWED).exists())

    def test_it_answers_404_for_a_missing_trace(self) -> None:
        self.assertEqual(self.client.get(reverse("coach:ai_trace", args=[987654])).status_code, 404)
