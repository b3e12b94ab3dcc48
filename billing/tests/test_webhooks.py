from __future__ import annotations

import time

from django.test import override_settings
from django.urls import reverse
from localstripe import resources

from billing import testing
from billing.models import BillingAccount, Plan, ProcessedEvent
from billing.testing import event
from billing.tests.base import StripeTestCase
from omoikane import limits
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class WebhookTests(StripeTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.account = self.subscribe(self.alice)
        self.subscription_id = self.stripe.subscriptions_of(self.account.customer_id)[0].id
        r = self.deliver(self.subscription_event("customer.subscription.created"))
        self.assertEqual(r.content, b"updated")
        self.account.refresh_from_db()

    def subscription_event(self, kind: str, **changes: object) -> dict[str, object]:
        """An event whose payload is the subscription as Stripe has it now, with `changes` (a stale copy)."""
        payload = (
            self.subscription_json(self.account)
            if self.stripe.subscriptions_of(self.account.customer_id)
            else {}
        )
        payload = {
            **payload,
            "object": "subscription",
            "id": self.subscription_id,
            "customer": self.account.customer_id,
        }
        return event(kind, {**payload, **changes})

    def invoice_event(self, kind: str) -> dict[str, object]:
        return event(
            kind,
            {"object": "invoice", "customer": self.account.customer_id, "subscription": self.subscription_id},
        )

    def changes(self) -> list[tuple[str, str]]:
        rows = AuditEvent.objects.filter(subject=self.alice, event=Event.SUBSCRIPTION_CHANGED).order_by(
            "sequence"
        )
        return [(row.metadata["status"], row.metadata["plan"]) for row in rows]

    def test_it_follows_a_renewal(self) -> None:
        before = self.account.current_period_end
        assert before is not None
        self.stripe.clock_renew(self.subscription_id)
        self.assertEqual(self.deliver(self.invoice_event("invoice.paid")).content, b"updated")
        self.account.refresh_from_db()
        self.assertEqual((self.account.status, self.account.plan), ("active", Plan.PAID))
        assert self.account.current_period_end is not None
        self.assertGreater(self.account.current_period_end, before)

    def test_it_keeps_the_paid_plan_during_dunning_and_ends_it_when_stripe_gives_up(self) -> None:
        self.stripe.clock_renew(self.subscription_id, card=testing.FAILING_CARD)
        self.assertEqual(self.deliver(self.invoice_event("invoice.payment_failed")).content, b"updated")
        self.account.refresh_from_db()
        self.assertEqual((self.account.status, self.account.effective_plan), ("past_due", Plan.PAID))
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("billing:plan")), "Your last payment failed.")
        self.stripe.set_status(self.subscription_id, "unpaid")
        self.deliver(self.subscription_event("customer.subscription.updated"))
        self.account.refresh_from_db()
        self.assertEqual((self.account.status, self.account.effective_plan), ("unpaid", Plan.FREE))
        self.assertEqual(limits.quota(self.alice, limits.DRAFTS_PER_MONTH).limit, 3)
        self.assertEqual(self.changes(), [("active", "paid"), ("past_due", "paid"), ("unpaid", "paid")])

    def test_it_follows_a_plan_change(self) -> None:
        self.stripe.call(
            lambda: resources.Plan(
                id="price_other", amount=100, currency="eur", interval="month", name="Other"
            )
        )
        self.stripe.change_price(self.subscription_id, "price_other")
        self.deliver(self.subscription_event("customer.subscription.updated"))
        self.account.refresh_from_db()
        self.assertEqual(
            (self.account.status, self.account.plan, self.account.effective_plan),
            ("active", Plan.FREE, Plan.FREE),
        )
        self.stripe.change_price(self.subscription_id, testing.PAID_PRICE)
        self.deliver(self.subscription_event("customer.subscription.updated"))
        self.account.refresh_from_db()
        self.assertEqual(self.account.effective_plan, Plan.PAID)

    def test_it_follows_a_cancellation(self) -> None:
        self.stripe.call(
            lambda: self.stripe.subscriptions_of(self.account.customer_id)[0]._api_delete(
                self.subscription_id
            )
        )
        self.deliver(self.subscription_event("customer.subscription.deleted", status="canceled"))
        self.account.refresh_from_db()
        self.assertEqual((self.account.status, self.account.effective_plan), ("canceled", Plan.FREE))

    def test_it_acts_once_on_a_duplicated_event(self) -> None:
        self.stripe.clock_renew(self.subscription_id, card=testing.FAILING_CARD)
        failed = self.invoice_event("invoice.payment_failed")
        self.assertEqual(self.deliver(failed).content, b"updated")
        # Meanwhile the card was fixed; the same event delivered again must not be acted on again.
        self.stripe.clock_renew(self.subscription_id, card=testing.GOOD_CARD)
        r = self.deliver(failed)
        self.assertEqual((r.status_code, r.content), (200, b"duplicate"))
        self.assertEqual(ProcessedEvent.objects.filter(event_id=failed["id"]).count(), 1)
        self.assertEqual(self.changes(), [("active", "paid"), ("past_due", "paid")])

    def test_it_refuses_a_replayed_event_signed_too_long_ago(self) -> None:
        old = int(time.time()) - 301
        r = self.deliver(self.invoice_event("invoice.paid"), timestamp=old)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(ProcessedEvent.objects.count(), 1)

    def test_it_resolves_events_out_of_order_by_stripes_state(self) -> None:
        self.stripe.call(
            lambda: self.stripe.subscriptions_of(self.account.customer_id)[0]._api_delete(
                self.subscription_id
            )
        )
        deleted = self.subscription_event("customer.subscription.deleted", status="canceled")
        # An older update, sent before the cancellation but delivered after it, still says "active".
        late = self.subscription_event("customer.subscription.updated", status="active")
        late["created"] = int(deleted["created"]) - 60  # type: ignore[call-overload]
        self.deliver(deleted)
        self.assertEqual(self.deliver(late).content, b"unchanged")
        self.account.refresh_from_db()
        self.assertEqual(self.account.status, "canceled")

    def test_it_refuses_a_wrong_signature(self) -> None:
        r = self.deliver(self.invoice_event("invoice.paid"), secret="whsec_someone_else")
        self.assertEqual(r.status_code, 400)
        self.assertEqual(ProcessedEvent.objects.count(), 1)

    def test_it_refuses_a_missing_signature(self) -> None:
        payload, _signature = testing.signed(self.invoice_event("invoice.paid"))
        r = self.client.post(reverse("billing:webhook"), payload, content_type="application/json")
        self.assertEqual(r.status_code, 400)

    def test_it_refuses_a_signed_body_that_is_no_event(self) -> None:
        for body in (
            [1, 2],
            {"type": "invoice.paid"},
            {"id": "evt_1", "data": [1]},
            {"id": "evt_2", "data": {}},
        ):
            payload, signature = testing.signed(body)  # type: ignore[arg-type]
            r = self.client.post(
                reverse("billing:webhook"),
                payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature,
            )
            self.assertEqual(r.status_code, 400)

    def test_it_refuses_a_body_that_is_not_utf8(self) -> None:
        r = self.client.post(
            reverse("billing:webhook"),
            b"\xff\xfe",
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE="t=1,v1=ab",
        )
        self.assertEqual(r.status_code, 400)

    def test_it_ignores_an_event_for_an_unknown_customer(self) -> None:
        r = self.deliver(event("invoice.paid", {"object": "invoice", "customer": "cus_nobody"}))
        self.assertEqual((r.status_code, r.content), (200, b"ignored"))
        self.account.refresh_from_db()
        self.assertEqual(self.account.status, "active")

    def test_it_ignores_events_it_does_not_follow(self) -> None:
        r = self.deliver(
            event("charge.succeeded", {"object": "charge", "customer": self.account.customer_id})
        )
        self.assertEqual(r.content, b"ignored")

    def test_it_asks_for_a_redelivery_when_stripe_cannot_be_read(self) -> None:
        with override_settings(STRIPE_API_BASE="http://127.0.0.1:9"):
            r = self.deliver(self.invoice_event("invoice.paid"))
        self.assertEqual(r.status_code, 503)
        self.assertEqual(ProcessedEvent.objects.count(), 1)

    def test_it_frees_the_account_when_the_customer_is_deleted_at_stripe(self) -> None:
        self.stripe.call(lambda: resources.Customer._api_delete(self.account.customer_id))
        r = self.deliver(
            event("customer.deleted", {"object": "customer", "id": self.account.customer_id, "deleted": True})
        )
        self.assertEqual(r.content, b"updated")
        self.account.refresh_from_db()
        self.assertEqual(
            (self.account.status, self.account.subscription_id, self.account.effective_plan),
            ("", "", Plan.FREE),
        )

    @override_settings(STRIPE_SECRET_KEY=None)
    def test_it_is_not_there_without_stripe(self) -> None:
        self.assertEqual(self.deliver(self.invoice_event("invoice.paid")).status_code, 404)
        self.assertEqual(BillingAccount.objects.get().status, "active")
