"""Embedding a material's chunks in the worker, after the upload's page has answered.

An upload, a corrected text or a LinkedIn import stores the material's text and chunks at once and marks it
"queued" (materials.actions); the task in materials.tasks runs do_embed_material, which stores the vectors
and marks it "ready", or "failed", which the material's page explains beside a button to try again.
Until it is ready, search and scoring do not see the new chunks (coach reads only embedded ones), and no
score claims to have seen the material (MaterialQuerySet.versions_of).
"""

from __future__ import annotations

import logging

from materials.chunking import ChunkDraft, embedding_text
from materials.embedding import ChunkVectors, embed_chunk_texts
from materials.models import Chunk, Material
from materials.signals import materials_changed
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event

logger = logging.getLogger(__name__)

SYSTEM = Actor.system("search")


def do_embed_material(material: Material) -> int:
    """Embed the material's chunks that have no vector yet; returns how many were embedded.

    The vectors are computed before the write, like every slow step: the write stores them only on the
    chunks that still exist (a corrected text replaces the chunks, and queues an embedding of its own).
    """
    pending = list(material.chunks.filter(embedding__isnull=True).order_by("ordinal"))
    try:
        vectors = (
            embed_chunk_texts(
                [
                    embedding_text(ChunkDraft(ordinal=c.ordinal, kind=c.kind, section=c.section, text=c.text))
                    for c in pending
                ]
            )
            if pending
            else None
        )
    except Exception:
        logger.exception("Embedding material %s failed", material.pk)
        writes.run(_mark_failed, material)
        raise
    return writes.run(_store_vectors, material, pending, vectors)


def _store_vectors(material: Material, pending: list[Chunk], vectors: ChunkVectors | None) -> int:
    if vectors is not None:
        for chunk, vector in zip(pending, vectors.vectors, strict=True):
            chunk.embedding = vector
            chunk.model_name, chunk.model_version = vectors.model_name, vectors.model_version
        # Chunks deleted meanwhile (the text was corrected again) are simply not updated.
        Chunk.objects.bulk_update(pending, ["embedding", "model_name", "model_version"])
    if material.chunks.filter(embedding__isnull=True).exists():
        # Newer chunks wait for the embedding their own change queued; that one marks the material ready.
        return len(pending)
    if not Material.objects.filter(pk=material.pk).update(search=Material.Search.READY):
        return 0  # deleted while the worker embedded it
    material.search = Material.Search.READY
    audit.record(
        Event.MATERIAL_INDEXED,
        actor=SYSTEM,
        subject=material.user,
        target=material,
        data={"chunks": len(pending), "model": vectors.model_name if vectors else ""},
    )
    user_id = material.user_id
    # Now the chunks can be found: scores computed without them are computed again (applications.tasks).
    writes.on_commit(lambda: materials_changed.send(sender=Material, user_id=user_id))
    return len(pending)


def _mark_failed(material: Material) -> None:
    # The page says what happened in the reader's language; the log has the exception.
    if not Material.objects.filter(pk=material.pk).update(search=Material.Search.FAILED):
        return
    material.search = Material.Search.FAILED
    audit.record(Event.MATERIAL_INDEXING_FAILED, actor=SYSTEM, subject=material.user, target=material)
