from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

import stripe
from django.utils.translation import gettext_lazy as _

from billing import plans, stripe_api
from billing.models import BillingAccount, ProcessedEvent
from privacy_kernel.exports import JsonFile
from privacy_kernel.registry import NotPersonal, Personal
from privacy_kernel.stores import OutsideStore, StoreNotErased

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

STRIPE_STORE = "stripe customer"
# Subscriptions in these states bill nothing more; cancelling them again is pointless.
ENDED = ("canceled", "incomplete_expired")

PERSONAL = [
    Personal(
        BillingAccount,
        owner="user",
        export=JsonFile("billing.json"),
        outside=(STRIPE_STORE,),
        label=_("billing record (Stripe customer and subscription numbers, plan, status)"),
    ),
]
NOT_PERSONAL = [
    NotPersonal(
        ProcessedEvent,
        why="ids of Stripe events already acted on, so a redelivery does nothing twice; no customer",
    ),
]


def _gone(error: stripe.StripeError) -> bool:
    # Stripe answers 404 with the code "resource_missing" for what was deleted or never existed.
    return error.http_status == 404 or error.code == "resource_missing"


def _live_subscriptions(user: User, account: BillingAccount) -> list[str]:
    """The customer's subscriptions that still bill, as Stripe lists them: a webhook may not have told us of
    the newest one yet."""
    try:
        found = stripe_api.call(
            user,
            "list subscriptions (erasure)",
            [stripe_api.CUSTOMER_ID],
            lambda c: c.v1.subscriptions.list(params={"customer": account.customer_id, "status": "all"}),
        )
    except stripe.StripeError as error:
        if _gone(error):
            return []
        raise
    return [str(s.id) for s in found.data if s.status not in ENDED]


def _cancel(subscription_id: str, client: stripe.StripeClient) -> stripe.Subscription:
    return client.v1.subscriptions.cancel(subscription_id)


def erase_stripe_customer(user: User) -> int:
    """Cancel the subscription at once (no refund, no end-of-period wait) and delete the Stripe customer.
    Returns 1 when a customer went, 0 when there was none. Run again after a crash, what is already gone at
    Stripe counts as done."""
    account = BillingAccount.objects.filter(user=user).first()
    if account is None:
        return 0
    if not plans.enabled():
        logger.error(
            "Erasure: Stripe customer %s left at Stripe, billing is not configured", account.customer_id
        )
        raise StoreNotErased(
            _("billing is no longer configured on this server, so Stripe could not be asked")
        )
    try:
        for subscription_id in _live_subscriptions(user, account):
            try:
                stripe_api.call(
                    user,
                    "cancel subscription (erasure)",
                    [stripe_api.SUBSCRIPTION_ID],
                    partial(_cancel, subscription_id),
                )
            except stripe.StripeError as error:
                if not _gone(error):
                    raise
        try:
            stripe_api.call(
                user,
                "delete customer (erasure)",
                [stripe_api.CUSTOMER_ID],
                lambda c: c.v1.customers.delete(account.customer_id),
            )
        except stripe.StripeError as error:
            if not _gone(error):
                raise
    except stripe.StripeError as error:
        # The id goes with the user's rows next; the log keeps it for the operator to finish by hand.
        logger.error("Erasure: Stripe customer %s not deleted: %s", account.customer_id, type(error).__name__)
        raise StoreNotErased(
            _(
                "Stripe did not answer or refused (%(error)s); the failure is logged for the operator to "
                "delete the Stripe customer by hand"
            )
            % {"error": type(error).__name__}
        ) from error
    return 1


OUTSIDE_STORES = [
    OutsideStore(
        STRIPE_STORE,
        label=_("Stripe customer record (subscription cancelled at once, customer deleted)"),
        erase=erase_stripe_customer,
    ),
]
