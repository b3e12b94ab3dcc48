"""Billing tests run the real `stripe` SDK against a local Stripe (billing/testing.py) over HTTP."""

from __future__ import annotations

from typing import Any, ClassVar

from django.test import override_settings
from django.urls import reverse

from billing import testing
from billing.actions import start_checkout
from billing.models import BillingAccount
from billing.testing import LocalStripe
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor

ACTOR = Actor.system("test")


class StripeTestCase(BaseTestCase):
    stripe: ClassVar[LocalStripe]
    settings_override: ClassVar[Any]

    @classmethod
    def setUpClass(cls) -> None:
        cls.stripe = testing.local_stripe()
        cls.settings_override = override_settings(
            STRIPE_SECRET_KEY=testing.SECRET_KEY,
            STRIPE_API_BASE=cls.stripe.api_base,
            STRIPE_WEBHOOK_SECRET=testing.WEBHOOK_SECRET,
            STRIPE_PRICE_PAID=testing.PAID_PRICE,
            STRIPE_MAX_NETWORK_RETRIES=0,
            STRIPE_HOSTED_ORIGINS=[cls.stripe.hosted_base],
            BILLING_FREE_DRAFTS_PER_MONTH=3,
            BILLING_FREE_STORAGE_MB=1,
        )
        cls.settings_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.settings_override.disable()

    def setUp(self) -> None:
        super().setUp()
        self.stripe.reset()

    def subscribe(self, user: Any) -> BillingAccount:
        """Alice through Checkout: the session made by our action, paid on the local Stripe's page."""
        url = start_checkout(
            user, success_url="http://testserver/ok", cancel_url="http://testserver/no", actor=ACTOR
        )
        session_id = url.rsplit("/", 1)[1]
        self.stripe.call(lambda: self.stripe.complete_checkout(session_id))
        return BillingAccount.objects.get(user=user)

    def deliver(self, event: dict[str, Any], **signing: Any) -> Any:
        payload, signature = testing.signed(event, **signing)
        return self.client.post(
            reverse("billing:webhook"),
            payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature,
        )

    def subscription_json(self, account: BillingAccount) -> dict[str, Any]:
        subscription = self.stripe.retrieve(
            "subscription", self.stripe.subscriptions_of(account.customer_id)[0].id
        )
        return dict(subscription._export())
