"""Fit score: how much of what a posting asks for the user's own materials show, and where.

Every requirement line of the posting (coach.requirements) is called covered, partial or missing from
three kinds of evidence, strongest first:

1. A language requirement ("Fluent Norwegian", "Deutschkenntnisse mindestens B2", "Άριστη γνώση
   αγγλικών") is decided on levels, not likeness: the level the posting asks (CEFR codes and level words
   in five languages) against the level the materials state ("German (intermediate)") or imply (a CV
   written in Dutch shows Dutch). Embeddings cannot tell B1 from C1, and a language the candidate lacks
   is a hard gap, so a level below the one asked is missing.
2. Key terms: tools, certificates, degrees and names in the line ("PCI DSS", "HubSpot", "HL7 FHIR",
   "Metavision"). Found in a chunk they are the strongest evidence there is (at least half of them:
   covered; fewer: partial). Named but found nowhere, they lower the verdict of likeness by one level: a
   posting that names a tool wants that tool, however close the rest of the CV reads. Across languages
   only names written alike everywhere count against ("Kubernetes", not "VAT", which a German CV calls
   "USt").
3. Likeness: the best chunk's score, 0.7 * hub-corrected relevance + 0.3 * lexical similarity as in
   coach.retrieval, the lexical half asked only the line's subject words (not "years of experience"),
   against two calibrated thresholds.

Calibration (bench/scoring.py --calibrate, on coach/tests/scoring_data/calibration only): for every
labelled requirement that is not a language requirement, P(covered | score) was fitted with a logistic
curve. PARTIAL_AT is where it crosses 1/3 and COVERED_AT where it crosses 2/3, so the three statuses
mean "probably not", "cannot tell" and "probably", and a partial's half credit is about its
probability. Chunks in another language than the posting score lower for the same match (the small
model is weaker across languages and shares fewer words); the shift that makes one curve fit both was
fitted too, by likelihood, and matches the gap between curves fitted to each apart.

The score is the weighted coverage: must-haves weigh 2, nice-to-haves 1, partial counts half. A
must-have shown to be missing (a language below the level, or named terms found nowhere) keeps the band
out of "high", the score capped just below it: a recruiter does not call a candidate clearly qualified
who lacks something the posting requires. A must-have merely not found by likeness does not cap, as a
paraphrase the small model missed looks the same. Bands: 70 and up high, 40 to 69 medium, below 40 low.
A posting from another trade than the candidate's (coach/fields.py) turns a medium into a low.
bench/README.md, "Fit scoring", has the figures.

Same inputs give the same score: no randomness, stable sorts, scores rounded before any comparison.

The file reads top to bottom: the result types, the score, the three kinds of evidence. The readers they
use, with their five-language word lists, live in modules of their own: subject words and key terms in
coach/terms.py, language requirements and levels in coach/language_levels.py.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from django.db import models
from django.utils.translation import gettext_lazy as _

from coach import embeddings
from coach.fields import head, read_fields
from coach.language_levels import candidate_languages, language_requirement, languages_met
from coach.requirements import RequirementLine, extract_requirements, fold
from coach.retrieval import EXPANSION_WEIGHT, LEXICAL_WEIGHT, SEMANTIC_WEIGHT, UserIndex, expansion
from coach.terms import Haystack, key_terms, subject_words, travels
from materials.language import detect_language
from materials.models import Material

if TYPE_CHECKING:
    from accounts.models import User
    from materials.models import Chunk

# Bump when a change here or in coach.requirements, coach.terms or coach.language_levels can change a score,
# so stored scores can be redone.
SCORER_VERSION = "3"

# Fitted by bench/scoring.py --calibrate (bench/results/scoring-calibration.json); refit them, do not
# hand-tune them, when the model, the blend or subject_words() changes.
PARTIAL_AT = 0.337
COVERED_AT = 0.354
CROSS_LANGUAGE_SHIFT = 0.0425

MUST_WEIGHT = 2.0
NICE_WEIGHT = 1.0
PARTIAL_CREDIT = 0.5
# "Clearly qualified" needs about two thirds of the weighted requirements and no proven must-have gap;
# under two fifths most of what the posting asks is not shown. On the labelled sets the lows sit at 0-36
# and the mediums at 39-69, mostly held below 70 by a missing language or named tool.
HIGH_FROM = 70
MEDIUM_FROM = 40
MAX_EVIDENCE = 3
# Real postings have 5-30 requirement lines; each costs about 30 ms to embed. A paste with hundreds of
# bullets (the form allows 100,000 characters) would otherwise hold a request for a minute: the first 60
# in reading order are scored.
MAX_REQUIREMENTS = 60


class Status(models.TextChoices):
    COVERED = "covered", _("Covered")
    PARTIAL = "partial", _("Partly covered")
    MISSING = "missing", _("Missing")


class Band(models.TextChoices):
    HIGH = "high", _("Strong fit")
    MEDIUM = "medium", _("Partial fit")
    LOW = "low", _("Weak fit")


class Basis(models.TextChoices):
    """What decided a requirement's status, for the explanation next to it."""

    LANGUAGE = "language", _("Language level")
    TERMS = "terms", _("Named tools and qualifications")
    SIMILARITY = "similarity", _("Similar experience")
    NO_MATERIALS = "no materials", _("No materials yet")


@dataclass(frozen=True)
class Evidence:
    chunk_id: int
    material_id: int
    text: str
    section: str
    score: float


@dataclass(frozen=True)
class RequirementResult:
    text: str
    must: bool
    status: str
    evidence: list[Evidence]
    # The best chunk's retrieval score, for explaining and for calibration.
    best: float
    section: str = ""
    # Key terms of the line that were found in, or missing from, the materials.
    found_terms: tuple[str, ...] = ()
    missing_terms: tuple[str, ...] = ()
    # What decided the status: a Basis value.
    basis: str = Basis.SIMILARITY.value


@dataclass(frozen=True)
class FitScore:
    score: int
    band: str
    requirements: list[RequirementResult]
    missing_keywords: list[str]
    model_name: str
    model_version: str
    materials_versions: dict[str, int]
    scorer_version: str = SCORER_VERSION
    # The posting is from another trade than the candidate's (coach/fields.py): the band stays low.
    other_field: bool = False

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types only, for a JSONField or json.dumps()."""
        data = asdict(self)
        for requirement in data["requirements"]:
            requirement["found_terms"] = list(requirement["found_terms"])
            requirement["missing_terms"] = list(requirement["missing_terms"])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FitScore:
        return cls(
            score=int(data["score"]),
            band=str(data["band"]),
            requirements=[
                RequirementResult(
                    text=r["text"],
                    must=bool(r["must"]),
                    status=r["status"],
                    evidence=[Evidence(**e) for e in r.get("evidence", [])],
                    best=float(r.get("best", 0.0)),
                    section=r.get("section", ""),
                    found_terms=tuple(r.get("found_terms", ())),
                    missing_terms=tuple(r.get("missing_terms", ())),
                    basis=r.get("basis", Basis.SIMILARITY.value),
                )
                for r in data["requirements"]
            ],
            missing_keywords=list(data.get("missing_keywords", [])),
            model_name=str(data["model_name"]),
            model_version=str(data["model_version"]),
            materials_versions={str(k): int(v) for k, v in data.get("materials_versions", {}).items()},
            scorer_version=str(data.get("scorer_version", "")),
            other_field=bool(data.get("other_field", False)),
        )


def score_posting(
    user: User, posting_text: str, *, language: str = "", index: UserIndex | None = None
) -> FitScore:
    """Score the user's materials against a posting. Pass `index` to score many postings in one go."""

    if index is None:
        index = UserIndex.load(user)
    language = language or detect_language(posting_text)
    lines = extract_requirements(posting_text, language=language)[:MAX_REQUIREMENTS]
    versions = Material.objects.versions_of(user)
    # What the index saw wins over what the database says now: a score tells which versions it used.
    versions.update({str(chunk.material_id): chunk.material.version for chunk in index.chunks})
    results = assess(lines, index, language=language)
    reading = read_fields(
        head([posting_text]),
        head(_cv_texts(index.chunks)),
        embed=lambda texts: index.embed(texts, query=False),
    )
    other_field = reading is not None and reading.other_field
    score, band = overall(results, other_field=other_field)
    return FitScore(
        score=score,
        band=band,
        requirements=results,
        missing_keywords=_missing_keywords(results),
        model_name=embeddings.MODEL_NAME,
        model_version=embeddings.MODEL_VERSION,
        materials_versions=dict(sorted(versions.items())),
        other_field=other_field,
    )


def _cv_texts(chunks: Sequence[Chunk]) -> list[str]:
    """The CV chunks in reading order (any material without a CV): where a candidate names their trade."""
    cvs = [chunk for chunk in chunks if chunk.material.kind == Material.Kind.CV]
    return [chunk.text for chunk in sorted(cvs or chunks, key=lambda c: (c.material_id, c.ordinal))]


def overall(results: Sequence[RequirementResult], *, other_field: bool = False) -> tuple[int, str]:
    """The weighted coverage as 0-100, and its band; a medium from another trade is low."""
    if not results:
        return 0, Band.LOW.value
    credit = {Status.COVERED: 1.0, Status.PARTIAL: PARTIAL_CREDIT, Status.MISSING: 0.0}
    total = sum(MUST_WEIGHT if r.must else NICE_WEIGHT for r in results)
    earned = sum((MUST_WEIGHT if r.must else NICE_WEIGHT) * credit[Status(r.status)] for r in results)
    score = round(100 * earned / total)
    if any(
        r.must and r.status == Status.MISSING and r.basis in (Basis.LANGUAGE, Basis.TERMS) for r in results
    ):
        score = min(score, HIGH_FROM - 1)
    if other_field and score < HIGH_FROM:
        # Shared wording across trades ("Führerschein Klasse B", "planning") is not fitness for the job.
        # A posting whose requirements are mostly shown is the candidate's trade whatever its head reads
        # like (a data analyst's posting that opens on the company's marketing), so a high score stands.
        score = min(score, MEDIUM_FROM - 1)
    if score >= HIGH_FROM:
        return score, Band.HIGH.value
    if score >= MEDIUM_FROM:
        return score, Band.MEDIUM.value
    return score, Band.LOW.value


# --- Per requirement ----------------------------------------------------------------------------------


def assess(
    lines: Sequence[RequirementLine], index: UserIndex, *, language: str = ""
) -> list[RequirementResult]:
    if not lines:
        return []
    if not index.chunks:
        return [
            RequirementResult(
                line.text,
                line.must,
                Status.MISSING.value,
                [],
                0.0,
                line.section,
                basis=Basis.NO_MATERIALS.value,
            )
            for line in lines
        ]
    scores, cross = evidence_scores(lines, index, language=language)
    adjusted = np.round(scores + CROSS_LANGUAGE_SHIFT * cross, 6)
    haystack, known = _prepared(index)
    same_language = not language or not bool(cross.all())
    results = []
    for row, line in enumerate(lines):
        combined = adjusted[row]
        order = [int(i) for i in np.argsort(-combined, kind="stable")]
        best = float(combined[order[0]])
        asked = language_requirement(line.text)
        terms = key_terms(line.text, german=language == "de")
        found = tuple(term for term in terms if haystack.has(term))
        missing = tuple(term for term in terms if term not in found)
        if not same_language:
            # Materials in other languages translate abbreviations and words ("VAT" is "USt" in a German
            # CV); only names written alike in every language can be missed.
            terms = [term for term in terms if term in found or travels(term)]
        if asked is not None:
            met, showing = languages_met(asked, known)
            status, basis = (Status.COVERED if met else Status.MISSING), Basis.LANGUAGE
            order = _first(showing, order)
        elif terms and len(found) * 2 >= len(terms):
            status, basis = Status.COVERED, Basis.TERMS
        elif found:
            # It names several things and the materials show some: "Python and the scientific stack
            # (pandas, scikit-learn, statsmodels)" for a backend engineer.
            status, basis = Status.PARTIAL, Basis.TERMS
        elif terms:
            # It names tools or certificates found nowhere in the materials: strong evidence against,
            # so one level below what likeness alone says. On the calibration set such lines were
            # nearly all true gaps (Vue.js for a React developer, Salesforce for an accountant).
            status, basis = _lower(_by_similarity(best)), Basis.TERMS
        else:
            status, basis = _by_similarity(best), Basis.SIMILARITY
        if found and asked is None:
            order = _first(haystack.first_with(found, order, MAX_EVIDENCE), order)
        results.append(
            RequirementResult(
                text=line.text,
                must=line.must,
                status=status.value,
                evidence=_evidence(index.chunks, combined, order, status),
                best=round(best, 4),
                section=line.section,
                found_terms=found,
                missing_terms=missing,
                basis=basis.value,
            )
        )
    return results


def evidence_scores(
    lines: Sequence[RequirementLine], index: UserIndex, *, language: str = ""
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """(lines x chunks) scores of every chunk for every line, and which chunks are in another language.

    The retrieval blend, with the lexical half asked only the line's subject words (subject_words()).
    Rounded to 6 places so that float noise never decides a threshold.
    """
    extra = [expansion(line.text) for line in lines]
    asked = [line.text for line in lines] + [text for text in extra if text]
    semantic_all = embeddings.relevance(index.embed(asked, query=True), index.matrix)
    semantic, expanded_rows = semantic_all[: len(lines)], iter(semantic_all[len(lines) :])
    scores = np.empty(semantic.shape, dtype=np.float64)
    for row, line in enumerate(lines):
        lexical = index.lexical.scores(subject_words(line.text) or line.text)
        blend = SEMANTIC_WEIGHT * semantic[row].astype(np.float64) + LEXICAL_WEIGHT * lexical
        if extra[row]:
            # The concept said the way CVs say it (coach/expansions.toml), as in retrieval.
            other = next(expanded_rows).astype(np.float64)
            other_blend = SEMANTIC_WEIGHT * other + LEXICAL_WEIGHT * index.lexical.scores(extra[row])
            blend = np.maximum(blend, EXPANSION_WEIGHT * other_blend)
        scores[row] = np.round(blend, 6)
    written = [getattr(chunk.material, "language", "") for chunk in index.chunks]
    cross = np.array([bool(language and code and code != language) for code in written], dtype=np.bool_)
    return scores, cross


def _by_similarity(best: float) -> Status:
    if best >= COVERED_AT:
        return Status.COVERED
    if best >= PARTIAL_AT:
        return Status.PARTIAL
    return Status.MISSING


def _lower(status: Status) -> Status:
    return Status.PARTIAL if status == Status.COVERED else Status.MISSING


def _first(preferred: Sequence[int], order: Sequence[int]) -> list[int]:
    chosen = list(dict.fromkeys(preferred))
    return chosen + [i for i in order if i not in set(chosen)]


def _evidence(
    chunks: Sequence[Chunk], combined: npt.NDArray[np.float64], order: Sequence[int], status: Status
) -> list[Evidence]:
    """The best chunk always (the closest there is, even for a missing line); more only when they count."""
    picked = [order[0]] + [i for i in order[1:MAX_EVIDENCE] if combined[i] >= PARTIAL_AT]
    if status == Status.MISSING:
        picked = picked[:1]
    return [
        Evidence(
            chunk_id=chunks[i].pk,
            material_id=chunks[i].material_id,
            text=chunks[i].text,
            section=chunks[i].section,
            score=round(float(combined[i]), 4),
        )
        for i in picked
    ]


def _missing_keywords(results: Sequence[RequirementResult]) -> list[str]:
    """Key terms no chunk contains, must-haves' first, each once."""
    ordered = sorted(results, key=lambda r: not r.must)  # stable: posting order within each group
    seen: set[str] = set()
    out: list[str] = []
    for result in ordered:
        for term in result.missing_terms:
            if fold(term) not in seen:
                seen.add(fold(term))
                out.append(term)
    return out


# What only depends on the user's chunks, worked out once per loaded index: rescoring every application
# of a user with one index, as applications.tasks does, then pays for it once.
_prepared_lock = threading.Lock()
_prepared_for: dict[int, tuple[weakref.ref[UserIndex], Haystack, dict[str, tuple[int, list[int]]]]] = {}


def _prepared(index: UserIndex) -> tuple[Haystack, dict[str, tuple[int, list[int]]]]:
    key = id(index)
    entry = _prepared_for.get(key)
    if entry is not None and entry[0]() is index:
        return entry[1], entry[2]
    haystack, known = Haystack(index.chunks), candidate_languages(index.chunks)

    def forget(_: weakref.ref[UserIndex]) -> None:
        _prepared_for.pop(key, None)

    with _prepared_lock:
        # Dropped with the index; an id reused by a later index fails the identity check above.
        _prepared_for[key] = (weakref.ref(index, forget), haystack, known)
    return haystack, known
