from __future__ import annotations

import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from billing import plans, webhooks
from billing.actions import open_portal, start_checkout, sync
from billing.models import BillingAccount, Plan
from omoikane.types import AuthenticatedHttpRequest
from privacy_kernel.audit import Actor, audited, public, set_target
from privacy_kernel.events import Event

logger = logging.getLogger(__name__)

# After Checkout or the portal, the webhook may not have arrived yet: the page asks Stripe itself.
RETURNS = ("checkout", "portal")


def _unreachable(request: HttpRequest) -> None:
    messages.error(request, _("Stripe could not be reached just now. Nothing was changed; please try again."))


@login_required
@require_safe
@audited(Event.BILLING_VIEWED, writes=[Event.SUB_PROCESSOR_CALLED, Event.SUBSCRIPTION_CHANGED])
def plan(request: AuthenticatedHttpRequest) -> HttpResponse:
    enabled = plans.enabled()
    account = BillingAccount.objects.owned_by(request.user).first() if enabled else None
    if account is not None:
        set_target(request, account)
        if request.GET.get("return") in RETURNS:
            try:
                sync(account, actor=Actor.from_request(request))
            except stripe.StripeError:
                _unreachable(request)
    current = account.effective_plan if account is not None else Plan.FREE
    context = {
        "enabled": enabled,
        "account": account,
        "current": current,
        "current_label": Plan(current).label,
        "free": plans.limits_of(Plan.FREE),
        "paid": plans.limits_of(Plan.PAID),
        "tax": settings.STRIPE_TAX,
    }
    response = render(request, "billing/plan.html", context)
    if enabled:
        # This page's forms end on Stripe's hosted pages (the checkout and portal views redirect there), and
        # browsers hold a form's redirects to the page's form-action. What csp_override does, with the
        # origins read now rather than at import.
        response._csp_config = {  # type: ignore[attr-defined]
            **settings.SECURE_CSP,
            "form-action": [CSP.SELF, *settings.STRIPE_HOSTED_ORIGINS],
        }
    return response


def _absolute(request: HttpRequest, name: str, back: str) -> str:
    return request.build_absolute_uri(reverse(name)) + f"?return={back}"


@login_required
@require_POST
@audited(writes=[Event.CHECKOUT_STARTED, Event.SUB_PROCESSOR_CALLED])
def checkout(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not plans.enabled():
        raise Http404
    if plans.plan_of(request.user) == Plan.PAID:
        messages.info(request, _("You are on the paid plan already. Change it in the billing portal."))
        return redirect("billing:plan")
    try:
        url = start_checkout(
            request.user,
            success_url=_absolute(request, "billing:plan", "checkout"),
            cancel_url=request.build_absolute_uri(reverse("billing:plan")),
            actor=Actor.from_request(request),
        )
    except stripe.StripeError:
        logger.warning("Stripe refused or did not answer a checkout for user %s", request.user.pk)
        _unreachable(request)
        return redirect("billing:plan")
    return redirect(url)


@login_required
@require_POST
@audited(writes=[Event.BILLING_PORTAL_OPENED, Event.SUB_PROCESSOR_CALLED])
def portal(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not plans.enabled():
        raise Http404
    account = BillingAccount.objects.owned_by(request.user).first()
    if account is None:
        messages.info(request, _("You have no subscription yet: choose the paid plan first."))
        return redirect("billing:plan")
    try:
        url = open_portal(
            account,
            return_url=_absolute(request, "billing:plan", "portal"),
            actor=Actor.from_request(request),
        )
    except stripe.StripeError:
        logger.warning("Stripe refused or did not answer a portal session for user %s", request.user.pk)
        _unreachable(request)
        return redirect("billing:plan")
    return redirect(url)


@csrf_exempt  # Stripe cannot hold a CSRF token; the signature over the raw body authenticates it.
@require_POST
@public("Stripe's webhook: no session; the signature is verified and the effects are audited by the actions")
def webhook(request: HttpRequest) -> HttpResponse:
    if not plans.enabled() or not settings.STRIPE_WEBHOOK_SECRET:
        raise Http404
    try:
        event = webhooks.verify(request.body, request.headers.get("Stripe-Signature"))
    except webhooks.BadEvent as error:
        return HttpResponse(f"Refused: {error}", status=400, content_type="text/plain")
    try:
        outcome = webhooks.handle(event)
    except stripe.StripeError as error:
        # Stripe delivers the event again later; by then its API may answer.
        logger.warning("Stripe event %s left for a redelivery: %s", event["id"], type(error).__name__)
        return HttpResponse("Stripe unreachable; send it again", status=503, content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
