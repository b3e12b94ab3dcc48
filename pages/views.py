from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from billing.plans import enabled as billing_enabled
from omoikane.replication import replication_state
from omoikane.types import AuthenticatedHttpRequest
from ops.evidence import evidence
from pages import dashboard
from pages.changelog import RELEASES, SECURITY_CREDITS
from privacy_kernel.audit import audited, public
from privacy_kernel.events import Event
from privacy_rights.subprocessors import SUB_PROCESSORS, drafting_status

# security.txt must not be valid for more than a year (RFC 9116 §2.5.5); we restate it every 180 days.
SECURITY_TXT_VALIDITY = timedelta(days=180)

_PUBLIC = "public page with no user data"


def _figures() -> dict[str, object]:
    """The numbers the Security & data page promises, read from the settings the code enforces."""
    return {
        "audit_hot_days": settings.AUDIT_HOT_DAYS,
        "backup_keep_monthly_months": settings.BACKUP_KEEP_MONTHLY_MONTHS,
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
@public("the public front page; a signed-in user is sent on to their own home page, which is audited")
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:start")
    return render(request, "pages/home.html", _figures())


@login_required
@require_safe
@audited(Event.HOME_VIEWED)
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in user's home: what to do now."""
    return render(request, "pages/start.html", {"board": dashboard.build(request.user)})


@require_safe
@public(_PUBLIC)
def security(request: HttpRequest) -> HttpResponse:
    # Read from the database on every request: the page shows the copies there are, not the ones promised.
    replication = replication_state(settings.REPLICATION_FACTOR)
    return render(
        request,
        "pages/security.html",
        {**_figures(), "sub_processors": SUB_PROCESSORS, "replication": replication, **evidence()},
    )


@require_safe
@public(_PUBLIC)
def subprocessors(request: HttpRequest) -> HttpResponse:
    residency = {
        # The same allowlist the residency check holds every place to (ops/residency.py).
        "residency_regions": ", ".join(settings.RESIDENCY_REGIONS),
        "residency_suffixes": ", ".join(settings.RESIDENCY_HOST_SUFFIXES),
    }
    return render(
        request,
        "pages/subprocessors.html",
        {"sub_processors": SUB_PROCESSORS, "drafting": drafting_status(), **residency},
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
