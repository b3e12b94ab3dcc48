"""Per-user search: which of a user's chunks best support a given text (usually a requirement line).

An exact scan: a user has hundreds to a few thousand chunks, and a matrix product over them takes well
under a millisecond per query, with no index to build, keep in sync or leak across users.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from coach import embeddings
from coach.lexical import LexicalIndex
from materials.models import Chunk

if TYPE_CHECKING:
    from accounts.models import User

# The blend of meaning and wording (bench/README.md, "Embedding model", has the grid it came from).
# The semantic part carries paraphrase and other languages; the lexical part rewards the exact terms
# (tools, certificates, degrees) a recruiter scans for, which also survive translation.
SEMANTIC_WEIGHT = 0.7
LEXICAL_WEIGHT = 0.3


@dataclass(frozen=True)
class Match:
    chunk: Chunk
    score: float
    semantic: float
    lexical: float


@dataclass
class UserIndex:
    """A user's chunks, vectors and lexical index: loaded once, searched for every line of a posting."""

    chunks: list[Chunk]
    matrix: np.ndarray
    lexical: LexicalIndex = field(repr=False)

    @classmethod
    def load(cls, user: User, *, kinds: Sequence[str] | None = None) -> UserIndex:

        # The materials' own texts are large and searching never reads them: leave them in the database.
        queryset = (
            Chunk.objects.filter(user=user, embedding__isnull=False)
            .select_related("material")
            .defer("material__text", "material__extracted_text", "material__letter_parts")
        )
        if kinds is not None:
            queryset = queryset.filter(material__kind__in=list(kinds))
        chunks = list(queryset.order_by("material_id", "ordinal"))
        matrix = embeddings.matrix_from_bytes([bytes(c.embedding) for c in chunks if c.embedding is not None])
        return cls(chunks=chunks, matrix=matrix, lexical=LexicalIndex([c.text for c in chunks]))

    def search(self, query: str, *, limit: int = 3) -> list[Match]:
        return self.search_many([query], limit=limit)[0]

    def search_many(self, queries: Sequence[str], *, limit: int = 3) -> list[list[Match]]:
        """The best `limit` matches for each query; one embedding call for all of them."""
        if not self.chunks:
            return [[] for _ in queries]
        semantic_all = embeddings.relevance(embeddings.embed(list(queries), query=True), self.matrix)
        results: list[list[Match]] = []
        for row, query in zip(semantic_all, queries, strict=True):
            if not query.strip():
                results.append([])
                continue
            wording = self.lexical.scores(query)
            combined = SEMANTIC_WEIGHT * row + LEXICAL_WEIGHT * wording
            # A stable sort keeps equal scores in document order, so results are reproducible.
            order = np.argsort(-combined, kind="stable")[:limit]
            results.append(
                [
                    Match(
                        chunk=self.chunks[i],
                        score=float(combined[i]),
                        semantic=float(row[i]),
                        lexical=float(wording[i]),
                    )
                    for i in order
                ]
            )
        return results


def search(user: User, query: str, *, limit: int = 3) -> list[Match]:
    """The user's best-matching chunks for `query`, best first, with their scores."""
    return UserIndex.load(user).search(query, limit=limit)
