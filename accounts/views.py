from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.actions import do_change_language, do_update_profile
from accounts.forms import LanguageForm, ProfileForm
from omoikane.types import AuthenticatedHttpRequest
from privacy_kernel.audit import Actor, audited
from privacy_kernel.events import Event


@login_required
@require_http_methods(["GET", "POST"])
@audited(Event.ACCOUNT_PAGE_VIEWED, writes=[Event.PROFILE_UPDATED, Event.LANGUAGE_CHANGED])
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            do_update_profile(
                user,
                name=form.cleaned_data["name"],
                language=form.cleaned_data["language"],
                time_zone=form.cleaned_data["time_zone"] or None,
                actor=Actor.from_request(request),
            )
            translation.activate(user.language)
            messages.success(request, _("Your settings were saved."))
            return redirect("accounts:settings")
        status = 400
    else:
        form = ProfileForm(
            initial={"name": user.name, "language": user.language, "time_zone": user.time_zone}
        )
        status = 200
    return render(request, "accounts/settings.html", {"form": form}, status=status)


@require_POST
@audited(writes=[Event.LANGUAGE_CHANGED])
def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's language switch: stored on the account when signed in, in a cookie either way."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown language."))
    language = form.cleaned_data["language"]
    next_url = form.cleaned_data["next"] or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_authenticated:
        do_change_language(request.user, language, actor=Actor.from_request(request))
    response = HttpResponseRedirect(next_url)
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
