"""Writing and expiring LLM traces: what was sent to a language model, what came back, and what it cost."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from coach.models import LLMTrace
from coach.pricing import estimate_cost
from coach.providers.base import Completion
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action


def record_trace(
    *,
    user_id: int,
    purpose: str,
    target: models.Model | None,
    provider: str,
    model: str,
    request: dict[str, Any],
    outcome: str,
    completion: Completion | None = None,
    error: str = "",
    latency_ms: int = 0,
) -> LLMTrace:
    """Store one call. On failure only the outcome and the error are kept, never a half-written answer."""
    trace = LLMTrace(
        user_id=user_id,
        purpose=purpose,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        provider=provider,
        model=model,
        request=request,
        outcome=outcome,
        error=error,
        latency_ms=max(latency_ms, 0),
    )
    if completion is not None:
        usage = completion.usage
        trace.model = completion.model or model
        trace.response_text = completion.text
        trace.stop_reason = completion.stop_reason
        trace.input_tokens = usage.input_tokens
        trace.output_tokens = usage.output_tokens
        trace.cache_read_tokens = usage.cache_read_input_tokens
        trace.cache_write_tokens = usage.cache_creation_input_tokens
        trace.region = completion.region
        trace.estimated_cost = estimate_cost(provider, trace.model, usage)
    trace.save()
    return trace


def last_observed_region() -> str:
    """The inference region Anthropic reported for the newest successful call, or "" if none yet."""
    trace = (
        LLMTrace.objects.filter(provider="anthropic", outcome="ok")
        .exclude(region="")
        .order_by("-created_at", "-id")
        .only("region")
        .first()
    )
    return trace.region if trace is not None else ""


@write_action
def do_purge_traces(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete traces older than the retention period; returns how many went."""
    days = settings.LLM_TRACE_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _by_model = LLMTrace.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        audit.record(
            Event.LLM_TRACES_PURGED,
            actor=Actor.system("purge_traces"),
            subject=None,
            data={"deleted": deleted, "older_than_days": days},
        )
    return deleted
