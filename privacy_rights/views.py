from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from omoikane.numbers import parse_int
from omoikane.types import AuthenticatedHttpRequest
from privacy_kernel import descriptions
from privacy_kernel.audit import Actor, audited, public, set_target
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent, ExportRequest
from privacy_rights.actions import (
    ExportRateLimited,
    do_download_export,
    do_refuse_export_download,
    do_request_erasure,
    do_request_export,
    next_export_allowed_at,
)
from privacy_rights.forms import ConfirmErasureForm

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
    page = Paginator(events, ACTIVITY_PAGE_SIZE).get_page(parse_int(request.GET.get("page")))
    # Each entry names what it concerns, looked up for the whole page at once (one query per kind of thing).
    rows = list(page.object_list)
    found = descriptions.target_names(request.user, ((row.target_type, row.target_id) for row in rows))
    for row in rows:
        row.target_name = found.get((row.target_type, row.target_id), "")  # type: ignore[attr-defined]
    page.object_list = rows
    return render(
        request,
        "privacy_rights/activity.html",
        {
            "page": page,
            "actor": actor,
            "actor_kinds": ActorKind.choices,
            "operator_count": AuditEvent.objects.about(request.user)
            .filter(actor_kind=ActorKind.OPERATOR)
            .count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.EXPORT_PAGE_VIEWED, writes=[Event.EXPORT_REQUESTED])
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Settings → Account → Export: ask for the zip of everything, see earlier requests."""
    status = 200
    if request.method == "POST":
        try:
            do_request_export(request.user, actor=Actor.from_request(request))
        except ExportRateLimited as limited:
            messages.error(
                request,
                _("You asked for an export less than %(hours)d hours ago. You can ask again after %(when)s.")
                % {
                    "hours": settings.EXPORT_RATE_LIMIT_HOURS,
                    "when": date_format(timezone.localtime(limited.next_at), "DATETIME_FORMAT"),
                },
            )
            status = 429
        else:
            messages.success(
                request,
                _("We are building your export. We will email %(email)s a download link when it is ready.")
                % {"email": request.user.email},
            )
            return redirect("privacy:export")
    exports = ExportRequest.objects.owned_by(request.user)[:10]
    return render(
        request,
        "privacy_rights/export.html",
        {
            "exports": exports,
            "next_allowed_at": next_export_allowed_at(request.user),
            "within_hours": settings.EXPORT_WITHIN_HOURS,
            "link_days": settings.EXPORT_LINK_DAYS,
        },
        status=status,
    )


@login_required
@require_safe
@audited(writes=[Event.EXPORT_DOWNLOADED])
def export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The emailed link. Another account's export is a 404, and its owner learns of the attempt."""
    found = ExportRequest.objects.select_related("user").filter(pk=pk).first()
    if found is None:
        raise Http404
    if found.user_id != request.user.pk:
        do_refuse_export_download(found, actor=Actor.from_request(request))
        raise Http404
    set_target(request, found)
    if found.expired:
        return render(request, "privacy_rights/export_expired.html", {"export": found}, status=410)
    if not found.downloadable:
        raise Http404
    do_download_export(found, actor=Actor.from_request(request))
    name = f"omoikane-export-{timezone.localtime(found.finished_at or found.requested_at):%Y-%m-%d}.zip"
    return FileResponse(
        found.file.open("rb"), as_attachment=True, filename=name, content_type="application/zip"
    )


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
@audited(Event.ERASURE_PAGE_VIEWED, writes=[Event.ERASURE_REQUESTED])
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Settings → Account → Delete: after re-authenticating and typing their address, the account is locked,
    signed out everywhere, and queued for erasure."""
    user = request.user
    form = ConfirmErasureForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            actor = Actor.from_request(request)
            do_request_erasure(user, actor=actor)
            # The sessions are gone from the store already; this clears the one this request carries.
            logout(request)
            return redirect("privacy:deleted")
        status = 400
    else:
        status = 200
    return render(
        request,
        "privacy_rights/delete.html",
        {"form": form, "within_days": settings.ERASURE_WITHIN_DAYS},
        status=status,
    )


@require_safe
@public("a static confirmation shown after the account was deleted and signed out")
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy_rights/deleted.html", {"within_days": settings.ERASURE_WITHIN_DAYS})
