"""TEMPORARY stand-in for the providers branch's coach.llm (same signature); replace it at merge.

The real one records the LLM trace and the sub-processor audit event; this one only calls the provider.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coach.providers.base import Completion, Prompt, Provider


def complete(
    prompt: Prompt,
    *,
    user: Any,
    purpose: str,
    target: Any = None,
    on_text: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    provider: Provider | None = None,
) -> Completion:
    if provider is None:
        from coach.providers import get_provider

        provider = get_provider()
    return provider.complete(prompt, on_text=on_text, cancelled=cancelled)
