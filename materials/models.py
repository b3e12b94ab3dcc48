from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from materials.extraction.core import DOCX, MARKDOWN, ODT, PDF, PLAIN
from privacy_kernel.ownership import OwnedQuerySet

# What the user calls a file's type; the stored MIME type is for the code.
FILE_TYPE_NAMES = {
    PDF: _("PDF document"),
    DOCX: _("Word document (DOCX)"),
    ODT: _("OpenDocument text (ODT)"),
    MARKDOWN: _("Markdown text"),
    PLAIN: _("Plain text"),
}


class MaterialQuerySet(OwnedQuerySet["Material"]):
    def versions_of(self, user: Any) -> dict[str, int]:
        """Which version of each material a computation saw: {material id: version}.

        Only materials whose chunks are embedded count: a score computed while the worker still embeds a
        material did not see it, so the rescore that follows the embedding (applications.tasks) finds the
        score out of date and computes it again."""
        ready = self.filter(user=user, search=Material.Search.READY)
        return {str(pk): version for pk, version in ready.values_list("pk", "version")}


class Material(models.Model):
    """One CV, letter sample or supporting document of a user: the original, and the text we use."""

    class Kind(models.TextChoices):
        CV = "cv", _("CV")
        LETTER = "letter", _("Letter sample")
        OTHER = "other", _("Other material")

    class Search(models.TextChoices):
        """Whether the chunks of the material's current text are embedded, so search and scoring find them."""

        READY = "ready", _("Ready for search")
        QUEUED = "queued", _("Being prepared for search")
        FAILED = "failed", _("Could not be prepared for search")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    # Server-generated object name; the user's own file name is kept as data in original_name.
    original = models.FileField(_("original file"), max_length=300, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    # What the extraction produced, never changed afterwards, and the text the user confirmed or
    # corrected: scoring and drafting only ever read `text`.
    extracted_text = models.TextField()
    text = models.TextField(_("text"))
    # For letters: salutation, body and closing as recognised in `text`.
    letter_parts = models.JSONField(default=dict, blank=True)
    is_primary = models.BooleanField(_("primary CV"), default=False)
    # Bumped at every text change, so a fit score can say which version of the materials it used.
    version = models.PositiveIntegerField(default=1)
    # The chunks are stored with the text and embedded by the worker (materials.tasks): until then the
    # material is "queued", and scoring does not count it (MaterialQuerySet.versions_of).
    search = models.CharField(max_length=16, choices=Search.choices, default=Search.READY)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-is_primary", "title"]
        indexes = [models.Index(fields=["user", "kind"], name="material_user_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_primary=True), name="one_primary_cv_per_user"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("materials:detail", args=[self.pk])

    @property
    def file_type(self) -> str:
        name = FILE_TYPE_NAMES.get(self.content_type)
        return str(name) if name is not None else self.content_type

    @property
    def text_was_corrected(self) -> bool:
        return self.text != self.extracted_text


class ChunkQuerySet(OwnedQuerySet["Chunk"]):
    pass


class Chunk(models.Model):
    """A piece of a material that stands on its own (a bullet, a role, a paragraph), with its embedding."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="chunks")
    # Denormalised from the material: per-user search reads one user's chunks without a join.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ordinal = models.PositiveIntegerField()
    kind = models.CharField(max_length=16)
    section = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    # float32 vector, L2-normalised; null until embedded.
    embedding = models.BinaryField(null=True, blank=True)
    model_name = models.CharField(max_length=100, blank=True)
    model_version = models.CharField(max_length=100, blank=True)

    objects = ChunkQuerySet.as_manager()

    class Meta:
        ordering = ["material", "ordinal"]
        indexes = [models.Index(fields=["user", "model_version"], name="chunk_user_model")]

    def __str__(self) -> str:
        return self.text[:60]


class LinkedInImportQuerySet(OwnedQuerySet["LinkedInImport"]):
    pass


class LinkedInImport(models.Model):
    """Where an imported CV came from: the LinkedIn export's career fields, each with its file and column.

    The zip itself is never stored (it also holds messages and connections); only the values we read are.
    """

    material = models.OneToOneField(Material, on_delete=models.CASCADE, related_name="linkedin_import")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    # [{"section", "file", "row", "column", "value"}] of the latest import.
    fields = models.JSONField(default=list)
    files_read = models.JSONField(default=list)
    files_left_out = models.PositiveIntegerField(default=0)
    # A newer import's text, held while the user decides between it and the text they corrected.
    pending_text = models.TextField(blank=True)
    pending_fields = models.JSONField(default=list, blank=True)

    objects = LinkedInImportQuerySet.as_manager()

    def __str__(self) -> str:
        return f"LinkedIn import of {self.imported_at:%Y-%m-%d}"
