"""Embedding a user's chunks, and keeping them embedded by the current model."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.tasks import task

from coach import embeddings
from materials.chunking import ChunkDraft, embedding_text
from materials.embedding import ChunkVectors
from materials.models import Chunk
from privacy_kernel import audit, writes
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event

logger = logging.getLogger(__name__)
BATCH = 64


def vectors_for(texts: Sequence[str]) -> list[bytes]:
    """Embed texts in batches; the float32 bytes are what a Chunk stores."""
    out: list[bytes] = []
    for start in range(0, len(texts), BATCH):
        matrix = embeddings.embed(texts[start : start + BATCH])
        out.extend(embeddings.to_bytes(row) for row in matrix)
    return out


def embed_chunk_texts(texts: Sequence[str]) -> ChunkVectors:
    """Vectors for new chunks with the current model's name and version; materials calls it (see apps.py)."""
    return ChunkVectors(
        vectors=vectors_for(texts), model_name=embeddings.MODEL_NAME, model_version=embeddings.MODEL_VERSION
    )


def stale_user_ids() -> list[int]:
    """Users with at least one chunk embedded by another model (or not at all)."""
    return sorted(
        set(
            Chunk.objects.exclude(model_version=embeddings.MODEL_VERSION, model_name=embeddings.MODEL_NAME)
            .values_list("user_id", flat=True)
            .distinct()
        )
    )


def enqueue_stale() -> int:
    """Queue a re-embedding for every user whose chunks an older model made. Returns how many were queued."""
    user_ids = stale_user_ids()
    for user_id in user_ids:
        reembed_user.enqueue(user_id=user_id)
    return len(user_ids)


def _store_vectors(stale: list[Chunk]) -> None:
    Chunk.objects.bulk_update(stale, ["embedding", "model_name", "model_version"])
    audit.record(
        Event.MATERIALS_REEMBEDDED,
        actor=Actor.system("reembed"),
        subject=stale[0].user,
        data={"chunks": len(stale), "model": embeddings.MODEL_NAME},
    )


@task()
def reembed_user(*, user_id: int) -> int:
    """Re-embed one user's stale chunks with the current model; returns how many chunks changed."""
    stale = list(
        Chunk.objects.filter(user_id=user_id)
        .exclude(model_version=embeddings.MODEL_VERSION, model_name=embeddings.MODEL_NAME)
        .select_related("material", "user")
    )
    if not stale:
        return 0
    texts = [
        embedding_text(ChunkDraft(ordinal=c.ordinal, kind=c.kind, section=c.section, text=c.text))
        for c in stale
    ]
    for chunk, vector in zip(stale, vectors_for(texts), strict=True):
        chunk.embedding = vector
        chunk.model_name = embeddings.MODEL_NAME
        chunk.model_version = embeddings.MODEL_VERSION
    writes.run(_store_vectors, stale)
    logger.info("Re-embedded %d chunks of user %d", len(stale), user_id)
    return len(stale)
