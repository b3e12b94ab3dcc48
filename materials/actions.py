"""Every change to a user's materials goes through these actions, and each writes its audit event."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from materials.chunking import chunk_text
from materials.extraction import DOCX, MARKDOWN, ODT, PDF, PLAIN, Extracted, extract, extract_pasted
from materials.language import detect_language, letter_parts
from materials.linkedin import LinkedInExport, read_export
from materials.models import Chunk, LinkedInImport, Material
from materials.signals import materials_changed
from materials.tasks import embed_material
from omoikane import limits
from omoikane.errors import Refused
from omoikane.storage import new_object_name
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.writes import write_action

logger = logging.getLogger(__name__)


def _announce_change(user_id: int) -> None:
    writes.on_commit(lambda: materials_changed.send(sender=Material, user_id=user_id))


def _queue_embedding(material: Material) -> None:
    """Mark the material's new chunks as waiting for their vectors and queue the worker's embedding.

    Call inside the write that stored the chunks: the queue is a table of this database, so the task row
    commits, or rolls back, with them. The embedding announces the change (materials_changed) once the
    chunks can be found; scoring before that would not see them.
    """
    if material.search != Material.Search.QUEUED:
        Material.objects.filter(pk=material.pk).update(search=Material.Search.QUEUED)
        material.search = Material.Search.QUEUED
    embed_material.enqueue(user_id=material.user_id, material_id=material.pk)


SUFFIXES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/markdown": "md",
    "text/plain": "txt",
}


@dataclass(frozen=True)
class _Prepared:
    extracted: Extracted
    language: str
    parts: dict[str, str]
    chunk_rows: list[Chunk]


def _prepare(user: User, extracted: Extracted, kind: str) -> _Prepared:
    """Everything that can fail (chunking, reading the language) happens before the first write.

    The chunks are stored without vectors: embedding them is the slow part of an upload (about a second
    for a CV), so the worker does it after the page has answered (materials.tasks.embed_material).
    """
    drafts = chunk_text(extracted.text)
    if not drafts:
        raise Refused("empty", _("We found no text in this material. Paste the text instead."))
    rows = [
        Chunk(
            user=user,
            ordinal=draft.ordinal,
            kind=draft.kind,
            section=draft.section[:300],
            text=draft.text,
        )
        for draft in drafts
    ]
    parts = letter_parts(extracted.text) if kind == Material.Kind.LETTER else {}
    return _Prepared(
        extracted=extracted, language=detect_language(extracted.text), parts=parts, chunk_rows=rows
    )


def used_bytes(user: User) -> int:
    return Material.objects.filter(user=user).aggregate(total=Sum("size"))["total"] or 0


def pasted_title(kind: str, text: str) -> str:
    """A name for pasted text the user gave no title: its first line (a CV's starts with the name, a
    letter's with its greeting), cut on a word; the kind of material when the text has no line to use."""
    for line in text.splitlines():
        line = line.strip().lstrip("#*-•> ").strip()
        if line:
            # On a word where it can; a line without spaces is cut to fit the title field.
            return Truncator(Truncator(line).words(12)).chars(200)
    return str(Material.Kind(kind).label)


def storage_quota_bytes(user: User, plan: limits.Quota | None = None) -> int:
    """The user's storage for materials: with billing on, their plan's; without, the operator's setting."""
    plan = plan if plan is not None else limits.quota(user, limits.STORAGE_BYTES)
    return plan.limit if plan.limit is not None else settings.MATERIALS_QUOTA_BYTES


def clean_file_name(name: str) -> str:
    """The user's file name as data: no directories, no control characters, a sane length."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return base[:200] or "material"


# The type a file's name promises, by its ending. Markdown and plain text are one family: a .txt with headings
# is read as Markdown, rightly.
NAMED_TYPES = {
    "pdf": {PDF},
    "docx": {DOCX},
    "odt": {ODT},
    "md": {MARKDOWN, PLAIN},
    "markdown": {MARKDOWN, PLAIN},
    "txt": {MARKDOWN, PLAIN},
}


def check_name_fits(file_name: str, content_type: str) -> None:
    """Refuse a file whose name says one type and whose bytes are another (a web page saved as "cv.pdf").

    The bytes decide how a file is read; a name that contradicts them means the user uploaded something
    other than they think, so they are told rather than surprised by the extracted text.
    """
    name = clean_file_name(file_name)
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    promised = NAMED_TYPES.get(suffix)
    if promised is None or content_type in promised:
        return
    found = {
        PDF: _("a PDF"),
        DOCX: _("a Word document"),
        ODT: _("an OpenDocument text"),
    }.get(content_type, _("plain text"))
    raise Refused(
        "name_mismatch",
        _(
            "The name of this file ends in “.%(suffix)s”, but its contents are %(found)s. Export or save it "
            "again in the format its name says, or rename it to fit what it is."
        )
        % {"suffix": suffix, "found": found},
    )


def do_add_material(
    user: User,
    *,
    kind: str,
    title: str,
    actor: Actor,
    data: bytes | None = None,
    file_name: str = "",
    pasted_text: str | None = None,
) -> Material:
    """Store an uploaded or pasted material with its text and chunks, or nothing at all; the worker embeds
    the chunks afterwards (materials.search)."""
    if (data is None) == (pasted_text is None):
        raise ValueError("Give either the bytes of a file or pasted text.")
    if data is not None:
        if len(data) > settings.MATERIAL_MAX_BYTES:
            raise Refused(
                "too_large",
                _("This file is larger than %(max)d MB.") % {"max": settings.MATERIAL_MAX_BYTES // 2**20},
            )
        plan = limits.quota(user, limits.STORAGE_BYTES)
        quota_bytes = storage_quota_bytes(user, plan)
        if used_bytes(user) + len(data) > quota_bytes:
            message = _(
                "Your materials would exceed your storage of %(max)d MB. Delete an old material first."
            )
            if plan.upgrade_url:
                message += " " + _(
                    "The paid plan has more storage: see Settings, Plan and billing (%(url)s)."
                )
            raise Refused("quota", message % {"max": quota_bytes // 2**20, "url": plan.upgrade_url})
        extracted = extract(data)  # an ExtractionError is a Refused with its own message
        check_name_fits(file_name, extracted.content_type)
    else:
        extracted = extract_pasted(pasted_text or "")
        if not extracted.text:
            raise Refused("empty", _("The pasted text is empty."))
    prepared = _prepare(user, extracted, kind)

    return writes.run(_store_material, user, kind, title, extracted, prepared, data, file_name, actor=actor)


def _store_material(
    user: User,
    kind: str,
    title: str,
    extracted: Extracted,
    prepared: _Prepared,
    data: bytes | None,
    file_name: str,
    *,
    actor: Actor,
) -> Material:
    material = Material(
        user=user,
        kind=kind,
        title=title.strip()
        or (clean_file_name(file_name) if data is not None else pasted_title(kind, extracted.text)),
        content_type=extracted.content_type,
        original_name=clean_file_name(file_name) if data is not None else "",
        size=len(data) if data is not None else len(extracted.text.encode()),
        sha256=hashlib.sha256(data if data is not None else extracted.text.encode()).hexdigest(),
        pages=extracted.pages,
        language=prepared.language,
        extracted_text=extracted.text,
        text=extracted.text,
        letter_parts=prepared.parts,
        search=Material.Search.QUEUED,
    )
    if data is not None:
        suffix = SUFFIXES.get(extracted.content_type, "bin")
        writes.store_file(material.original, new_object_name("materials", suffix), ContentFile(data))
    material.is_primary = (
        kind == Material.Kind.CV and not Material.objects.filter(user=user, is_primary=True).exists()
    )
    material.save()
    for row in prepared.chunk_rows:
        row.pk = None  # a retried write inserts them afresh
        row.material = material
    Chunk.objects.bulk_create(prepared.chunk_rows)
    audit.record(
        Event.MATERIAL_ADDED,
        actor=actor,
        subject=user,
        target=material,
        data={"kind": kind, "content_type": extracted.content_type, "chunks": len(prepared.chunk_rows)},
    )
    _queue_embedding(material)
    return material


def do_update_text(material: Material, text: str, *, actor: Actor) -> None:
    """Replace the text that scoring and drafting use; re-chunk and re-embed it."""
    extracted = extract_pasted(text)
    if not extracted.text:
        raise Refused("empty", _("The text cannot be empty. Delete the material instead."))
    if extracted.text == material.text:
        return
    prepared = _prepare(material.user, extracted, material.kind)
    writes.run(_replace_text, material, extracted.text, prepared, actor=actor)


def _replace_text(material: Material, text: str, prepared: _Prepared, *, actor: Actor) -> None:
    material.chunks.all().delete()
    for row in prepared.chunk_rows:
        row.pk = None  # a retried write inserts them afresh
        row.material = material
    Chunk.objects.bulk_create(prepared.chunk_rows)
    material.text = text
    material.language = prepared.language
    material.letter_parts = prepared.parts
    material.version = Material.objects.filter(pk=material.pk).values_list("version", flat=True).get() + 1
    material.save(update_fields=["text", "language", "letter_parts", "version", "updated_at"])
    audit.record(
        Event.MATERIAL_TEXT_EDITED,
        actor=actor,
        subject=material.user,
        target=material,
        data={"version": material.version, "chunks": len(prepared.chunk_rows)},
    )
    _queue_embedding(material)


@write_action
def do_retry_embedding(material: Material, *, actor: Actor) -> bool:
    """Queue the embedding of a material again after it failed. False when it had not failed."""
    # A conditional update: of two clicks at once, one queues the embedding.
    if not Material.objects.filter(pk=material.pk, search=Material.Search.FAILED).update(
        search=Material.Search.QUEUED
    ):
        return False
    material.search = Material.Search.QUEUED
    audit.record(Event.MATERIAL_INDEXING_RETRIED, actor=actor, subject=material.user, target=material)
    embed_material.enqueue(user_id=material.user_id, material_id=material.pk)
    return True


@write_action
def do_set_primary(material: Material, *, actor: Actor) -> None:
    if material.kind != Material.Kind.CV or material.is_primary:
        return
    Material.objects.filter(user=material.user, is_primary=True).update(is_primary=False)
    material.is_primary = True
    material.save(update_fields=["is_primary", "updated_at"])
    audit.record(Event.MATERIAL_PRIMARY_SET, actor=actor, subject=material.user, target=material)


@write_action
def do_delete_material(material: Material, *, actor: Actor) -> None:
    """Remove the original file, the material, its chunks and their embeddings."""
    writes.delete_file(material.original)
    audit.record(
        Event.MATERIAL_DELETED,
        actor=actor,
        subject=material.user,
        target=material,
        data={"kind": material.kind},
    )
    _announce_change(material.user_id)
    material.delete()


def do_import_linkedin(
    user: User, data: bytes, *, actor: Actor, file_name: str = "", material: Material | None = None
) -> Material:
    """A LinkedIn export as a CV material, or a newer export of it as the material's next version.

    A re-import replaces the text only when the user has not corrected it; otherwise the new text waits
    beside theirs until they choose (do_resolve_linkedin_import), so a correction is never lost silently.
    """
    if len(data) > settings.MATERIAL_MAX_BYTES:
        raise Refused(
            "too_large",
            _("This file is larger than %(max)d MB.") % {"max": settings.MATERIAL_MAX_BYTES // 2**20},
        )
    export = read_export(data)
    extracted = extract_pasted(export.text)
    if material is not None and material.text != material.extracted_text:
        return writes.run(_hold_linkedin_import, material, export, actor=actor)
    prepared = _prepare(user, extracted, Material.Kind.CV)
    return writes.run(
        _store_linkedin_import, user, export, extracted, prepared, file_name, material, actor=actor
    )


def _store_linkedin_import(
    user: User,
    export: LinkedInExport,
    extracted: Extracted,
    prepared: _Prepared,
    file_name: str,
    material: Material | None,
    *,
    actor: Actor,
) -> Material:
    size = len(extracted.text.encode())
    if material is None:
        material = Material(
            user=user,
            kind=Material.Kind.CV,
            title=pasted_title(Material.Kind.CV, extracted.text),
            content_type=MARKDOWN,
            # The zip is not kept (it holds messages too); its name says where the text came from.
            original_name=clean_file_name(file_name) if file_name else "",
            is_primary=not Material.objects.filter(user=user, is_primary=True).exists(),
            version=0,
        )
    else:
        material.chunks.all().delete()
        material.version = Material.objects.filter(pk=material.pk).values_list("version", flat=True).get()
    material.version += 1
    material.size = size
    material.sha256 = hashlib.sha256(extracted.text.encode()).hexdigest()
    material.language = prepared.language
    material.extracted_text = material.text = extracted.text
    material.save()
    for row in prepared.chunk_rows:
        row.pk = None  # a retried write inserts them afresh
        row.material = material
    Chunk.objects.bulk_create(prepared.chunk_rows)
    LinkedInImport.objects.update_or_create(
        material=material,
        defaults={
            "user": user,
            "imported_at": timezone.now(),
            "fields": [item.as_json() for item in export.fields],
            "files_read": export.files_read,
            "files_left_out": export.files_left_out,
            "pending_text": "",
            "pending_fields": [],
        },
    )
    _record_import(material, export, actor=actor, applied=True)
    _queue_embedding(material)
    return material


def _hold_linkedin_import(material: Material, export: LinkedInExport, *, actor: Actor) -> Material:
    LinkedInImport.objects.filter(material=material).update(
        pending_text=export.text, pending_fields=[item.as_json() for item in export.fields]
    )
    _record_import(material, export, actor=actor, applied=False)
    return material


def _record_import(material: Material, export: LinkedInExport, *, actor: Actor, applied: bool) -> None:
    # Counts and LinkedIn's own file names only: no value, and of the files left out only their number.
    audit.record(
        Event.MATERIAL_LINKEDIN_IMPORTED,
        actor=actor,
        subject=material.user,
        target=material,
        data={
            "files_read": export.files_read,
            "fields": len(export.fields),
            "files_left_out": export.files_left_out,
            "applied": applied,
        },
    )


def do_resolve_linkedin_import(material: Material, *, take_import: bool, actor: Actor) -> None:
    """After a re-import the user had corrected: take the new import's text, or keep their own."""
    held = LinkedInImport.objects.get(material=material)
    if not held.pending_text:
        return
    prepared = (
        _prepare(material.user, extract_pasted(held.pending_text), material.kind) if take_import else None
    )
    writes.run(_resolve_linkedin_import, material, held, prepared, actor=actor)


def _resolve_linkedin_import(
    material: Material, held: LinkedInImport, prepared: _Prepared | None, *, actor: Actor
) -> None:
    material.extracted_text = held.pending_text
    fields = ["extracted_text", "updated_at"]
    if prepared is not None:
        material.chunks.all().delete()
        for row in prepared.chunk_rows:
            row.pk = None  # a retried write inserts them afresh
            row.material = material
        Chunk.objects.bulk_create(prepared.chunk_rows)
        material.text = held.pending_text
        material.language = prepared.language
        material.version = Material.objects.filter(pk=material.pk).values_list("version", flat=True).get() + 1
        fields += ["text", "language", "version"]
    # Either way the new import becomes the reference: the next re-import is compared with it.
    material.save(update_fields=fields)
    held.fields, held.pending_fields, held.pending_text = held.pending_fields, [], ""
    held.imported_at = timezone.now()
    held.save(update_fields=["fields", "pending_fields", "pending_text", "imported_at"])
    audit.record(
        Event.MATERIAL_LINKEDIN_CHOSEN,
        actor=actor,
        subject=material.user,
        target=material,
        data={"took_import": prepared is not None, "version": material.version},
    )
    if prepared is not None:
        _queue_embedding(material)
