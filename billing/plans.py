"""The plans, read from settings, and the limit policy billing registers with omoikane.limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from billing.models import BillingAccount, Plan
from omoikane import limits


@dataclass(frozen=True)
class PlanLimits:
    key: str
    drafts_per_month: int
    storage_bytes: int


def enabled() -> bool:
    """Billing is on only with Stripe credentials; without them every feature is available, unlimited."""
    return bool(settings.STRIPE_SECRET_KEY)


def limits_of(plan: str) -> PlanLimits:
    if plan == Plan.PAID:
        return PlanLimits(
            Plan.PAID, settings.BILLING_PAID_DRAFTS_PER_MONTH, settings.BILLING_PAID_STORAGE_MB * 2**20
        )
    return PlanLimits(
        Plan.FREE, settings.BILLING_FREE_DRAFTS_PER_MONTH, settings.BILLING_FREE_STORAGE_MB * 2**20
    )


def plan_of(user: Any) -> str:
    account = BillingAccount.objects.filter(user=user).first()
    return account.effective_plan if account is not None else Plan.FREE


def user_quota(user: Any, name: str) -> limits.Quota:
    if not enabled():
        return limits.NO_LIMIT
    plan = plan_of(user)
    found = limits_of(plan)
    value = found.drafts_per_month if name == limits.DRAFTS_PER_MONTH else found.storage_bytes
    # On the paid plan there is nothing more to buy; the free plan's refusal points at the upgrade.
    return limits.Quota(value, "" if plan == Plan.PAID else reverse("billing:plan"))
