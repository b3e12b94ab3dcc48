"""Per-user search: which of a user's chunks best support a given text (usually a requirement line).

An exact scan: a user has hundreds to a few thousand chunks, and a matrix product over them takes well
under a millisecond per query, with no approximate index to tune. What is costly is gathering the chunks
and building their lexical index, so a user's loaded `UserIndex` is kept, per user and keyed by their
materials' versions, by coach/warm_index.py.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from coach import embeddings, warm_index
from coach.lexical import LexicalIndex
from materials.models import Chunk, Material
from omoikane.text import fold

if TYPE_CHECKING:
    from accounts.models import User

# The blend of meaning and wording (bench/README.md, "Embedding model", has the grid it came from).
# The semantic part carries paraphrase and other languages; the lexical part rewards the exact terms
# (tools, certificates, degrees) a recruiter scans for, which also survive translation.
SEMANTIC_WEIGHT = 0.7
LEXICAL_WEIGHT = 0.3


EXPANSIONS_FILE = Path(__file__).with_name("expansions.toml")
# An expansion is another wording of the query, not the query: its best chunk counts a little less, so
# that a chunk matching the requirement's own words still wins a tie.
EXPANSION_WEIGHT = 0.95


@functools.cache
def _expansions() -> tuple[tuple[re.Pattern[str], str], ...]:
    groups = tomllib.loads(EXPANSIONS_FILE.read_text(encoding="utf-8"))
    return tuple(
        (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(word)) for word in group["when"]) + ")"),
            str(group["also"]),
        )
        for group in groups.values()
    )


def expansion(query: str) -> str:
    """The other wordings of the concepts a requirement names (coach/expansions.toml), or ""."""
    folded = fold(query)
    return " ".join(also for pattern, also in _expansions() if pattern.search(folded))


# A letter's greeting, sign-off and closing courtesies show nothing about the writer, yet a small model
# finds them close to any requirement ("Dear Hiring Team", "Kind regards, Ingrid"): they were offered as
# evidence. Read on the folded start of a short letter chunk, in the five languages.
_LETTER_FORMULA = re.compile(
    r"^(?:dear|hi|hello|to whom|kind regards|best regards|best wishes|warm regards|regards|sincerely|"
    r"yours|thank you for|i look forward|looking forward|"
    r"beste|geachte|hallo|beste groet|met vriendelijke groet|vriendelijke groet|hartelijke groet|"
    r"groeten|ik kijk uit naar|ik vertel u graag|graag tot|"
    r"hei|kjaere|til ansettelses|med vennlig hilsen|vennlig hilsen|beste hilsen|hilsen|"
    r"jeg ser fram|jeg ser frem|"
    r"takk for|sehr geehrte|liebe|lieber|guten tag|mit freundlichen grussen|freundliche grusse|"
    r"viele grusse|beste grusse|ich freue mich auf|"
    r"αγαπητ|αξιοτιμ|με εκτιμηση|με φιλικους χαιρετισμους|φιλικα|ευχαριστω|ανυπομονω|"
    r"προσβλεπω)"
)
# A letter chunk this short holds a name, a date or a code name, not a claim ("Project Falcon").
_MIN_LETTER_WORDS = 4
_MAX_FORMULA_WORDS = 15


def searchable(kind: str, text: str) -> bool:
    """Whether a chunk can be evidence: every CV line can; a letter's greetings and sign-offs cannot."""
    if kind != Material.Kind.LETTER:
        return True
    words = len(re.findall(r"\w+", text))
    if words < _MIN_LETTER_WORDS:
        return False
    return not (words <= _MAX_FORMULA_WORDS and _LETTER_FORMULA.match(fold(text).strip()))


@dataclass(frozen=True)
class Match:
    chunk: Chunk
    score: float
    semantic: float
    lexical: float


# Texts embedded per index and kept with it (requirement lines, draft sentences, the posting's head): a
# posting is scored again when the materials change and a draft is checked again when edited. About 1.5 KB
# a text.
EMBEDDED_TEXTS_KEPT = 2048


@dataclass
class UserIndex:
    """A user's chunks, vectors and lexical index: loaded once, searched for every line of a posting.

    `load()` answers from coach.warm_index, which keeps it between requests and processes."""

    chunks: list[Chunk]
    matrix: np.ndarray
    lexical: LexicalIndex = field(repr=False)
    # (query?, text) -> unit vector. Per index, so per user: nothing embedded for one user answers another.
    embedded: dict[tuple[bool, str], np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, user: User, *, kinds: Sequence[str] | None = None) -> UserIndex:
        return warm_index.load(user, make=cls.made, keep=searchable, kinds=kinds)

    @classmethod
    def made(cls, chunks: list[Chunk], matrix: np.ndarray, lexical: LexicalIndex) -> UserIndex:
        return cls(chunks=chunks, matrix=matrix, lexical=lexical)

    def embed(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        """embeddings.embed(texts, query=query), each text embedded once for the life of the index."""
        kept = self.embedded
        found: dict[str, np.ndarray] = {}
        for text in texts:
            vector = kept.get((query, text))
            if vector is not None:
                found[text] = vector
        missing = list(dict.fromkeys(text for text in texts if text not in found))
        if missing:
            for text, vector in zip(missing, embeddings.embed(missing, query=query), strict=True):
                found[text] = vector
                kept[(query, text)] = vector
            # Oldest first: a dict keeps insertion order. Another thread may be trimming too.
            for key in list(kept)[: max(0, len(kept) - EMBEDDED_TEXTS_KEPT)]:
                kept.pop(key, None)
        if not texts:
            return np.zeros((0, embeddings.dimension()), dtype=np.float32)
        return np.stack([found[text] for text in texts]).astype(np.float32, copy=False)

    def search(self, query: str, *, limit: int = 3) -> list[Match]:
        return self.search_many([query], limit=limit)[0]

    def search_many(self, queries: Sequence[str], *, limit: int = 3) -> list[list[Match]]:
        """The best `limit` matches for each query; one embedding call for all of them."""
        if not self.chunks:
            return [[] for _ in queries]
        extra = [expansion(query) for query in queries]
        asked = list(queries) + [text for text in extra if text]
        semantic_all = embeddings.relevance(self.embed(asked, query=True), self.matrix)
        expanded_rows = iter(semantic_all[len(queries) :])
        results: list[list[Match]] = []
        for row, query, also in zip(semantic_all, queries, extra, strict=False):
            expanded_row = next(expanded_rows) if also else None
            if not query.strip():
                results.append([])
                continue
            wording = self.lexical.scores(query)
            combined = SEMANTIC_WEIGHT * row + LEXICAL_WEIGHT * wording
            if expanded_row is not None:
                # The requirement said one way, or the same concept said the way CVs say it.
                other = SEMANTIC_WEIGHT * expanded_row + LEXICAL_WEIGHT * self.lexical.scores(also)
                combined = np.maximum(combined, EXPANSION_WEIGHT * other)
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
