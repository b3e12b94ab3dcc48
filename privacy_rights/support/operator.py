"""The support staff's side of support access: read-only pages on one user's data, open only while that
user has an active grant. They are mounted on the operator site (ops/admin_site.py), which already
requires staff with two-factor authentication; this module adds the grant check and the audit events.

Every page is one Section (a kind of the user's data) with a list and a detail page. Showing one more kind
of data (letters, diary) is one more Section in SECTIONS and its two templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts.models import User
from applications.models import Application, DraftVersion
from diary.models import DiaryEntry
from materials.models import Material
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import SupportGrant


def _application_detail(application: Application) -> dict[str, Any]:
    return {
        "score": application.fit_scores.first(),
        "replies": list(application.replies.all()),
        "history": list(application.status_changes.all()),
    }


@dataclass(frozen=True)
class Section:
    slug: str  # in the URL and in the audit event's "page"
    title: str | Promise
    # The user's rows, in list order. Details are fetched from the same queryset, so an object of another
    # user is a 404 even during a grant.
    rows: Callable[[User], models.QuerySet[Any]]
    list_template: str
    detail_template: str
    # Anything else a detail page shows, from the object itself (its score, its replies).
    detail_context: Callable[[Any], dict[str, Any]] = field(default=lambda obj: {})


SECTIONS: list[Section] = [
    Section(
        slug="materials",
        title=_("Materials"),
        rows=lambda user: Material.objects.owned_by(user).defer("text", "extracted_text", "letter_parts"),
        list_template="privacy_rights/support/materials.html",
        detail_template="privacy_rights/support/material.html",
    ),
    Section(
        slug="applications",
        title=_("Applications"),
        rows=lambda user: Application.objects.owned_by(user).defer("posting_text", "notes"),
        list_template="privacy_rights/support/applications.html",
        detail_template="privacy_rights/support/application.html",
        detail_context=_application_detail,
    ),
    Section(
        slug="letters",
        title=_("Letters"),
        rows=lambda user: DraftVersion.objects.owned_by(user).select_related("application"),
        list_template="privacy_rights/support/letters.html",
        detail_template="privacy_rights/support/letter.html",
        detail_context=lambda version: {"sent": list(version.sent_versions.all())},
    ),
    Section(
        slug="diary",
        title=_("Diary"),
        rows=lambda user: DiaryEntry.objects.owned_by(user).select_related("application"),
        list_template="privacy_rights/support/diary.html",
        detail_template="privacy_rights/support/diary_entry.html",
    ),
]
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


@dataclass
class Shown:
    """What a support page shows, and what the user's activity log says about it."""

    template: str
    context: dict[str, Any]
    page: str
    target: models.Model | None = None


SupportPage = Callable[..., Shown]


def _grant_required(view: SupportPage) -> Callable[..., HttpResponse]:
    """Serve a page about one user only while they have an active grant, and record every page served
    (or refused) on that user's own audit chain, where their activity page shows it at once."""

    @wraps(view)
    @require_safe
    def wrapper(request: HttpRequest, user_id: int, **kwargs: Any) -> HttpResponse:
        subject = User.objects.filter(pk=user_id).first()
        grant = SupportGrant.objects.active().filter(user=subject).first() if subject else None
        if subject is None or grant is None:
            # No account: the refusal goes on the system chain (subject=None).
            audit.record(
                Event.SUPPORT_DENIED,
                actor=Actor.operator(request),
                subject=subject,
                data={"page": request.path, "reason": "no active grant"},
            )
            return render(
                request,
                "privacy_rights/support/denied.html",
                {**admin.site.each_context(request), "subject": subject},
                status=403,
            )
        shown = view(request, subject, **kwargs)
        context = {
            **admin.site.each_context(request),
            "subject": subject,
            "grant": grant,
            "sections": SECTIONS,
            **shown.context,
        }
        response = render(request, shown.template, context)
        audit.record(
            Event.SUPPORT_VIEWED,
            actor=Actor.operator(request),
            subject=subject,
            target=shown.target,
            data={"page": shown.page, "grant": grant.pk},
        )
        return response

    wrapper.audit_event = Event.SUPPORT_VIEWED  # type: ignore[attr-defined]
    # The operator site then adds no vaguer "operator viewed" row of its own.
    wrapper.records_own_events = True  # type: ignore[attr-defined]
    return wrapper


@require_safe
def granted_users(request: HttpRequest) -> HttpResponse:
    """Who has asked for help right now: account metadata and the reason they wrote for support."""
    grants = SupportGrant.objects.active().select_related("user").order_by("expires_at", "pk")
    return render(
        request,
        "privacy_rights/support/index.html",
        {**admin.site.each_context(request), "grants": grants, "title": _("Support access")},
    )


# The operator site's admin_view records OPERATOR_VIEWED for this page, on the system chain.
granted_users.audit_event = Event.OPERATOR_VIEWED  # type: ignore[attr-defined]


@_grant_required
def overview(request: HttpRequest, subject: User) -> Shown:
    counts = {section.slug: section.rows(subject).count() for section in SECTIONS}
    return Shown("privacy_rights/support/overview.html", {"counts": counts}, page="overview")


@_grant_required
def section_list(request: HttpRequest, subject: User, *, section: str) -> Shown:
    current = SECTIONS_BY_SLUG[section]
    return Shown(
        current.list_template, {"section": current, "rows": list(current.rows(subject))}, page=section
    )


@_grant_required
def section_detail(request: HttpRequest, subject: User, *, section: str, pk: int) -> Shown:
    current = SECTIONS_BY_SLUG[section]
    # The deferred list fields are loaded here: a detail page shows the full text.
    obj = get_object_or_404(current.rows(subject).defer(None), pk=pk)
    return Shown(
        current.detail_template,
        {"section": current, "object": obj, **current.detail_context(obj)},
        page=f"{section}/{pk}",
        target=obj,
    )


def operator_urls(admin_view: Callable[[Callable[..., HttpResponse]], Any]) -> list[URLPattern]:
    """The support pages, each behind the operator site's `admin_view` (staff, two-factor, audited)."""
    patterns = [
        path("support/", admin_view(granted_users), name="support_index"),
        path("support/<id:user_id>/", admin_view(overview), name="support_overview"),
    ]
    for section in SECTIONS:
        patterns += [
            path(
                f"support/<id:user_id>/{section.slug}/",
                admin_view(section_list),
                {"section": section.slug},
                name=f"support_{section.slug}",
            ),
            path(
                f"support/<id:user_id>/{section.slug}/<id:pk>/",
                admin_view(section_detail),
                {"section": section.slug},
                name=f"support_{section.slug}_detail",
            ),
        ]
    return patterns
