from __future__ import annotations

import httpx
from django.test import override_settings
from django.urls import reverse

from billing.models import BillingAccount, Plan
from billing.testing import event
from billing.tests.base import StripeTestCase
from omoikane import limits
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent


class CheckoutTests(StripeTestCase):
    def test_it_makes_a_customer_and_sends_the_user_to_checkout(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.post(reverse("billing:checkout"))
        account = BillingAccount.objects.get(user=self.alice)
        self.assertEqual(r.status_code, 302)
        self.assertTrue(r["Location"].startswith(self.stripe.hosted_base + "/c/pay/cs_test_"))
        session = self.stripe.sessions.checkout[r["Location"].rsplit("/", 1)[1]]
        self.assertEqual(session["customer"], account.customer_id)
        self.assertTrue(session["success_url"].endswith(reverse("billing:plan") + "?return=checkout"))
        self.assertFalse(session["automatic_tax"]["enabled"])
        # Only what Stripe needs: the address, at the customer's creation.
        customer = self.stripe.retrieve("customer", account.customer_id)
        self.assertEqual(customer.email, "alice@example.org")
        self.assertEqual((account.plan, account.status, account.subscription_id), (Plan.FREE, "", ""))

    def test_it_audits_every_call_to_stripe_with_the_data_categories(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(reverse("billing:checkout"))
        calls = AuditEvent.objects.filter(subject=self.alice, event=Event.SUB_PROCESSOR_CALLED).order_by(
            "sequence"
        )
        self.assertEqual(
            [
                (c.actor_kind, c.actor_label, c.metadata["purpose"], c.metadata["data_categories"])
                for c in calls
            ],
            [
                (ActorKind.SUB_PROCESSOR, "stripe", "create customer", ["email address"]),
                (
                    ActorKind.SUB_PROCESSOR,
                    "stripe",
                    "open checkout",
                    ["Stripe customer id", "return addresses of this site"],
                ),
            ],
        )
        self.assertTrue(AuditEvent.objects.filter(subject=self.alice, event=Event.CHECKOUT_STARTED).exists())

    @override_settings(STRIPE_TAX=True)
    def test_it_asks_stripe_tax_for_eu_vat_when_enabled(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.post(reverse("billing:checkout"))
        self.assertTrue(
            self.stripe.sessions.checkout[r["Location"].rsplit("/", 1)[1]]["automatic_tax"]["enabled"]
        )

    def test_it_gives_the_paid_plan_once_checkout_is_complete(self) -> None:
        account = self.subscribe(self.alice)
        self.assertEqual(limits.quota(self.alice, limits.DRAFTS_PER_MONTH).limit, 3)
        r = self.deliver(
            event(
                "checkout.session.completed", {"object": "checkout.session", "customer": account.customer_id}
            )
        )
        self.assertEqual((r.status_code, r.content), (200, b"updated"))
        account.refresh_from_db()
        self.assertEqual((account.plan, account.status), (Plan.PAID, "active"))
        self.assertTrue(account.subscription_id.startswith("sub_"))
        self.assertIsNotNone(account.current_period_end)
        quota = limits.quota(self.alice, limits.DRAFTS_PER_MONTH)
        self.assertEqual((quota.limit, quota.upgrade_url), (200, ""))
        changed = AuditEvent.objects.get(subject=self.alice, event=Event.SUBSCRIPTION_CHANGED)
        self.assertEqual(
            (changed.actor_kind, changed.metadata["status"], changed.metadata["plan"]),
            (ActorKind.SUB_PROCESSOR, "active", "paid"),
        )

    def test_it_asks_stripe_when_the_user_returns_before_the_webhook(self) -> None:
        self.subscribe(self.alice)
        self.client.force_login(self.alice)
        r = self.client.get(reverse("billing:plan") + "?return=checkout")
        self.assertContains(r, "Your plan: Paid.")
        self.assertEqual(BillingAccount.objects.get(user=self.alice).status, "active")

    def test_it_sends_a_paying_user_to_the_portal_instead(self) -> None:
        self.subscribe(self.alice)
        self.client.force_login(self.alice)
        self.client.get(reverse("billing:plan") + "?return=checkout")
        r = self.client.post(reverse("billing:checkout"), follow=True)
        self.assertContains(r, "You are on the paid plan already.")
        self.assertEqual(len(self.stripe.sessions.checkout), 1)

    def test_it_opens_the_portal_and_reads_the_cancellation_on_return(self) -> None:
        self.subscribe(self.alice)
        self.client.force_login(self.alice)
        self.client.get(reverse("billing:plan") + "?return=checkout")
        r = self.client.post(reverse("billing:portal"))
        self.assertTrue(r["Location"].startswith(self.stripe.hosted_base + "/p/session/bps_"))
        session = self.stripe.sessions.portal[r["Location"].rsplit("/", 1)[1]]
        # The user cancels on the portal's page, which sends them back to us.
        cancelled = httpx.post(r["Location"] + "/cancel", follow_redirects=False)
        self.assertEqual((cancelled.status_code, cancelled.headers["location"]), (303, session["return_url"]))
        r = self.client.get(reverse("billing:plan") + "?return=portal")
        self.assertContains(r, "Your plan: Free.")
        self.assertContains(r, "Upgrade to the paid plan")
        self.assertEqual(BillingAccount.objects.get(user=self.alice).status, "canceled")
        self.assertTrue(
            AuditEvent.objects.filter(subject=self.alice, event=Event.BILLING_PORTAL_OPENED).exists()
        )

    def test_it_tells_a_user_without_a_customer_to_subscribe_first(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.post(reverse("billing:portal"), follow=True)
        self.assertContains(r, "You have no subscription yet")

    def test_it_says_so_when_stripe_cannot_be_reached_and_stores_nothing(self) -> None:
        self.client.force_login(self.alice)
        with override_settings(STRIPE_API_BASE="http://127.0.0.1:9"):
            r = self.client.post(reverse("billing:checkout"), follow=True)
        self.assertContains(r, "Stripe could not be reached just now.")
        self.assertFalse(BillingAccount.objects.exists())
        failed = AuditEvent.objects.get(subject=self.alice, event=Event.SUB_PROCESSOR_CALLED)
        self.assertEqual(failed.metadata["outcome"], "error: APIConnectionError")

    def test_it_shows_the_plans(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.get(reverse("billing:plan"))
        self.assertContains(r, "Your plan: Free.")
        self.assertContains(r, "<td>200</td>", html=False)
        # Its forms may end on Stripe's hosted pages, and nowhere else.
        self.assertIn(f"form-action 'self' {self.stripe.hosted_base}", r["Content-Security-Policy"])
        self.assertTrue(AuditEvent.objects.filter(subject=self.alice, event=Event.BILLING_VIEWED).exists())

    @override_settings(STRIPE_SECRET_KEY=None)
    def test_it_is_off_without_stripe_and_limits_nothing(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("billing:plan")), "Billing is off on this server")
        self.assertEqual(self.client.post(reverse("billing:checkout")).status_code, 404)
        self.assertEqual(self.client.post(reverse("billing:portal")).status_code, 404)
        self.assertEqual(limits.quota(self.alice, limits.DRAFTS_PER_MONTH), limits.NO_LIMIT)
        self.assertEqual(limits.quota(self.alice, limits.STORAGE_BYTES), limits.NO_LIMIT)
