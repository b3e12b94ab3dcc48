"""Every change to a user's materials goes through these actions, and each writes its audit event."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import User
from materials.chunking import chunk_text, embedding_text
from materials.embedding import embed_chunk_texts
from materials.extraction import Extracted, ExtractionError, extract, extract_pasted
from materials.language import detect_language, letter_parts
from materials.models import Chunk, Material
from materials.signals import materials_changed
from omoikane.db import retry_on_conflict
from omoikane.storage import new_object_name
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event

logger = logging.getLogger(__name__)


def _announce_change(user_id: int) -> None:
    transaction.on_commit(lambda: materials_changed.send(sender=Material, user_id=user_id))


SUFFIXES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/markdown": "md",
    "text/plain": "txt",
}


class MaterialRefused(Exception):
    """The input cannot become a material; `message` says why, in words the user can act on."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class _Prepared:
    extracted: Extracted
    language: str
    parts: dict[str, str]
    chunk_rows: list[Chunk]


def _prepare(user: User, extracted: Extracted, kind: str) -> _Prepared:
    """Everything that can fail slowly (chunking, embedding) happens before the first write."""
    drafts = chunk_text(extracted.text)
    if not drafts:
        raise MaterialRefused(_("We found no text in this material. Paste the text instead."), "empty")
    embedded = embed_chunk_texts([embedding_text(draft) for draft in drafts])
    rows = [
        Chunk(
            user=user,
            ordinal=draft.ordinal,
            kind=draft.kind,
            section=draft.section[:300],
            text=draft.text,
            embedding=vector,
            model_name=embedded.model_name,
            model_version=embedded.model_version,
        )
        for draft, vector in zip(drafts, embedded.vectors, strict=True)
    ]
    parts = letter_parts(extracted.text) if kind == Material.Kind.LETTER else {}
    return _Prepared(
        extracted=extracted, language=detect_language(extracted.text), parts=parts, chunk_rows=rows
    )


def used_bytes(user: User) -> int:
    return Material.objects.filter(user=user).aggregate(total=Sum("size"))["total"] or 0


def clean_file_name(name: str) -> str:
    """The user's file name as data: no directories, no control characters, a sane length."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return base[:200] or "material"


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
    """Store an uploaded or pasted material with its text, chunks and embeddings, or nothing at all."""
    if (data is None) == (pasted_text is None):
        raise ValueError("Give either the bytes of a file or pasted text.")
    if data is not None:
        if len(data) > settings.MATERIAL_MAX_BYTES:
            raise MaterialRefused(
                _("This file is larger than %(max)d MB.") % {"max": settings.MATERIAL_MAX_BYTES // 2**20},
                "too_large",
            )
        if used_bytes(user) + len(data) > settings.MATERIALS_QUOTA_BYTES:
            raise MaterialRefused(
                _("Your materials would exceed your storage of %(max)d MB. Delete an old material first.")
                % {"max": settings.MATERIALS_QUOTA_BYTES // 2**20},
                "quota",
            )
        try:
            extracted = extract(data)
        except ExtractionError as error:
            raise MaterialRefused(str(error.message), error.code) from error
    else:
        extracted = extract_pasted(pasted_text or "")
        if not extracted.text:
            raise MaterialRefused(_("The pasted text is empty."), "empty")
    prepared = _prepare(user, extracted, kind)

    material = Material(
        user=user,
        kind=kind,
        title=title.strip() or clean_file_name(file_name),
        content_type=extracted.content_type,
        original_name=clean_file_name(file_name) if data is not None else "",
        size=len(data) if data is not None else len(extracted.text.encode()),
        sha256=hashlib.sha256(data if data is not None else extracted.text.encode()).hexdigest(),
        pages=extracted.pages,
        language=prepared.language,
        extracted_text=extracted.text,
        text=extracted.text,
        letter_parts=prepared.parts,
    )
    try:
        with transaction.atomic():
            if data is not None:
                suffix = SUFFIXES.get(extracted.content_type, "bin")
                material.original.save(new_object_name("materials", suffix), ContentFile(data), save=False)
            material.is_primary = (
                kind == Material.Kind.CV and not Material.objects.filter(user=user, is_primary=True).exists()
            )
            material.save()
            for row in prepared.chunk_rows:
                row.material = material
            Chunk.objects.bulk_create(prepared.chunk_rows)
            audit.record(
                Event.MATERIAL_ADDED,
                actor=actor,
                subject=user,
                target=material,
                data={
                    "kind": kind,
                    "content_type": extracted.content_type,
                    "chunks": len(prepared.chunk_rows),
                },
            )
            _announce_change(user.pk)
    except BaseException:
        # The file reached storage before the rows failed: remove it, so nothing half-stored remains.
        if material.original.name:
            material.original.storage.delete(material.original.name)
        raise
    return material


@retry_on_conflict
def do_update_text(material: Material, text: str, *, actor: Actor) -> None:
    """Replace the text that scoring and drafting use; re-chunk and re-embed it."""
    extracted = extract_pasted(text)
    if not extracted.text:
        raise MaterialRefused(_("The text cannot be empty. Delete the material instead."), "empty")
    if extracted.text == material.text:
        return
    prepared = _prepare(material.user, extracted, material.kind)
    with transaction.atomic():
        material.chunks.all().delete()
        for row in prepared.chunk_rows:
            row.material = material
        Chunk.objects.bulk_create(prepared.chunk_rows)
        material.text = extracted.text
        material.language = prepared.language
        material.letter_parts = prepared.parts
        material.version += 1
        material.save(update_fields=["text", "language", "letter_parts", "version", "updated_at"])
        audit.record(
            Event.MATERIAL_TEXT_EDITED,
            actor=actor,
            subject=material.user,
            target=material,
            data={"version": material.version, "chunks": len(prepared.chunk_rows)},
        )
        _announce_change(material.user_id)


@retry_on_conflict
def do_set_primary(material: Material, *, actor: Actor) -> None:
    if material.kind != Material.Kind.CV or material.is_primary:
        return
    with transaction.atomic():
        Material.objects.filter(user=material.user, is_primary=True).update(is_primary=False)
        material.is_primary = True
        material.save(update_fields=["is_primary", "updated_at"])
        audit.record(Event.MATERIAL_PRIMARY_SET, actor=actor, subject=material.user, target=material)


def do_delete_material(material: Material, *, actor: Actor) -> None:
    """Remove the original file, the material, its chunks and their embeddings."""
    # Deleting the file before the rows: if this dies between the two, the row still points at the
    # missing file and deleting again finishes the job. The other order would orphan the file.
    if material.original.name:
        material.original.storage.delete(material.original.name)
    with transaction.atomic():
        audit.record(
            Event.MATERIAL_DELETED,
            actor=actor,
            subject=material.user,
            target=material,
            data={"kind": material.kind},
        )
        _announce_change(material.user_id)
        material.delete()
