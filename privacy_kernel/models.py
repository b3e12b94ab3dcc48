from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omoikane.storage import archive_storage
from privacy_kernel import descriptions
from privacy_kernel.events import ActorKind
from privacy_kernel.ownership import OwnedQuerySet

if TYPE_CHECKING:
    from accounts.models import User


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def about(self, user: User) -> AuditEventQuerySet:
        return self.filter(subject=user)


class AuditEvent(models.Model):
    """One access to or change of a user's data, or an account event, as the user will see it."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # No `choices` here on purpose: adding an event type must not need a migration (YugabyteDB rule: only
    # additive migrations), and the enum in privacy_kernel/events.py is the vocabulary.
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

    # Tamper evidence (chain.py): each subject's events form a hash chain, and the events without a
    # subject form one more, the "system" chain. Only audit.record() fills these; none of them has
    # a default, so a row inserted any other way fails (sequence is NOT NULL) rather than joining a chain
    # unhashed.
    # Position in the subject's chain, 1..n with no gaps. Serial ids cannot order a chain: YugabyteDB hands
    # out id ranges per node, so a later event may get a smaller id.
    sequence = models.BigIntegerField()
    # The entry_hash of the entry before (64 zeros for the first), so removing or reordering rows shows.
    prev_hash = models.CharField(max_length=64)
    # SHA-256 of payload_salt and the canonical metadata JSON. Kept when the metadata is erased (set to {}),
    # so the entry still verifies without the personal data it carried.
    payload_hash = models.CharField(max_length=64)
    # 16 random bytes (hex) hashed with the metadata, and cleared with it on erasure: without it the kept
    # payload_hash of a small payload ({"email": ...}) would confirm a guess of what was erased.
    payload_salt = models.CharField(max_length=32)
    # SHA-256 over prev_hash, this row's fields and payload_hash, in the encoding chain_version names.
    entry_hash = models.CharField(max_length=64)
    chain_version = models.PositiveSmallIntegerField()
    # The actor's user id as recorded, which is what the chain hashes. `actor` itself is SET_NULL when that
    # account is deleted (an operator who left); hashing the foreign key would break every chain the
    # operator ever appeared in. The verifier accepts `actor` equal to this or null, nothing else.
    actor_ref = models.BigIntegerField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["subject", "-created_at"], name="audit_subject_recent")]
        constraints = [
            # Two writers that read the same chain head both try head+1: this index lets only one have it,
            # and record() tries the other again after the new head (privacy_kernel.chain.append).
            models.UniqueConstraint(fields=["subject", "sequence"], name="audit_chain_position"),
            # NULLs are distinct in a unique index, so the system chain needs its own (partial) one.
            models.UniqueConstraint(
                fields=["sequence"],
                condition=models.Q(subject__isnull=True),
                name="audit_system_chain_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} by {self.actor_kind} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def detail(self) -> str:
        """A short line under the label, for events whose app registered one (support grants and views)."""
        return descriptions.detail(self.event, self.metadata)

    @property
    def event_label(self) -> str:
        return descriptions.label(self.event)


# --- Retention: the encrypted archive of events older than AUDIT_HOT_DAYS (privacy_rights/retention.py) ---


class AuditArchive(models.Model):
    """One encrypted archive object: a run of consecutive entries of one chain from one calendar month.

    The server cannot read the object (encrypted to a key held offline, see privacy_rights/archive.py), so
    this row keeps what verification needs without it: the head the object's entries continue from and the
    head they end at. The live rows of the chain continue from the newest object's end head.
    """

    # The chain's subject; null for the system chain. A plain id rather than a foreign key: deleting the
    # account must not drop these rows before their objects are gone (privacy_rights.retention's
    # delete_archives_of removes both, objects first), and a row left behind by an interrupted erasure is how
    # the next retention run finds the objects to remove.
    subject_id = models.BigIntegerField(null=True, blank=True)
    # The first day of the calendar month (UTC) of the entries' created_at.
    month = models.DateField()
    # 1 for the month's first object; later runs (or late entries) add parts 2, 3, ...
    part = models.PositiveIntegerField()
    # The STORAGES alias and the object's name in it.
    storage = models.CharField(max_length=32)
    path = models.CharField(max_length=255)
    first_sequence = models.BigIntegerField()
    last_sequence = models.BigIntegerField()
    # The entry_hash the first entry continues from (its prev_hash), and the last entry's entry_hash.
    start_hash = models.CharField(max_length=64)
    end_hash = models.CharField(max_length=64)
    event_count = models.PositiveIntegerField()
    size = models.BigIntegerField()
    # When the first and the last entry were recorded: the archive expires by the last one.
    first_created_at = models.DateTimeField()
    last_created_at = models.DateTimeField()
    # The age public keys the object is encrypted to (comma-separated): which identity opens it.
    recipients = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # A chain position is archived once. Coalesce: NULLs are distinct in a unique index, and the
            # system chain (null subject) needs the same guard; user ids start at 1.
            models.UniqueConstraint(
                Coalesce("subject_id", Value(0)), "first_sequence", name="audit_archive_chain_position"
            ),
            models.UniqueConstraint(fields=["storage", "path"], name="audit_archive_object"),
        ]

    def __str__(self) -> str:
        return f"{self.path} (sequences {self.first_sequence}-{self.last_sequence})"


class AuditChainStart(models.Model):
    """Where a chain's surviving evidence begins once its oldest archives have expired and been deleted:
    the end head of the newest deleted archive. Verification starts there instead of at the genesis."""

    subject_id = models.BigIntegerField(null=True, blank=True)
    sequence = models.BigIntegerField()
    entry_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Coalesce("subject_id", Value(0)), name="audit_chain_start_per_chain"),
        ]

    def __str__(self) -> str:
        return f"chain {self.subject_id or 'system'} starts after sequence {self.sequence}"


class ExportRequestQuerySet(OwnedQuerySet["ExportRequest"]):
    pass


class ExportRequest(models.Model):
    """One request for the zip of everything we hold about a user, and the zip once it is built."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # In the "archive" storage, apart from uploads. Named before the zip is written, so that a zip left by
    # a crashed attempt is always referenced here and removed by the next attempt or by erasure.
    file = models.FileField(storage=archive_storage, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    download_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The kind of error only (an exception class name): a message could quote the user's data.
    error = models.CharField(max_length=200, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = ExportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["user", "-requested_at"], name="export_user_recent")]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def downloadable(self) -> bool:
        return self.status == self.Status.READY and not self.expired and bool(self.file.name)


class ErasureRequest(models.Model):
    """An account being erased: the state of the erasure job, which outlives the account it erases.

    `account_id` is no foreign key on purpose: the user row is deleted halfway through the job, and the job
    must still know where it stands (steps done, counts for the receipt, the address to send it to). The row
    itself is deleted once the receipt is sent; what remains is the DeletionLedger entry.
    """

    account_id = models.BigIntegerField(unique=True)
    email = models.EmailField(max_length=254)
    language = models.CharField(max_length=8)
    requested_at = models.DateTimeField(default=timezone.now)
    # The ledger id, computed while the account still exists (it hashes the id and the sign-up time).
    ledger_id = models.CharField(max_length=64)
    steps_done = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    # False when a ledger replay erases an account restored from a backup: its address gets no second receipt.
    send_receipt = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"erasure {self.pk}"


class DeletionLedger(models.Model):
    """One erased account, by an opaque id only: HMAC-SHA256 of its id and sign-up time under a server key.

    After a restore from a backup older than the erasure, `manage.py replay_deletions` finds the accounts
    whose ledger id is here and erases them again.
    """

    ledger_id = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField()
    erased_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.ledger_id[:12]


# --- Support access: the user's time-limited permission for support to read their data -----------------


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


__all__ = [
    "AuditArchive",
    "AuditChainStart",
    "AuditEvent",
    "AuditEventQuerySet",
    "DeletionLedger",
    "ErasureRequest",
    "ExportRequest",
    "SupportGrant",
]
