"""Stripe's webhook: verify, then act once per event.

- The signature is checked on the raw body, with a timestamp tolerance, before anything is parsed.
- Each event's id is stored under a unique constraint in the transaction of its effect
  (actions.do_store_state), so a redelivered or replayed event does nothing twice.
- The event's payload is only a hint of whom it concerns: the subscription's state is read from Stripe,
  so events that arrive out of order still leave the newest state.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import stripe
from django.conf import settings

from billing.actions import do_mark_event_seen, sync
from billing.models import BillingAccount, ProcessedEvent
from privacy_kernel.audit import Actor

logger = logging.getLogger(__name__)

# Events after which the subscription may have changed.
FOLLOWED = frozenset(
    {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
        "customer.deleted",
        "invoice.paid",
        "invoice.payment_succeeded",
        "invoice.payment_failed",
    }
)


class BadEvent(Exception):
    """The request is not a genuine, readable Stripe event."""


def verify(payload: bytes, signature: str | None) -> dict[str, Any]:
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as error:
        raise BadEvent("signature") from error
    except UnicodeDecodeError as error:
        # The SDK decodes the body before checking it; Stripe only ever sends UTF-8.
        raise BadEvent("encoding") from error
    try:
        event = json.loads(payload)
    except ValueError as error:
        raise BadEvent("json") from error
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not event["id"]:
        raise BadEvent("shape")
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise BadEvent("shape")
    return event


def customer_of(event: dict[str, Any]) -> str:
    obj = event["data"]["object"]
    if obj.get("object") == "customer":
        return str(obj.get("id") or "")
    customer = obj.get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    return str(customer or "")


def handle(event: dict[str, Any]) -> str:
    """Act on a verified event; returns what was done ("updated", "unchanged", "duplicate", "ignored")."""
    event_id = str(event["id"])
    if ProcessedEvent.objects.filter(event_id=event_id).exists():
        return "duplicate"
    customer_id = customer_of(event)
    account = (
        BillingAccount.objects.select_related("user").filter(customer_id=customer_id).first()
        if customer_id
        else None
    )
    if event.get("type") not in FOLLOWED or account is None:
        if account is None and customer_id:
            # Not ours (another integration on the Stripe account), or an account erased since.
            logger.info("Stripe event %s names a customer we do not hold", event_id)
        return "ignored" if do_mark_event_seen(event_id) else "duplicate"
    before = (account.status, account.plan, account.current_period_end)
    if not sync(account, actor=Actor.sub_processor("stripe"), event_id=event_id):
        return "duplicate"
    return "unchanged" if before == (account.status, account.plan, account.current_period_end) else "updated"
