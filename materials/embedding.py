"""The vectors a material's chunks are stored with, from whichever app owns the embedding model.

Materials stores the vectors but not the model that makes them: coach owns it (it embeds requirement
lines with the same model, and re-embeds stale chunks), and coach sits above materials, so materials may
not import it. Coach registers its embedder here from its AppConfig.ready(). A registry rather than moving
the model down into materials: the model is the coach's "intelligence" (DESIGN.md), this module stays a
few lines, and coach keeps one place that decides how and with what a chunk is embedded. A registry rather
than a settings string: no deployment chooses the model, so it is wiring, not configuration.

The actions ask for the vectors before their first write, so a material is stored whole, chunks and
vectors together, or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class ChunkVectors:
    """One float32 vector (as bytes) per text, and the model that made them, stored with every chunk."""

    vectors: list[bytes]
    model_name: str
    model_version: str


Embedder = Callable[[Sequence[str]], ChunkVectors]

_embedder: Embedder | None = None


def register_embedder(embedder: Embedder) -> None:
    """Make `embedder` the one that embeds chunk texts. Called once, by the app that owns the model."""
    global _embedder
    _embedder = embedder


def embed_chunk_texts(texts: Sequence[str]) -> ChunkVectors:
    """Vectors for chunk texts (materials.chunking.embedding_text of each chunk), in the same order."""
    if _embedder is None:
        raise ImproperlyConfigured("No chunk embedder is registered: is coach in INSTALLED_APPS?")
    return _embedder(texts)
