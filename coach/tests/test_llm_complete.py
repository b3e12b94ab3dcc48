"""coach.llm.complete: every call is traced, and every call to a remote model is audited without content."""

from __future__ import annotations

import json
from decimal import Decimal

from coach.llm import complete
from coach.models import LLMTrace
from coach.providers.base import Cancelled, Completion, Prompt, ProviderError
from coach.tests.fakes import fake_anthropic, fake_openai, sample_prompt
from omoikane.testing import BaseTestCase
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent

SECRET_WORDS = "Nordlys seven years"  # from sample_prompt's stable part: must never reach the audit log


class _BrokenListener(Exception):
    pass


class CompleteWithAnthropicTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.server = self.enterContext(fake_anthropic())
        self.enterContext(self.settings(**self.server.django_settings(LLM_MAX_RETRIES=1)))

    def events(self) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(event=Event.SUB_PROCESSOR_CALLED, subject=self.alice))

    def test_it_returns_the_completion_with_its_trace(self) -> None:
        self.server.queue_text(
            "Dear Ms Berg", input_tokens=50, output_tokens=4, cache_read=1200, cache_write=0
        )
        completion = complete(sample_prompt(), user=self.alice, purpose="draft", target=self.charlie)
        trace = LLMTrace.objects.get(pk=completion.trace_id or 0)
        self.assertEqual(trace.user_id, self.alice.pk)
        self.assertEqual((trace.purpose, trace.provider, trace.outcome), ("draft", "anthropic", "ok"))
        self.assertEqual((trace.target_type, trace.target_id), ("accounts.user", str(self.charlie.pk)))
        self.assertEqual(trace.response_text, "Dear Ms Berg")
        self.assertEqual(trace.stop_reason, "end_turn")
        self.assertEqual(
            (trace.input_tokens, trace.output_tokens, trace.cache_read_tokens, trace.cache_write_tokens),
            (50, 4, 1200, 0),
        )
        self.assertGreaterEqual(trace.latency_ms, 0)

    def test_it_stores_the_exact_request_sent(self) -> None:
        complete(sample_prompt(), user=self.alice, purpose="draft")
        trace = LLMTrace.objects.get()
        sent = dict(self.server.bodies[0])
        sent.pop("stream")  # added by the SDK's stream helper, not part of what we build
        self.assertEqual(trace.request, sent)
        self.assertEqual(trace.request["system"][1]["cache_control"], {"type": "ephemeral"})

    def test_it_estimates_the_cost_with_cache_prices(self) -> None:
        self.server.queue_text(
            "x", input_tokens=1_000_000, output_tokens=0, cache_read=1_000_000, cache_write=0
        )
        with self.settings(ANTHROPIC_MODEL="claude-sonnet-4-6"):
            complete(sample_prompt(), user=self.alice, purpose="draft")
        # $3 for a million input tokens, plus a million read from the cache at a tenth of that.
        self.assertEqual(LLMTrace.objects.get().estimated_cost, Decimal("3.300000"))

    def test_it_leaves_the_cost_empty_for_a_model_without_a_price(self) -> None:
        with self.settings(ANTHROPIC_MODEL="claude-unknown-9"):
            complete(sample_prompt(), user=self.alice, purpose="draft")
        self.assertIsNone(LLMTrace.objects.get().estimated_cost)

    def test_it_stores_the_reported_region(self) -> None:
        with self.settings(ANTHROPIC_INFERENCE_GEO="us"):
            complete(sample_prompt(), user=self.alice, purpose="draft")
        trace = LLMTrace.objects.get()
        self.assertEqual((trace.region, trace.request["inference_geo"]), ("us", "us"))

    def test_it_audits_the_call_without_content(self) -> None:
        completion = complete(sample_prompt(), user=self.alice, purpose="draft", target=self.alice)
        [event] = self.events()
        self.assertEqual((event.actor_kind, event.actor_label), (ActorKind.SUB_PROCESSOR, "anthropic"))
        self.assertEqual(event.target_id, str(self.alice.pk))
        self.assertEqual(
            event.metadata,
            {
                "provider": "anthropic",
                "model": "claude-sonnet-5-5",
                "purpose": "draft",
                "data_categories": ["posting", "materials excerpts", "letter samples", "instructions"],
                "trace_id": completion.trace_id,
                "outcome": "ok",
            },
        )
        self.assertNotIn("Nordlys", json.dumps(event.metadata))
        self.assertNotIn("Dear", json.dumps(event.metadata))

    def test_it_traces_and_audits_a_failure_then_raises_it(self) -> None:
        self.server.queue_overloaded(times=2)
        with self.assertRaises(ProviderError):
            complete(sample_prompt(), user=self.alice, purpose="draft")
        trace = LLMTrace.objects.get()
        self.assertEqual((trace.outcome, trace.response_text), ("overloaded", ""))
        self.assertIn("overloaded", trace.error)
        self.assertEqual(self.events()[0].metadata["outcome"], "overloaded")

    def test_it_keeps_nothing_of_a_cut_off_answer(self) -> None:
        self.server.queue_cut_off("Dear ", "Ms ")
        received: list[str] = []
        with self.assertRaises(ProviderError):
            complete(sample_prompt(), user=self.alice, purpose="draft", on_text=received.append)
        trace = LLMTrace.objects.get()
        self.assertEqual((trace.outcome, trace.response_text, trace.output_tokens), ("cut_off", "", 0))
        self.assertEqual(received, ["Dear ", "Ms "])

    def test_it_traces_a_cancelled_call(self) -> None:
        with self.assertRaises(Cancelled):
            complete(sample_prompt(), user=self.alice, purpose="draft", cancelled=lambda: True)
        self.assertEqual(LLMTrace.objects.get().outcome, "cancelled")
        self.assertEqual(self.events()[0].metadata["outcome"], "cancelled")

    def test_it_traces_an_unexpected_error_in_the_listener(self) -> None:
        def listener(text: str) -> None:
            raise _BrokenListener

        with self.assertRaises(_BrokenListener):
            complete(sample_prompt(), user=self.alice, purpose="draft", on_text=listener)
        trace = LLMTrace.objects.get()
        self.assertEqual((trace.outcome, trace.error), ("failed", "_BrokenListener"))

    def test_it_writes_one_trace_per_call(self) -> None:
        for _ in range(3):
            complete(sample_prompt(), user=self.alice, purpose="draft")
        self.assertEqual(LLMTrace.objects.owned_by(self.alice).count(), 3)
        self.assertEqual(len(self.events()), 3)


class CompleteWithOpenAITests(BaseTestCase):
    def test_it_traces_and_audits_under_the_servers_host(self) -> None:
        with fake_openai() as server, self.settings(**server.django_settings()):
            server.queue_text("Dear team", input_tokens=100, output_tokens=3)
            completion = complete(sample_prompt(), user=self.alice, purpose="draft")
        trace = LLMTrace.objects.get(pk=completion.trace_id or 0)
        self.assertEqual(
            (trace.provider, trace.model, trace.response_text),
            ("openai_compatible", "local-model", "Dear team"),
        )
        self.assertIsNone(trace.estimated_cost)
        event = AuditEvent.objects.get(event=Event.SUB_PROCESSOR_CALLED)
        self.assertEqual(event.actor_label, "127.0.0.1")
        self.assertEqual(event.metadata["trace_id"], trace.pk)

    def test_it_traces_a_timeout(self) -> None:
        with (
            fake_openai() as server,
            self.settings(**server.django_settings(LLM_OPENAI_TIMEOUT_SECONDS=0.3, LLM_MAX_RETRIES=0)),
        ):
            server.queue_text("late", delay=3)
            with self.assertRaises(ProviderError):
                complete(sample_prompt(), user=self.alice, purpose="draft")
        self.assertEqual(LLMTrace.objects.get().outcome, "timeout")


class _LocalProvider:
    """A provider that sends nothing anywhere, like the offline drafter."""

    key = "offline"
    model = "offline-1"

    def complete(self, prompt: Prompt, **options: object) -> Completion:
        return Completion(text="Dear team", provider=self.key, model=self.model)


class CompleteOfflineTests(BaseTestCase):
    def test_it_traces_but_does_not_audit_a_local_provider(self) -> None:
        completion = complete(sample_prompt(), user=self.alice, purpose="draft", provider=_LocalProvider())
        trace = LLMTrace.objects.get(pk=completion.trace_id or 0)
        self.assertEqual((trace.provider, trace.outcome), ("offline", "ok"))
        # Without a request_body of its own the prompt's parts are what is kept.
        self.assertEqual(set(trace.request), {"system", "stable", "task", "max_tokens"})
        self.assertFalse(AuditEvent.objects.filter(event=Event.SUB_PROCESSOR_CALLED).exists())
