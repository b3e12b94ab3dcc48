"""Which language model drafts: Anthropic when it has a key, else a self-hosted OpenAI-compatible server
when one is configured, else the offline drafter (no model, nothing leaves the server)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings

from coach.providers.base import Provider


def get_provider() -> Provider:
    if settings.ANTHROPIC_API_KEY:
        from coach.providers.anthropic import AnthropicProvider  # inside: loads only the SDK in use

        return AnthropicProvider()
    if settings.LLM_OPENAI_BASE_URL:
        # inside: loads only the SDK in use
        from coach.providers.openai_compatible import OpenAICompatibleProvider

        return OpenAICompatibleProvider()
    offline: Any = import_module("coach.providers.offline")
    provider: Provider = offline.OfflineDrafter()
    return provider


def provider_status() -> dict[str, str]:
    """What drafts with right now, for the Sub-processors page. Reads settings only: no client is built.

    key: "anthropic", "openai_compatible" or "offline"; model; host (OpenAI-compatible only);
    configured_region: the inference region requested from Anthropic ("" = the account's default)."""
    if settings.ANTHROPIC_API_KEY:
        return {
            "key": "anthropic",
            "model": settings.ANTHROPIC_MODEL,
            "host": "",
            "configured_region": settings.ANTHROPIC_INFERENCE_GEO,
        }
    if settings.LLM_OPENAI_BASE_URL:
        from coach.providers.openai_compatible import host_label  # inside: loads only the SDK in use

        return {
            "key": "openai_compatible",
            "model": settings.LLM_OPENAI_MODEL,
            "host": host_label(settings.LLM_OPENAI_BASE_URL),
            "configured_region": "",
        }
    return {"key": "offline", "model": "offline-1", "host": "", "configured_region": ""}
