from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from privacy_kernel.ownership import OwnedQuerySet


class Status(models.TextChoices):
    SAVED = "saved", _("Saved")
    DRAFTING = "drafting", _("Drafting")
    SENT = "sent", _("Sent")
    INTERVIEWING = "interviewing", _("Interviewing")
    OFFER = "offer", _("Offer")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    GHOSTED = "ghosted", _("No answer")


# Statuses in which the employer still owes an answer: follow-ups are due only here.
AWAITING_ANSWER = (Status.SENT, Status.INTERVIEWING)


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    CONTRACT = "contract", _("Contract")
    TEMPORARY = "temporary", _("Temporary")
    INTERNSHIP = "internship", _("Internship")
    VOLUNTEER = "volunteer", _("Volunteer")
    OTHER = "other", _("Other")


class ApplicationQuerySet(OwnedQuerySet["Application"]):
    pass


class Application(models.Model):
    """A job posting the user considers, and where their application to it stands."""

    class Scoring(models.TextChoices):
        """Where the fit score of the current posting text is: the worker computes it (applications.fit)."""

        QUEUED = "queued", _("Being scored")
        DONE = "done", _("Scored")
        FAILED = "failed", _("Scoring failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    # The posting: data from outside, never instructions.
    title = models.CharField(_("job title"), max_length=300)
    company = models.CharField(_("company"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    language = models.CharField(_("language of the posting"), max_length=8, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # When the employer published the posting (schema.org datePosted), when the page says.
    posted_on = models.DateField(_("posted on"), null=True, blank=True)
    source_url = models.URLField(_("source address"), max_length=2000, blank=True)
    employment_type = models.CharField(
        _("employment type"), max_length=16, choices=EmploymentType.choices, blank=True
    )
    posting_text = models.TextField(_("posting text"))
    # Where the fields came from: schema.org data on the page, the page's text, or a paste.
    found_in = models.CharField(max_length=16, blank=True)
    # Lines of the posting that try to instruct a machine; shown to the user, never used.
    suspicious_lines = models.JSONField(default=list, blank=True)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SAVED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(_("notes"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    follow_up_notified_on = models.DateField(null=True, blank=True)
    # The latest fit score, copied here so the board and table sort and filter without a join.
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(max_length=8, blank=True)
    scoring = models.CharField(max_length=16, choices=Scoring.choices, default=Scoring.DONE)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["user", "status"], name="application_user_status"),
            models.Index(fields=["user", "follow_up_on"], name="application_user_follow_up"),
            # A board column's first cards, read in order (applications.views.board).
            models.Index(
                fields=["user", "status", "deadline", "-updated_at"], name="application_board_column"
            ),
            # The table's default order, newest change first, one page at a time.
            models.Index(fields=["user", "-updated_at", "-id"], name="application_user_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.company}" if self.company else self.title

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", args=[self.pk])

    @property
    def slug(self) -> str:
        """A stable, readable folder name for the export."""
        return f"{self.pk}-{slugify(f'{self.company} {self.title}')[:60]}".rstrip("-")

    @property
    def follow_up_due(self) -> bool:
        return (
            self.status in AWAITING_ANSWER
            and self.follow_up_on is not None
            and self.follow_up_done_at is None
            and self.follow_up_on <= timezone.localdate()
        )


class PostingImportQuerySet(OwnedQuerySet["PostingImport"]):
    pass


class PostingImport(models.Model):
    """A posting the worker reads from a web address (applications.importing_task). The application is
    made only from a posting read whole; until then, and when reading fails, this row says how it went."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Reading the page")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    # Why reading failed, for the user, in the words of the importer's refusal (applications/importing).
    error = models.TextField(blank=True)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PostingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("applications:import", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class StatusChange(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    old = models.CharField(max_length=16, choices=Status.choices)
    new = models.CharField(max_length=16, choices=Status.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    # What moved it: the user, or a confirmed reply.
    reason = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class FitScore(models.Model):
    """One computation of the fit score. New rows are added when materials change; old ones stay readable."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="fit_scores")
    value = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=8)
    # Everything needed to explain the score: requirements, their status and evidence, missing keywords.
    result = models.JSONField()
    model_name = models.CharField(max_length=100)
    model_version = models.CharField(max_length=100)
    scorer_version = models.CharField(max_length=32)
    materials_versions = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.value} ({self.band})"

    @property
    def requirements(self) -> list[dict[str, Any]]:
        return list(self.result.get("requirements", []))


class ReplyQuerySet(OwnedQuerySet["Reply"]):
    pass


class Reply(models.Model):
    """A message from the employer, pasted or uploaded as .eml; its kind is suggested, the user confirms."""

    class Kind(models.TextChoices):
        REJECTION = "rejection", _("Rejection")
        INTERVIEW = "interview", _("Interview invitation")
        INFORMATION_REQUEST = "information_request", _("Request for information")
        OFFER = "offer", _("Offer")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="replies")
    sender = models.CharField(max_length=300, blank=True)
    sender_email = models.CharField(max_length=320, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    body_text = models.TextField()
    # Sanitised (nh3) before it was stored; still only ever rendered inside our strict CSP.
    body_html_safe = models.TextField(blank=True)
    full_text = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    suggested_kind = models.CharField(max_length=24, choices=Kind.choices)
    cues = models.JSONField(default=list, blank=True)
    # The reader could not tell (see replies/classify.py, ASK_BELOW): nothing is suggested, the user is
    # asked what the reply is. suggested_kind is then "other", which changes nothing.
    ask = models.BooleanField(default=False)
    kind = models.CharField(max_length=24, choices=Kind.choices, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    # The letter this reply answers: the application's latest sent letter when the reply came in.
    sent_version = models.ForeignKey(
        "SentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.subject or self.body_text[:60]


# --- Letters ------------------------------------------------------------------------------------------


class DraftVersionQuerySet(OwnedQuerySet["DraftVersion"]):
    pass


class DraftVersion(models.Model):
    """One version of the letter for an application: written by the model, edited by the user, or
    written again with an instruction. Versions are never changed; every change is a new version."""

    class Source(models.TextChoices):
        GENERATED = "generated", _("Drafted")
        EDITED = "edited", _("Edited by you")
        REGENERATED = "regenerated", _("Drafted again")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="draft_versions")
    # 1..n per application, in the order the versions were made.
    number = models.PositiveIntegerField()
    text = models.TextField()
    source = models.CharField(max_length=16, choices=Source.choices)
    # What the user asked for when drafting again ("shorter", "mention the Kafka work").
    instruction = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    provider = models.CharField(max_length=32, blank=True)
    model = models.CharField(max_length=100, blank=True)
    # The LLMTrace row in the trace store (another database, so no foreign key).
    trace_id = models.BigIntegerField(null=True, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    # coach.checks results: flagged contact details and names, and sentences not found in the materials.
    checks = models.JSONField(default=dict, blank=True)
    # The CVs and letter samples the letter was drafted from, as the drafting recorded them (an edit keeps
    # its base's): [{"id", "kind", "title", "passages": quoted as evidence, "sample": shown as the voice}].
    # The insights page compares reply rates by the CV used.
    materials_used = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DraftVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="draft_version_number"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def flags(self) -> list[dict[str, Any]]:
        return list(self.checks.get("flags", []))

    @property
    def unsupported(self) -> list[str]:
        return list(self.checks.get("unsupported", []))

    @property
    def left_out_languages(self) -> list[str]:
        """Languages of evidence the drafter left out rather than mix them into this letter's language."""
        return list(self.checks.get("left_out_languages", []))

    @property
    def short_of_evidence(self) -> bool:
        """The drafter wrote less than asked because the evidence held no more (it pads with nothing)."""
        return bool(self.checks.get("short_of_evidence", False))


class DraftGenerationQuerySet(OwnedQuerySet["DraftGeneration"]):
    pass


class DraftGeneration(models.Model):
    """A letter being written by the worker: its progress, and how it ended."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="draft_generations")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    # The text so far, written every few pieces so the progress page can show it; the finished letter is
    # only ever the version, never this.
    partial_text = models.TextField(blank=True)
    # DraftInstructions as JSON: language, tone, length, what to stress, a regenerate instruction.
    instructions = models.JSONField(default=dict)
    # The version being written again, for "regenerate".
    previous_version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)
    version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DraftGenerationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED)


class SentVersionQuerySet(OwnedQuerySet["SentVersion"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("A sent letter is a record of what was sent: it is never changed.")


class SentVersion(models.Model):
    """The letter as it was sent: a frozen copy of the text and the PDF. There is no way to change it."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        PORTAL = "portal", _("The employer's application portal")
        POST = "post", _("Post")
        IN_PERSON = "in_person", _("In person")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sent_versions")
    # RESTRICT rather than PROTECT: a sent version cannot be deleted on its own, yet deleting the whole
    # application (or account) takes both away together, which PROTECT would refuse.
    version = models.ForeignKey(DraftVersion, on_delete=models.RESTRICT, related_name="sent_versions")
    text = models.TextField()
    channel = models.CharField(max_length=16, choices=Channel.choices)
    sent_on = models.DateField()
    # In the "default" storage, under a name we chose (omoikane.storage.new_object_name).
    pdf = models.FileField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # A version is sent once; another version can be sent again (by another channel, say).
        constraints = [models.UniqueConstraint(fields=["version"], name="sent_version_once")]

    def __str__(self) -> str:
        return f"{self.application_id}: v{self.version_id} ({self.sent_on})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("A sent letter is a record of what was sent: it is never changed.")
        super().save(*args, **kwargs)
