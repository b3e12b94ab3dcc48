"""Lexical similarity of a query to a user's chunk texts: TF-IDF cosine over character n-grams.

It complements the embeddings where they are weakest: exact technical terms ("PostgreSQL", "HL7 FHIR",
"PCI DSS") and names that stay the same across languages, which a small multilingual model blurs.
Character n-grams inside word boundaries (3 to 5 characters, each word padded with a space) also match
parts of compounds and inflections ("Kubernetes-Cluster", "Terraform-Module", "Python-utvikler").
bench/README.md, "Embedding model", has the measurements behind the choice and the weights.

Text is compared case-folded, in Unicode compatibility form and without diacritics, so "Ελληνικά" and
"ελληνικα", "Café" and "cafe", "ﬁle" and "file" meet. IDF comes from the documents given (one user's
chunks); the result is deterministic and needs nothing but the texts.

Building is in two steps so that a user's index can be rebuilt when one material changes without
reading every text again: `Vocabulary.terms_of()` turns texts into n-gram counts (the per-text part:
0.26 s of CPU for 5,000 chunks), and `LexicalIndex.from_terms()` weighs any set of them with NumPy
(0.09 s for the same 5,000; the build this replaced took 1.3 s). coach/warm_index.py keeps the counts
per material.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from omoikane.text import fold

_WORD = re.compile(r"\w+")
NGRAM_SIZES = (3, 4, 5)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Terms:
    """The n-gram counts of some documents, as ids of a Vocabulary: document i's are ids[offsets[i]:
    offsets[i + 1]], each id once, with its sublinear weight 1 + log(count) in `tf`."""

    offsets: IntArray
    ids: IntArray
    tf: FloatArray

    @property
    def size(self) -> int:
        return len(self.offsets) - 1

    @classmethod
    def join(cls, parts: Sequence[Terms]) -> Terms:
        """The documents of every part, in order, as one Terms (ids of the same Vocabulary)."""
        if not parts:
            return cls(
                np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
            )
        ends = np.cumsum([0] + [int(part.offsets[-1]) for part in parts])
        offsets = [parts[0].offsets[:1]] + [
            part.offsets[1:] + start for part, start in zip(parts, ends[:-1], strict=True)
        ]
        return cls(
            np.concatenate(offsets).astype(np.int64),
            np.concatenate([part.ids for part in parts]).astype(np.int64),
            np.concatenate([part.tf for part in parts]).astype(np.float64),
        )


class Vocabulary:
    """Numbers for n-grams, shared by the Terms of one user's index. It only grows: a number given once
    keeps its n-gram, so Terms made earlier stay valid."""

    def __init__(self, grams: Sequence[str] = (), ngram_sizes: Sequence[int] = NGRAM_SIZES) -> None:
        self.ngram_sizes = tuple(ngram_sizes)
        self.grams: list[str] = list(grams)
        self.ids: dict[str, int] = {gram: number for number, gram in enumerate(self.grams)}
        self._ids_of_word: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self.grams)

    def copy(self) -> Vocabulary:
        """Another vocabulary to grow, leaving this one (and the indexes reading it) as it is."""
        return Vocabulary(self.grams, self.ngram_sizes)

    def terms_of(self, documents: Sequence[str]) -> Terms:
        offsets = [0]
        ids: list[int] = []
        counts: list[int] = []
        for document in documents:
            counted: Counter[int] = Counter()
            for word in words(document):
                numbers = self._ids_of_word.get(word)
                if numbers is None:
                    numbers = [self._number(gram) for gram in _ngrams(word, self.ngram_sizes)]
                    self._ids_of_word[word] = numbers
                counted.update(numbers)
            ids.extend(counted.keys())
            counts.extend(counted.values())
            offsets.append(len(ids))
        return Terms(
            np.array(offsets, dtype=np.int64),
            np.array(ids, dtype=np.int64),
            # Sublinear term frequency: a term said five times is not five times the evidence.
            1.0 + np.log(np.array(counts, dtype=np.float64)),
        )

    def query_counts(self, text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        for word in words(text):
            counts.update(_ngrams(word, self.ngram_sizes))
        return counts

    def _number(self, gram: str) -> int:
        number = self.ids.get(gram)
        if number is None:
            number = self.ids[gram] = len(self.grams)
            self.grams.append(gram)
        return number


class LexicalIndex:
    """The documents' n-gram vectors, built once and asked any number of queries: a query takes well
    under a millisecond, so score a posting's requirement lines against one index."""

    def __init__(self, documents: Sequence[str], ngram_sizes: Sequence[int] = NGRAM_SIZES) -> None:
        if isinstance(documents, str):
            raise TypeError("LexicalIndex takes a sequence of texts, not one string")
        vocabulary = Vocabulary(ngram_sizes=ngram_sizes)
        self._build(vocabulary.terms_of(documents), vocabulary)

    @classmethod
    def from_terms(cls, terms: Terms, vocabulary: Vocabulary) -> LexicalIndex:
        index = cls.__new__(cls)
        index._build(terms, vocabulary)
        return index

    def _build(self, terms: Terms, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.ngram_sizes = vocabulary.ngram_sizes
        self.size = size = terms.size
        width = len(vocabulary)
        # A document holds each of its terms once, so a term's count of entries is its document frequency.
        frequency = np.bincount(terms.ids, minlength=width)
        # Smoothed IDF as in scikit-learn: never zero, so a term in every chunk still counts a little. A
        # term of the vocabulary no document has now (its material was removed) weighs as an unseen one.
        self._idf = np.log((1.0 + size) / (1.0 + frequency)) + 1.0
        self._unseen_idf = math.log(1 + size) + 1.0
        document = np.repeat(np.arange(size, dtype=np.int64), np.diff(terms.offsets))
        weights = terms.tf * self._idf[terms.ids]
        norms = np.sqrt(np.bincount(document, weights=weights * weights, minlength=size))
        if weights.size:
            weights /= norms[document]
        # Postings: for each term, the documents that have it and its unit weight in each.
        order = np.argsort(terms.ids, kind="stable")
        self._documents = document[order]
        self._weights = weights[order]
        self._starts = np.zeros(width + 1, dtype=np.int64)
        np.cumsum(frequency, out=self._starts[1:])

    def scores(self, query: str) -> FloatArray:
        """Cosine of the query's vector with each document's: one value in [0, 1] per document."""
        counts = self.vocabulary.query_counts(query)
        known = self.vocabulary.ids
        width = len(self._starts) - 1
        numbers: list[int] = []
        weights: list[float] = []
        squares = 0.0
        for gram, count in counts.items():
            number = known.get(gram, width)
            # The vocabulary may have grown for another index since this one was built.
            seen = number < width
            weight = (1.0 + math.log(count)) * (float(self._idf[number]) if seen else self._unseen_idf)
            squares += weight * weight
            if seen:
                numbers.append(number)
                weights.append(weight)
        if not numbers or squares == 0.0:
            return np.zeros(self.size, dtype=np.float64)
        norm = math.sqrt(squares)
        starts, ends = self._starts[numbers], self._starts[np.array(numbers) + 1]
        lengths = ends - starts
        if not lengths.any():
            return np.zeros(self.size, dtype=np.float64)
        picked = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        scaled = self._weights[picked] * np.repeat(np.array(weights) / norm, lengths)
        totals = np.bincount(self._documents[picked], weights=scaled, minlength=self.size)
        return np.clip(totals, 0.0, 1.0)


def _ngrams(word: str, sizes: Iterable[int]) -> Iterable[str]:
    padded = f" {word} "
    whole = False
    for size in sizes:
        if len(padded) <= size:
            # A word shorter than the n-gram still counts, once and whole ("C", "Go", "R").
            if not whole:
                yield padded
                whole = True
            continue
        for start in range(len(padded) - size + 1):
            yield padded[start : start + size]


def lexical_scores(query: str, documents: Sequence[str]) -> FloatArray:
    """How much of the query's wording each document shares, in [0, 1] (1: the same n-grams)."""
    return LexicalIndex(documents).scores(query)
