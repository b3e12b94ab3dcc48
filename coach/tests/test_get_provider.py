from __future__ import annotations

from importlib.util import find_spec
from unittest import skipUnless

from django.test import SimpleTestCase, override_settings

from coach.providers import get_provider, provider_status


class GetProviderTests(SimpleTestCase):
    @override_settings(ANTHROPIC_API_KEY="test-key", LLM_OPENAI_BASE_URL="http://llm.internal:8000/v1")
    def test_it_prefers_anthropic_when_it_has_a_key(self) -> None:
        provider = get_provider()
        self.assertEqual((provider.key, provider.model), ("anthropic", "claude-sonnet-5-5"))

    @override_settings(
        ANTHROPIC_API_KEY=None, LLM_OPENAI_BASE_URL="http://llm.internal:8000/v1", LLM_OPENAI_MODEL="qwen3"
    )
    def test_it_uses_a_self_hosted_server_when_configured(self) -> None:
        provider = get_provider()
        self.assertEqual((provider.key, provider.model), ("openai_compatible", "qwen3"))

    @skipUnless(find_spec("coach.providers.offline"), "the offline drafter is not installed")
    @override_settings(ANTHROPIC_API_KEY=None, LLM_OPENAI_BASE_URL=None)
    def test_it_falls_back_to_the_offline_drafter(self) -> None:
        self.assertEqual(get_provider().key, "offline")


class ProviderStatusTests(SimpleTestCase):
    @override_settings(
        ANTHROPIC_API_KEY="test-key", ANTHROPIC_MODEL="claude-sonnet-4-6", ANTHROPIC_INFERENCE_GEO="us"
    )
    def test_it_describes_anthropic(self) -> None:
        self.assertEqual(
            provider_status(),
            {"key": "anthropic", "model": "claude-sonnet-4-6", "host": "", "configured_region": "us"},
        )

    @override_settings(
        ANTHROPIC_API_KEY=None, LLM_OPENAI_BASE_URL="https://llm.internal:8443/v1", LLM_OPENAI_MODEL="qwen3"
    )
    def test_it_names_the_self_hosted_host_without_the_path(self) -> None:
        status = provider_status()
        self.assertEqual(
            (status["key"], status["host"], status["model"]), ("openai_compatible", "llm.internal", "qwen3")
        )

    @override_settings(ANTHROPIC_API_KEY=None, LLM_OPENAI_BASE_URL=None)
    def test_it_describes_the_offline_drafter(self) -> None:
        self.assertEqual(provider_status()["key"], "offline")
