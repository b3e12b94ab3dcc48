from __future__ import annotations

from django.core import mail
from django.test import override_settings

from billing.tests.base import StripeTestCase
from privacy_kernel.audit import Actor
from privacy_rights.actions import do_request_erasure
from privacy_rights.erasure import run_erasure


class ErasureTests(StripeTestCase):
    def erase(self) -> str:
        erasure = do_request_erasure(self.alice, actor=Actor.system("test"))
        run_erasure(erasure.pk)
        return str(mail.outbox[-1].body)

    def test_it_cancels_the_subscription_and_deletes_the_customer(self) -> None:
        account = self.subscribe(self.alice)
        subscription = self.stripe.subscriptions_of(account.customer_id)[0]
        # No webhook has told us of the subscription yet: erasure asks Stripe which there are.
        body = self.erase()
        self.assertEqual(self.stripe.retrieve("subscription", subscription.id).status, "canceled")
        self.assertIsNone(self.stripe.retrieve("customer", account.customer_id))
        self.assertIn("Stripe customer record (subscription cancelled at once, customer deleted): 1", body)

    def test_it_finishes_the_erasure_and_says_why_stripe_kept_the_customer(self) -> None:
        account = self.subscribe(self.alice)
        with (
            override_settings(STRIPE_API_BASE="http://127.0.0.1:9"),
            self.assertLogs("billing.privacy", "ERROR") as logs,
        ):
            body = self.erase()
        self.assertIn(account.customer_id, logs.output[0])
        self.assertIn(
            "Stripe customer record (subscription cancelled at once, customer deleted): not deleted: "
            "Stripe did not answer or refused (APIConnectionError)",
            body,
        )
        self.assertIsNotNone(self.stripe.retrieve("customer", account.customer_id))

    def test_it_counts_nothing_for_a_user_who_never_subscribed(self) -> None:
        body = self.erase()
        self.assertIn("Stripe customer record (subscription cancelled at once, customer deleted): 0", body)
