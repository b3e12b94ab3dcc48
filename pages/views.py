from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from billing.plans import enabled as billing_enabled
from pages.changelog import RELEASES, SECURITY_CREDITS
from privacy_kernel.audit import public
from privacy_rights.subprocessors import SUB_PROCESSORS, drafting_status

# security.txt must not be valid for more than a year (RFC 9116 §2.5.5); we restate it every 180 days.
SECURITY_TXT_VALIDITY = timedelta(days=180)

_PUBLIC = "public page with no user data"


def _figures() -> dict[str, object]:
    """The numbers the Security & data page promises, read from the settings the code enforces."""
    return {
        "audit_hot_days": settings.AUDIT_HOT_DAYS,
        "audit_archive_months": settings.AUDIT_ARCHIVE_MONTHS,
        "export_within_hours": settings.EXPORT_WITHIN_HOURS,
        "erasure_within_days": settings.ERASURE_WITHIN_DAYS,
        "replication_factor": settings.REPLICATION_FACTOR,
        "support_grant_max_days": settings.SUPPORT_GRANT_MAX_DAYS,
        "data_region": settings.DATA_REGION,
        "security_contact": settings.SECURITY_CONTACT,
        # The billing line shows only where billing runs (Stripe configured).
        "billing_enabled": billing_enabled(),
    }


@require_safe
@public(_PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html", _figures())


@require_safe
@public(_PUBLIC)
def security(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/security.html", {**_figures(), "sub_processors": SUB_PROCESSORS})


@require_safe
@public(_PUBLIC)
def subprocessors(request: HttpRequest) -> HttpResponse:
    return render(
        request, "pages/subprocessors.html", {"sub_processors": SUB_PROCESSORS, "drafting": drafting_status()}
    )


@require_safe
@public(_PUBLIC)
def privacy_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html", {**_figures(), "sub_processors": SUB_PROCESSORS})


@require_safe
@public(_PUBLIC)
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/terms.html", _figures())


@require_safe
@public(_PUBLIC)
def changelog(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/changelog.html",
        {"releases": RELEASES, "credits": SECURITY_CREDITS, "security_contact": settings.SECURITY_CONTACT},
    )


@require_safe
@public("RFC 9116 contact file, no user data")
def security_txt(request: HttpRequest) -> HttpResponse:
    expires = (timezone.now() + SECURITY_TXT_VALIDITY).replace(microsecond=0)
    lines = [
        f"Contact: mailto:{settings.SECURITY_CONTACT}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: " + ", ".join(code for code, _name in settings.LANGUAGES),
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
        f"Policy: {settings.SITE_URL}/security/#vulnerability-reports",
        f"Acknowledgments: {settings.SITE_URL}/changelog/#security-credits",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@public("error page shown when a form is posted without a valid CSRF token")
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "pages/csrf_failure.html", status=403)
