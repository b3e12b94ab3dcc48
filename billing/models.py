"""What billing holds, and nothing else: the Stripe customer and subscription ids, the subscription's status,
the plan it gives, and when the paid period ends. Card data and addresses stay at Stripe."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy_kernel.ownership import OwnedQuerySet


class Plan(models.TextChoices):
    FREE = "free", _("Free")
    PAID = "paid", _("Paid")


# Stripe's subscription statuses under which the paid plan's limits apply. "past_due" is dunning: Stripe is
# retrying the card, and the user keeps what they paid for until it gives up ("unpaid" or "canceled").
PAID_STATUSES = frozenset({"active", "trialing", "past_due"})


class BillingAccountQuerySet(OwnedQuerySet["BillingAccount"]):
    pass


class BillingAccount(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="billing")
    customer_id = models.CharField(max_length=255, unique=True)
    subscription_id = models.CharField(max_length=255, blank=True)
    # Stripe's own status word ("active", "past_due", "canceled", ...), as Stripe last reported it.
    status = models.CharField(max_length=32, blank=True)
    # The plan the subscription is for; its limits apply only while the status is one of PAID_STATUSES.
    plan = models.CharField(max_length=16, choices=Plan.choices, default=Plan.FREE)
    current_period_end = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = BillingAccountQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.customer_id} ({self.plan}, {self.status or '-'})"

    @property
    def effective_plan(self) -> str:
        return Plan.PAID if self.plan == Plan.PAID and self.status in PAID_STATUSES else Plan.FREE


class ProcessedEvent(models.Model):
    """A Stripe event already acted on. Stored in the transaction of its effect, under a unique id, so a
    repeated or replayed delivery finds it and does nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.event_id
