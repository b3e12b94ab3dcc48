from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from omoikane.types import AuthenticatedHttpRequest
from privacy.audit import audited
from privacy.events import ActorKind, Event
from privacy.models import AuditEvent

ACTIVITY_PAGE_SIZE = 50


@login_required
@require_safe
@audited(Event.ACTIVITY_VIEWED)
def activity(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything recorded about the user's data, by them, an operator, a sub-processor or the system."""
    actor = request.GET.get("actor", "")
    events = AuditEvent.objects.about(request.user).select_related("actor").order_by("-created_at", "-id")
    if actor in ActorKind.values:
        events = events.filter(actor_kind=actor)
    else:
        actor = ""
    page = Paginator(events, ACTIVITY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/activity.html",
        {
            "page": page,
            "actor": actor,
            "actor_kinds": ActorKind.choices,
            "operator_count": AuditEvent.objects.about(request.user)
            .filter(actor_kind=ActorKind.OPERATOR)
            .count(),
        },
    )
