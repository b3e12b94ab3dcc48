from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from privacy.events import ActorKind, Event

if TYPE_CHECKING:
    from accounts.models import User


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def about(self, user: User) -> AuditEventQuerySet:
        return self.filter(subject=user)


class AuditEvent(models.Model):
    """One access to or change of a user's data, or an account event, as the user will see it."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # No `choices` here on purpose: adding an event type must not need a migration (YugabyteDB rule: only
    # additive migrations), and the enum in privacy/events.py is the vocabulary.
    event = models.CharField(max_length=64)
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    # The person or system that acted. For a user acting on their own data it equals the subject.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A name for actors without an account: a sub-processor ("anthropic") or a system job.
    actor_label = models.CharField(max_length=64, blank=True)
    # Whose data this is about; null only for events that match no account (a failed login for an
    # unknown address).
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["subject", "-created_at"], name="audit_subject_recent")]

    def __str__(self) -> str:
        return f"{self.event} by {self.actor_kind} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def event_label(self) -> str:
        try:
            return str(Event(self.event).label)
        except ValueError:
            return self.event
