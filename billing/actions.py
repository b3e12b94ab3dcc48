"""Billing's actions: open Checkout or the portal, and store what Stripe says the subscription is.

The subscription's state is always read from Stripe (`fetch_state`) and stored whole by
`do_store_state`, never pieced together from webhook payloads: events arrive late, twice or out of
order, and the newest answer from Stripe is right whatever the order they came in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import stripe
from django.conf import settings
from django.utils import timezone

from billing import stripe_api
from billing.models import PAID_STATUSES, BillingAccount, Plan, ProcessedEvent
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class SubscriptionState:
    subscription_id: str = ""
    status: str = ""
    plan: str = Plan.FREE
    current_period_end: dt.datetime | None = None


NO_SUBSCRIPTION = SubscriptionState()


def _price_of(subscription: Any) -> str:
    items = subscription.get("items") or {}
    for item in items.get("data") or []:
        price = item.get("price") or item.get("plan") or {}
        if price.get("id"):
            return str(price["id"])
    plan = subscription.get("plan") or {}
    return str(plan.get("id") or "")


def _period_end(subscription: Any) -> dt.datetime | None:
    # Newer API versions moved the period onto the subscription's items.
    value = subscription.get("current_period_end")
    if value is None:
        for item in (subscription.get("items") or {}).get("data") or []:
            value = item.get("current_period_end") or value
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC) if value else None


def state_of(subscription: Any) -> SubscriptionState:
    price = _price_of(subscription)
    return SubscriptionState(
        subscription_id=str(subscription["id"]),
        status=str(subscription.get("status") or ""),
        plan=Plan.PAID if price and price == settings.STRIPE_PRICE_PAID else Plan.FREE,
        current_period_end=_period_end(subscription),
    )


def _rank(subscription: Any) -> tuple[bool, int]:
    # A customer can hold an old canceled subscription beside the live one: the live one counts.
    return (subscription.get("status") in PAID_STATUSES, int(subscription.get("created") or 0))


def fetch_state(user: User, customer_id: str) -> SubscriptionState:
    """The customer's subscription as Stripe holds it now; none when the customer has none, or is gone."""
    try:
        found = stripe_api.call(
            user,
            "read subscription state",
            [stripe_api.CUSTOMER_ID],
            lambda c: c.v1.subscriptions.list(params={"customer": customer_id, "status": "all", "limit": 20}),
        )
    except stripe.InvalidRequestError as error:
        if error.http_status == 404 or error.code == "resource_missing":
            return NO_SUBSCRIPTION
        raise
    # Plain dicts: the SDK's objects are not mappings, and the readers above want .get().
    subscriptions = [subscription.to_dict() for subscription in found.data]
    if not subscriptions:
        return NO_SUBSCRIPTION
    return state_of(max(subscriptions, key=_rank))


@write_action
def do_store_state(
    account: BillingAccount, state: SubscriptionState, *, actor: Actor, event_id: str = ""
) -> bool:
    """Store `state` as the account's subscription, once per Stripe event: the event's id goes in under a
    unique constraint in this same transaction, so a repeated delivery changes nothing. Returns whether the
    event was new (always True without an event)."""
    if event_id:
        _row, created = ProcessedEvent.objects.get_or_create(event_id=event_id)
        if not created:
            return False
    old = (account.subscription_id, account.status, account.plan, account.current_period_end)
    new = (state.subscription_id, state.status, state.plan, state.current_period_end)
    if old != new:
        account.subscription_id, account.status, account.plan, account.current_period_end = new
        account.updated_at = timezone.now()
        account.save(update_fields=["subscription_id", "status", "plan", "current_period_end", "updated_at"])
        audit.record(
            Event.SUBSCRIPTION_CHANGED,
            actor=actor,
            subject=account.user,
            target=account,
            data={
                "old_status": old[1],
                "status": state.status,
                "old_plan": old[2],
                "plan": state.plan,
                "event": event_id,
            },
        )
    return True


@write_action
def do_mark_event_seen(event_id: str) -> bool:
    """An event with nothing for us to do (an unknown customer, a type we do not follow): remembered so that
    its redeliveries are answered without looking again."""
    _row, created = ProcessedEvent.objects.get_or_create(event_id=event_id)
    return created


def sync(account: BillingAccount, *, actor: Actor, event_id: str = "") -> bool:
    """Read the subscription from Stripe and store it (the slow call first, outside any transaction)."""
    state = fetch_state(account.user, account.customer_id)
    return do_store_state(account, state, actor=actor, event_id=event_id)


@write_action
def do_link_customer(user: User, customer_id: str) -> BillingAccount:
    """Keep the id of the Stripe customer just made for the user. Its audit event is the call that made it
    (stripe_api.call); a second customer made by a double click stays unlinked at Stripe, holding only the
    address, and the first one is kept."""
    account, _created = BillingAccount.objects.get_or_create(user=user, defaults={"customer_id": customer_id})
    return account


def ensure_customer(user: User) -> BillingAccount:
    """The user's Stripe customer, created with their email address the first time they subscribe."""
    account = BillingAccount.objects.filter(user=user).first()
    if account is not None:
        return account
    customer = stripe_api.call(
        user,
        "create customer",
        [stripe_api.EMAIL],
        lambda c: c.v1.customers.create(params={"email": user.email}),
    )
    return do_link_customer(user, str(customer.id))


@write_action
def _record_opened(user: User, account: BillingAccount, event: Event, *, actor: Actor) -> None:
    audit.record(event, actor=actor, subject=user, target=account)


def start_checkout(user: User, *, success_url: str, cancel_url: str, actor: Actor) -> str:
    """A Stripe Checkout session for the paid plan; returns the address to send the user to. The card and
    the billing address are typed into Stripe's page, never ours."""
    account = ensure_customer(user)
    params: dict[str, Any] = {
        "mode": "subscription",
        "customer": account.customer_id,
        "line_items": [{"price": settings.STRIPE_PRICE_PAID, "quantity": 1}],
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if settings.STRIPE_TAX:
        # Stripe Tax needs the customer's address, which Checkout collects and keeps at Stripe.
        params["automatic_tax"] = {"enabled": True}
        params["customer_update"] = {"address": "auto"}
        params["billing_address_collection"] = "required"
    session = stripe_api.call(
        user,
        "open checkout",
        [stripe_api.CUSTOMER_ID, stripe_api.RETURN_ADDRESSES],
        lambda c: c.v1.checkout.sessions.create(params=params),  # type: ignore[arg-type]
    )
    _record_opened(user, account, Event.CHECKOUT_STARTED, actor=actor)
    return str(session.url)


def open_portal(account: BillingAccount, *, return_url: str, actor: Actor) -> str:
    """A session of Stripe's customer portal (change plan, card, invoices, cancel)."""
    session = stripe_api.call(
        account.user,
        "open customer portal",
        [stripe_api.CUSTOMER_ID, stripe_api.RETURN_ADDRESSES],
        lambda c: c.v1.billing_portal.sessions.create(
            params={"customer": account.customer_id, "return_url": return_url}
        ),
    )
    _record_opened(account.user, account, Event.BILLING_PORTAL_OPENED, actor=actor)
    return str(session.url)
