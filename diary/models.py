from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from privacy_kernel.ownership import OwnedQuerySet


class Kind(models.TextChoices):
    TRIED = "tried", _("Something I tried")
    NOTE = "note", _("Note")
    LETTER_SENT = "letter_sent", _("Letter sent")
    STATUS_CHANGE = "status_change", _("Status changed")
    INTERVIEW = "interview", _("Interview")
    FOLLOW_UP = "follow_up", _("Followed up")
    REPLY = "reply", _("Reply received")


class DiaryEntryQuerySet(OwnedQuerySet["DiaryEntry"]):
    pass


class DiaryEntry(models.Model):
    """One line of the user's job-search diary: what they did or tried, and what came of it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_entries")
    # The diary outlives an application the user deletes: what they tried still teaches them something.
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diary_entries",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("what happened"))
    outcome = models.TextField(_("what came of it"), blank=True)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    # What the user tried that day; on an entry about an application, the application counts as tried
    # with it on the insights page too.
    approaches: models.ManyToManyField[Approach, EntryApproach] = models.ManyToManyField(
        "Approach", through="EntryApproach", related_name="entries", verbose_name=_("approaches"), blank=True
    )

    objects = DiaryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-occurred_on"], name="diary_entry_user_date")]
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")

    def __str__(self) -> str:
        # A heading in diary.md and a line in lists: cut on a word, never inside one.
        return Truncator(Truncator(self.text).words(10)).chars(120)

    def get_absolute_url(self) -> str:
        return f"{reverse('diary:index')}#entry-{self.pk}"


# --- What the user tries, and the weekly review --------------------------------------------------------


class ApproachQuerySet(OwnedQuerySet["Approach"]):
    pass


class Approach(models.Model):
    """Something the user tries across applications ("a referral", "the shorter letter"), named by them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="approaches")
    name = models.CharField(_("name"), max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    applications = models.ManyToManyField(
        "applications.Application", through="ApproachUse", related_name="approaches"
    )

    objects = ApproachQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="approach_user_name")]
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")

    def __str__(self) -> str:
        return self.name


class ApproachUseQuerySet(OwnedQuerySet["ApproachUse"]):
    pass


class ApproachUse(models.Model):
    """An application on which the user tried an approach."""

    approach = models.ForeignKey(Approach, on_delete=models.CASCADE, related_name="uses")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="approach_uses"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ApproachUseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["approach", "application"], name="approach_use_once"),
        ]

    def __str__(self) -> str:
        return f"{self.approach_id} on {self.application_id}"


class EntryApproachQuerySet(OwnedQuerySet["EntryApproach"]):
    pass


class EntryApproach(models.Model):
    """A diary entry tagged with an approach the user tried."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="approach_tags")
    approach = models.ForeignKey(Approach, on_delete=models.CASCADE, related_name="entry_tags")

    objects = EntryApproachQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "approach"], name="entry_approach_once")]

    def __str__(self) -> str:
        return f"{self.approach_id} on entry {self.entry_id}"


class ReviewSettings(models.Model):
    """Whether the user asked for the weekly review email, and when the last one went out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_settings"
    )
    weekly_review = models.BooleanField(_("weekly review email"), default=False)
    # Once a week at most, even if the command runs daily.
    last_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"review settings of {self.user_id}"
