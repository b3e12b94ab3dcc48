"""The one way the app calls a language model: pick the provider, time the call, trace it, audit it.

Call it outside any database transaction: the trace and the audit event must stay written even when
the caller's own work fails afterwards (the data was sent all the same).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.db import models

from coach.providers import get_provider
from coach.providers.base import Cancelled, Completion, Prompt, Provider, ProviderError
from coach.traces import record_trace
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event

if TYPE_CHECKING:
    from accounts.models import User

# Providers that send the prompt to another machine; the offline drafter sends nothing anywhere.
REMOTE_PROVIDERS = {"anthropic", "openai_compatible"}

# What kinds of the user's data a call of each purpose carries: the audit event names these, never the
# content itself.
DATA_CATEGORIES: dict[str, list[str]] = {
    "draft": ["posting", "materials excerpts", "letter samples", "instructions"],
}


def request_of(provider: Provider, prompt: Prompt) -> dict[str, Any]:
    """The request as the provider sends it, when it can say; else the prompt's parts."""
    describe = getattr(provider, "request_body", None)
    if callable(describe):
        body: dict[str, Any] = describe(prompt)
        return body
    return {
        "system": prompt.system,
        "stable": prompt.stable,
        "task": prompt.task,
        "max_tokens": prompt.max_tokens,
    }


def actor_label(provider: Provider) -> str:
    """Who the audit log says received the data: "anthropic", or the host of a self-hosted server."""
    return str(getattr(provider, "host", "") or provider.key)


def complete(
    prompt: Prompt,
    *,
    user: User,
    purpose: str,
    target: models.Model | None = None,
    on_text: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    provider: Provider | None = None,
) -> Completion:
    """Run `prompt` through the configured provider (or `provider`), streaming text to `on_text`.

    Every outcome is traced: "ok", "cancelled", a ProviderError's kind, or "failed" for anything else
    (then re-raised). A call to a remote provider also writes an audit event naming the data categories
    sent, the model and the trace, never the content. Returns the completion with `trace_id` set."""
    provider = provider if provider is not None else get_provider()
    request = request_of(provider, prompt)
    started = time.monotonic()

    def finish(outcome: str, completion: Completion | None = None, error: str = "") -> int:
        trace = record_trace(
            user_id=user.pk,
            purpose=purpose,
            target=target,
            provider=provider.key,
            model=provider.model,
            request=request,
            outcome=outcome,
            completion=completion,
            error=error,
            latency_ms=round((time.monotonic() - started) * 1000),
        )
        if provider.key in REMOTE_PROVIDERS:
            audit.record(
                Event.SUB_PROCESSOR_CALLED,
                actor=Actor.sub_processor(actor_label(provider)),
                subject=user,
                target=target,
                data={
                    "provider": provider.key,
                    "model": trace.model,
                    "purpose": purpose,
                    "data_categories": DATA_CATEGORIES.get(purpose, ["instructions"]),
                    "trace_id": trace.pk,
                    "outcome": outcome,
                },
            )
        return trace.pk

    try:
        completion = provider.complete(prompt, on_text=on_text, cancelled=cancelled)
    except Cancelled:
        finish("cancelled")
        raise
    except ProviderError as error:
        finish(error.kind, error=str(error.message))
        raise
    except Exception as error:
        finish("failed", error=type(error).__name__)
        raise
    return replace(completion, trace_id=finish("ok", completion))
