"""Lexical similarity of a query to a user's chunk texts: TF-IDF cosine over character n-grams.

It complements the embeddings where they are weakest: exact technical terms ("PostgreSQL", "HL7 FHIR",
"PCI DSS") and names that stay the same across languages, which a small multilingual model blurs.
Character n-grams inside word boundaries (3 to 5 characters, each word padded with a space) also match
parts of compounds and inflections ("Kubernetes-Cluster", "Terraform-Module", "Python-utvikler").
bench/README.md, "Embedding model", has the measurements behind the choice and the weights.

Text is compared case-folded, in Unicode compatibility form and without diacritics, so "Ελληνικά" and
"ελληνικα", "Café" and "cafe", "ﬁle" and "file" meet. IDF comes from the documents given (one user's
chunks); the result is deterministic and needs nothing but the texts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from omoikane.text import fold

_WORD = re.compile(r"\w+")
NGRAM_SIZES = (3, 4, 5)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


class LexicalIndex:
    """The documents' n-gram vectors, built once and asked any number of queries.

    Building takes about 0.3 ms per chunk (0.8 s for 3,000), a query then well under a millisecond:
    score a posting's requirement lines against one index rather than calling lexical_scores() for each.
    """

    def __init__(self, documents: Sequence[str], ngram_sizes: Sequence[int] = NGRAM_SIZES) -> None:
        if isinstance(documents, str):
            raise TypeError("LexicalIndex takes a sequence of texts, not one string")
        self.ngram_sizes = tuple(ngram_sizes)
        self.size = len(documents)
        self._grams_of_word: dict[str, list[str]] = {}
        counts = [self._counts(document) for document in documents]
        frequency: Counter[str] = Counter()
        for document in counts:
            frequency.update(document.keys())
        # Smoothed IDF as in scikit-learn: never zero, so a term in every chunk still counts a little.
        self._idf = {term: math.log((1 + self.size) / (1 + df)) + 1.0 for term, df in frequency.items()}
        self._unseen_idf = math.log(1 + self.size) + 1.0
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for number, document in enumerate(counts):
            for term, weight in self._unit_weights(document).items():
                entry = postings.setdefault(term, ([], []))
                entry[0].append(number)
                entry[1].append(weight)
        self._postings = {
            term: (np.array(numbers, dtype=np.intp), np.array(weights, dtype=np.float64))
            for term, (numbers, weights) in postings.items()
        }

    def scores(self, query: str) -> npt.NDArray[np.float64]:
        """Cosine of the query's vector with each document's: one value in [0, 1] per document."""
        totals = np.zeros(self.size, dtype=np.float64)
        for term, weight in self._unit_weights(self._counts(query)).items():
            posting = self._postings.get(term)
            if posting is not None:
                totals += np.bincount(posting[0], weights=posting[1] * weight, minlength=self.size)
        return np.clip(totals, 0.0, 1.0)

    def _counts(self, text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        for word in words(text):
            grams = self._grams_of_word.get(word)
            if grams is None:
                grams = list(_ngrams(word, self.ngram_sizes))
                self._grams_of_word[word] = grams
            counts.update(grams)
        return counts

    def _unit_weights(self, counts: Counter[str]) -> dict[str, float]:
        # Sublinear term frequency: a term said five times is not five times the evidence.
        weights = {
            term: (1.0 + math.log(count)) * self._idf.get(term, self._unseen_idf)
            for term, count in counts.items()
        }
        norm = math.sqrt(sum(value * value for value in weights.values()))
        if norm == 0.0:
            return {}
        return {term: value / norm for term, value in weights.items()}


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


def lexical_scores(query: str, documents: Sequence[str]) -> npt.NDArray[np.float64]:
    """How much of the query's wording each document shares, in [0, 1] (1: the same n-grams)."""
    return LexicalIndex(documents).scores(query)
