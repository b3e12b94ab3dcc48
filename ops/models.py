"""What the operations work leaves behind as evidence: backups made, restore drills run, full audit
verifications. None of it holds personal data: names of backups, counts, durations and kinds of error.

The Security page and /healthz read these rows, so a promise is shown with its latest proof.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class BackupRun(models.Model):
    """One run of `manage.py backup`; a backup is good only when its signed manifest was written."""

    name = models.CharField(max_length=64)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    # Bytes written to the target (encrypted), the rows and objects the manifest lists.
    size = models.BigIntegerField(default=0)
    rows = models.BigIntegerField(default=0)
    objects_count = models.BigIntegerField(default=0)
    # The kind of error and a short reason, never a secret or a user's data.
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.started_at:%Y-%m-%d %H:%M} ok={self.ok}"


class RestoreDrill(models.Model):
    """One restore drill: the latest backup restored into scratch storage and checked against its manifest."""

    backup_name = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    rows_verified = models.BigIntegerField(default=0)
    objects_verified = models.BigIntegerField(default=0)
    chains_verified = models.BigIntegerField(default=0)
    accounts_erased_again = models.IntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.started_at:%Y-%m-%d %H:%M} ok={self.ok}"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class AuditVerifyRun(models.Model):
    """One full verification of every audit chain (live rows and archive records)."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    chains = models.BigIntegerField(default=0)
    events = models.BigIntegerField(default=0)
    broken = models.IntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.started_at:%Y-%m-%d %H:%M} ok={self.ok}"
