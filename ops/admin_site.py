"""The operator pages (Django admin). Staff need two-factor authentication, every page they open is an
audit event, and only account metadata is registered here: no model holding user content. User content
is reachable only through the support pages (privacy_rights/support/operator.py), mounted here behind the same
checks, and only while the user has granted support access."""

from __future__ import annotations

from functools import wraps
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext_lazy as _

from omoikane.numbers import parse_int
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event


class OperatorAdminSite(admin.AdminSite):
    site_header = _("Omoikane operator")
    site_title = _("Omoikane operator")
    index_title = _("Account metadata")
    index_template = "ops/operator_index.html"
    # Unknown operator URLs are plain 404s, not a view that answers every path.
    final_catch_all_view = False

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and _has_mfa(request))

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if user.is_authenticated and user.is_staff and not _has_mfa(request):
                audit.record(
                    Event.OPERATOR_DENIED,
                    actor=Actor.operator(request),
                    subject=None,
                    data={"page": request.path, "reason": "no two-factor authentication"},
                )
                return render(request, "ops/operator_needs_mfa.html", status=403)
            response = inner(request, *args, **kwargs)
            if (
                self.has_permission(request)
                and response.status_code < 400
                # Support pages record their own, more precise event on the user's chain.
                and not getattr(view, "records_own_events", False)
            ):
                audit.record(
                    Event.OPERATOR_VIEWED,
                    actor=Actor.operator(request),
                    subject=_viewed_account(request, kwargs),
                    data={"page": request.path},
                )
            return response

        return wrapper

    def get_urls(self) -> list[URLResolver | URLPattern]:
        # Imported here: the support pages use content models, which are not loaded when this module is.
        from privacy_rights.support.operator import operator_urls

        # No "view on site" route (r/<content type>/<id>/): it redirected for an object that exists and
        # answered 404 otherwise, telling an operator without a grant what a user holds.
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        _mark_audited(urls)
        # Before the admin's own patterns, whose app index would otherwise try "support/" as an app label.
        return [*operator_urls(self.admin_view), *urls]


def _has_mfa(request: HttpRequest) -> bool:
    """is_mfa_enabled() once per request: a page asks several times (permission, app list, audit)."""
    cached: bool | None = getattr(request, "_operator_has_mfa", None)
    if cached is None:
        cached = bool(is_mfa_enabled(request.user))
        setattr(request, "_operator_has_mfa", cached)  # noqa: B010
    return cached


def _mark_audited(patterns: list[Any]) -> None:
    """Django wraps each operator view so that it calls admin_view() per request; the wrappers carry
    `admin_site` or `model_admin`. Marking them lets the audit-coverage test see what admin_view does."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _mark_audited(entry.url_patterns)
        elif hasattr(entry.callback, "admin_site") or hasattr(entry.callback, "model_admin"):
            entry.callback.audit_event = Event.OPERATOR_VIEWED


def _viewed_account(request: HttpRequest, kwargs: dict[str, Any]) -> Any:
    """The account an operator page is about, so that its owner sees the visit in their activity log."""
    # Inside: this module builds the operator site while the apps load, before models can be imported.
    from accounts.models import User

    match = request.resolver_match
    if match is None or not (match.url_name or "").startswith("accounts_user_"):
        return None
    object_id = parse_int(kwargs.get("object_id"))
    if object_id is None:
        return None
    return User.objects.filter(pk=object_id).first()
