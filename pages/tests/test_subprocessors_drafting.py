"""The Sub-processors page says which model writes drafts and where Anthropic ran the last one."""

from __future__ import annotations

from django.test import TestCase, override_settings
from django.urls import reverse

from coach.traces import record_trace


def _anthropic_call(region: str, *, outcome: str = "ok") -> None:
    record_trace(
        user_id=1,
        purpose="draft",
        target=None,
        provider="anthropic",
        model="claude-sonnet-5-5",
        request={},
        outcome=outcome,
    )
    from coach.models import LLMTrace

    LLMTrace.objects.filter(region="").update(region=region)


class DraftingProviderTests(TestCase):
    url = reverse("pages:subprocessors")
    databases = {"default", "traces"}

    @override_settings(
        ANTHROPIC_API_KEY="test-key", ANTHROPIC_MODEL="claude-sonnet-5-5", ANTHROPIC_INFERENCE_GEO=""
    )
    def test_it_names_anthropic_and_the_default_region(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "<code>claude-sonnet-5-5</code>")
        self.assertContains(response, "none: the default region of our Anthropic account applies")
        self.assertContains(response, "no draft written yet")

    @override_settings(ANTHROPIC_API_KEY="test-key", ANTHROPIC_INFERENCE_GEO="us")
    def test_it_shows_the_requested_and_the_last_reported_region(self) -> None:
        _anthropic_call("global")
        _anthropic_call("us")
        _anthropic_call("elsewhere", outcome="timeout")
        response = self.client.get(self.url)
        self.assertContains(
            response, "<dt>Inference region requested</dt><dd><code>us</code></dd>", html=True
        )
        self.assertContains(
            response, "<dt>Region last reported by Anthropic</dt><dd><code>us</code></dd>", html=True
        )
        self.assertNotContains(response, "elsewhere")

    @override_settings(
        ANTHROPIC_API_KEY=None, LLM_OPENAI_BASE_URL="https://llm.internal:8443/v1", LLM_OPENAI_MODEL="qwen3"
    )
    def test_it_names_a_self_hosted_server(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "<code>llm.internal</code>")
        self.assertContains(response, "<code>qwen3</code>")
        self.assertContains(response, "Anthropic receives nothing.")

    @override_settings(ANTHROPIC_API_KEY=None, LLM_OPENAI_BASE_URL=None)
    def test_it_names_the_offline_drafter(self) -> None:
        with self.assertNumQueries(0, using="traces"):
            response = self.client.get(self.url)
        self.assertContains(response, "The offline drafter, on our own servers.")
