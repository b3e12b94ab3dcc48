from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from privacy.ownership import OwnedQuerySet


class SupportGrantQuerySet(OwnedQuerySet["SupportGrant"]):
    def active(self) -> SupportGrantQuerySet:
        """Grants support may use right now. Expiry is only time passing, so no job has to end a grant."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class SupportGrant(models.Model):
    """A user's permission for support to read their data, for a while and for a reason they wrote."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_grants"
    )
    reason = models.TextField(max_length=500)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Set when the user revokes the grant or replaces it with a new one; an expired grant keeps it null.
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SupportGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["user", "-expires_at"], name="support_grant_user_expiry")]

    def __str__(self) -> str:
        return f"support grant {self.pk} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def ended_at(self) -> datetime:
        """When support lost access (or will): the revocation if there was one, else the expiry."""
        return self.revoked_at if self.revoked_at is not None else self.expires_at

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
