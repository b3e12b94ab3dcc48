"""The user's side of support access: Settings → Support access."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from omoikane.types import AuthenticatedHttpRequest
from privacy_kernel.audit import Actor, audited
from privacy_kernel.events import Event
from privacy_kernel.models import SupportGrant
from privacy_rights.support.actions import do_grant_support, do_revoke_support
from privacy_rights.support.forms import GrantForm

HISTORY_LENGTH = 20


def _render_page(request: AuthenticatedHttpRequest, form: GrantForm, *, status: int = 200) -> HttpResponse:
    grants = SupportGrant.objects.owned_by(request.user)
    return render(
        request,
        "privacy_rights/support.html",
        {
            "form": form,
            "active": SupportGrant.objects.active().owned_by(request.user).first(),
            "history": [g for g in grants[: HISTORY_LENGTH + 1] if not g.is_active][:HISTORY_LENGTH],
        },
        status=status,
    )


@login_required
@require_safe
@audited(Event.ACCOUNT_PAGE_VIEWED)
def support(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_page(request, GrantForm())


@login_required
@require_POST
@audited(writes=[Event.SUPPORT_GRANTED])
def grant(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            do_grant_support(
                request.user,
                duration=form.cleaned_data["duration"],
                reason=form.cleaned_data["reason"],
                actor=Actor.from_request(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Support can now see your data, read-only, until the time shown."))
            return redirect("privacy:support")
    return _render_page(request, form, status=400)


@login_required
@require_POST
@audited(writes=[Event.SUPPORT_REVOKED])
def revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(SupportGrant.objects.owned_by(request.user), pk=pk)
    if not grant.is_active:
        # A second click, or a grant that ran out meanwhile: nothing changes, so nothing is recorded.
        messages.info(request, _("That support access had already ended."))
        return _render_page(request, GrantForm(), status=409)
    do_revoke_support(grant, actor=Actor.from_request(request))
    messages.success(request, _("Support access ended. Support can no longer see your data."))
    return redirect("privacy:support")
