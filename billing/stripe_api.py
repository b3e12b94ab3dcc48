"""Every call to Stripe goes through `call`, which records it in the user's audit log as a sub-processor
event naming the kinds of data sent (never the data, never the key), whatever the call's outcome."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import stripe
from django.conf import settings

from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event

if TYPE_CHECKING:
    from accounts.models import User

# The kinds of data each call sends, as the audit event names them.
CUSTOMER_ID = "Stripe customer id"
SUBSCRIPTION_ID = "Stripe subscription id"
EMAIL = "email address"
RETURN_ADDRESSES = "return addresses of this site"


def client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        str(settings.STRIPE_SECRET_KEY),
        base_addresses=base,  # type: ignore[arg-type]
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )


@writes.write_action
def _record(user: User, operation: str, categories: Sequence[str], outcome: str) -> None:
    audit.record(
        Event.SUB_PROCESSOR_CALLED,
        actor=Actor.sub_processor("stripe"),
        subject=user,
        data={
            "provider": "stripe",
            "purpose": operation,
            "data_categories": list(categories),
            "outcome": outcome,
        },
    )


def call[T](
    user: User, operation: str, categories: Sequence[str], request: Callable[[stripe.StripeClient], T]
) -> T:
    """Run `request` against Stripe and audit it. A user who no longer exists (an erasure's last steps) is
    audited nowhere: their log is going with them."""
    try:
        result = request(client())
    except stripe.StripeError as error:
        if user.pk is not None:
            _record(user, operation, categories, f"error: {type(error).__name__}")
        raise
    if user.pk is not None:
        _record(user, operation, categories, "ok")
    return result
