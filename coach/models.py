from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TraceQuerySet(models.QuerySet["LLMTrace"]):
    def owned_by(self, user: Any) -> TraceQuerySet:
        # The trace store is another database: the user is named by id, not by a foreign key, so the
        # registry's owner path cannot be used here.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user_id=user.pk)


class Outcome(models.TextChoices):
    OK = "ok", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    RATE_LIMITED = "rate_limited", _("Too many requests")
    OVERLOADED = "overloaded", _("Service overloaded")
    TIMEOUT = "timeout", _("Timed out")
    FAILED = "failed", _("Failed")
    CUT_OFF = "cut_off", _("Cut off")
    AUTH = "auth", _("Refused our credentials")
    BAD_REQUEST = "bad_request", _("Request refused")
    UNAVAILABLE = "unavailable", _("Service unavailable")


class LLMTrace(models.Model):
    """One call to a language model: exactly what was sent, what came back, and what it cost.

    Lives in the `traces` database (coach/routers.py), so it names its user by id only."""

    user_id = models.BigIntegerField(db_index=True)
    # What the call was for ("draft"), and the object it was about.
    purpose = models.CharField(max_length=40)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    provider = models.CharField(max_length=40)
    model = models.CharField(max_length=100)
    # The request body as the provider sent it (system blocks, messages, parameters); never credentials.
    request = models.JSONField(default=dict)
    response_text = models.TextField(blank=True)
    stop_reason = models.CharField(max_length=40, blank=True)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    cache_read_tokens = models.PositiveIntegerField(default=0)
    cache_write_tokens = models.PositiveIntegerField(default=0)
    # The inference region the provider reported for the call, if it reports one.
    region = models.CharField(max_length=40, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    # US dollars, from coach/pricing.py: an estimate, null when the model has no price on file.
    estimated_cost = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)
    # "ok", "cancelled" or the kind of error (Outcome); a new error kind must not need a migration.
    outcome = models.CharField(max_length=40)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = TraceQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user_id", "-created_at"], name="trace_user_recent")]

    def __str__(self) -> str:
        return f"{self.provider}/{self.model} {self.purpose} {self.outcome}"

    @property
    def outcome_label(self) -> str:
        try:
            return str(Outcome(self.outcome).label)
        except ValueError:
            return self.outcome

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK
