"""Paying, in a real browser: subscribe through Checkout (the local Stripe's hosted page), see the paid plan,
open the customer portal, cancel there, and come back to the free plan. The app runs the real `stripe` SDK
against localstripe (billing/testing.py); no webhook is delivered, so the plan page's own reading of Stripe
on return is what the journey sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from billing import testing
from billing.models import BillingAccount
from omoikane.testing import make_user
from tests_browser.journeys import sign_in

EMAIL = "ingrid.berg@example.org"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_subscribes_sees_the_plan_opens_the_portal_and_cancels(
    live_server: Any, page: Page, settings: Settings
) -> None:
    stripe = testing.local_stripe()
    settings.STRIPE_SECRET_KEY = testing.SECRET_KEY
    settings.STRIPE_API_BASE = stripe.api_base
    settings.STRIPE_WEBHOOK_SECRET = testing.WEBHOOK_SECRET
    settings.STRIPE_PRICE_PAID = testing.PAID_PRICE
    settings.STRIPE_HOSTED_ORIGINS = [stripe.hosted_base]
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    make_user(EMAIL, name="Ingrid Berg")
    base = live_server.url
    sign_in(page, base, EMAIL)
    # Signing in lands on the home page; the plan is under Settings.
    page.goto(base + reverse("accounts:settings"))

    with page.expect_navigation():
        page.locator("nav.settings-nav").get_by_role("link", name="Plan and billing", exact=True).click()
    expect(page.locator("#current-plan")).to_contain_text("Your plan: Free.")

    # Checkout: Stripe's page, on Stripe's origin; the card is typed there, never on ours.
    with page.expect_navigation():
        page.get_by_role("button", name="Upgrade to the paid plan").click()
    assert page.url.startswith(stripe.hosted_base + "/c/pay/"), page.url
    with page.expect_navigation():
        page.get_by_role("button", name="Subscribe").click()
    assert page.url.startswith(base + reverse("billing:plan")), page.url
    expect(page.locator("#current-plan")).to_contain_text("Your plan: Paid.")
    expect(page.locator("main")).to_contain_text("The paid period runs until")
    account = BillingAccount.objects.get(user__email=EMAIL)
    assert (account.plan, account.status) == ("paid", "active")

    # The portal, where the user cancels; back on our page, the plan is free again.
    with page.expect_navigation():
        page.get_by_role("button", name="Manage billing: plan, card, invoices, cancel").click()
    assert page.url.startswith(stripe.hosted_base + "/p/session/"), page.url
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel subscription").click()
    expect(page.locator("#current-plan")).to_contain_text("Your plan: Free.")
    expect(page.get_by_role("button", name="Upgrade to the paid plan")).to_be_visible()
    account.refresh_from_db()
    assert account.status == "canceled"
    assert not csp_violations, csp_violations
