from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from coach.models import LLMTrace
from omoikane.numbers import parse_int
from omoikane.types import AuthenticatedHttpRequest
from privacy_kernel.audit import audited
from privacy_kernel.events import Event
from privacy_kernel.shortcuts import owned_or_404

AI_ACTIVITY_PAGE_SIZE = 50
# The list shows numbers only; the request and the answer are read one call at a time, on its own page.
_LIST_FIELDS = (
    "created_at",
    "purpose",
    "provider",
    "model",
    "outcome",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "latency_ms",
    "estimated_cost",
    "region",
)


@login_required
@require_safe
@audited(Event.AI_ACTIVITY_VIEWED)
def ai_activity(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every call made to a language model with the user's data, newest first."""
    traces = LLMTrace.objects.owned_by(request.user).only(*_LIST_FIELDS).order_by("-created_at", "-id")
    page = Paginator(traces, AI_ACTIVITY_PAGE_SIZE).get_page(parse_int(request.GET.get("page")))
    totals = LLMTrace.objects.owned_by(request.user).aggregate(calls=Count("id"), cost=Sum("estimated_cost"))
    return render(request, "coach/ai_activity.html", {"page": page, "totals": totals})


@login_required
@require_safe
@audited(Event.AI_TRACE_VIEWED)
def ai_trace(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One call: exactly what was sent and what came back."""
    trace = owned_or_404(request, LLMTrace, pk=pk)
    return render(
        request,
        "coach/ai_trace.html",
        {"trace": trace, "request_json": json.dumps(trace.request, indent=2, ensure_ascii=False)},
    )
