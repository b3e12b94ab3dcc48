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
bench/README.md, "Fit scoring", has the figures.

Same inputs give the same score: no randomness, stable sorts, scores rounded before any comparison.

The file reads top to bottom: the result types, the score, the three kinds of evidence, then the readers
they use (subject words, key terms, language levels) with their five-language word lists, which make it
longer than most; those readers could live in modules of their own.
"""

from __future__ import annotations

import functools
import re
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
from coach.requirements import RequirementLine, extract_requirements, fold
from coach.retrieval import LEXICAL_WEIGHT, SEMANTIC_WEIGHT, UserIndex

if TYPE_CHECKING:
    from accounts.models import User
    from materials.models import Chunk

# Bump when a change here or in coach.requirements can change a score, so stored scores can be redone.
SCORER_VERSION = "2"

# Fitted by bench/scoring.py --calibrate (bench/results/scoring-calibration.json); refit them, do not
# hand-tune them, when the model, the blend or subject_words() changes.
PARTIAL_AT = 0.338
COVERED_AT = 0.356
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
        )


def score_posting(
    user: User, posting_text: str, *, language: str = "", index: UserIndex | None = None
) -> FitScore:
    """Score the user's materials against a posting. Pass `index` to score many postings in one go."""
    from materials.language import detect_language
    from materials.models import Material

    if index is None:
        index = UserIndex.load(user)
    language = language or detect_language(posting_text)
    lines = extract_requirements(posting_text, language=language)[:MAX_REQUIREMENTS]
    versions = Material.objects.versions_of(user)
    # What the index saw wins over what the database says now: a score tells which versions it used.
    versions.update({str(chunk.material_id): chunk.material.version for chunk in index.chunks})
    results = assess(lines, index, language=language)
    score, band = overall(results)
    return FitScore(
        score=score,
        band=band,
        requirements=results,
        missing_keywords=_missing_keywords(results),
        model_name=embeddings.MODEL_NAME,
        model_version=embeddings.MODEL_VERSION,
        materials_versions=dict(sorted(versions.items())),
    )


def overall(results: Sequence[RequirementResult]) -> tuple[int, str]:
    """The weighted coverage as 0-100, and its band."""
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
            met, showing = _languages_met(asked, known)
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
    semantic = embeddings.relevance(embeddings.embed([line.text for line in lines], query=True), index.matrix)
    scores = np.empty(semantic.shape, dtype=np.float64)
    for row, line in enumerate(lines):
        lexical = index.lexical.scores(subject_words(line.text) or line.text)
        scores[row] = np.round(
            SEMANTIC_WEIGHT * semantic[row].astype(np.float64) + LEXICAL_WEIGHT * lexical, 6
        )
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


# --- Subject words ------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    """A word list written as text, folded like the text it will meet."""
    return frozenset(fold(word) for word in text.split())


# Degree levels and the words for "a degree": any CV has one, so they are not what a line is about
# ("bachelor in economics" is about economics) nor a key term that proves the line.
_DEGREE_WORDS = """
    degree degrees bachelor bachelors master masters msc bsc ma ba phd mba diploma university college
    opleiding diploma hbo wo mbo universiteit hogeschool
    utdanning bachelorgrad mastergrad universitet høyskole høgskole
    ausbildung studium abschluss hochschulabschluss hochschule universität fachhochschule
    πτυχίο πτυχίου μεταπτυχιακό αει τει πανεπιστήμιο
"""

# Function words and the vocabulary every requirement shares ("at least three years of experience
# with", "sehr gute Kenntnisse in", "Τουλάχιστον 3 χρόνια εμπειρία σε"). Left in, they make the lexical
# signal reward any CV that says "years of experience"; the retrieval blend keeps them (they help rank a
# user's chunks), the coverage decision does not (they say nothing about whether this skill is shown).
_GENERIC_WORDS = _words(
    """
    a an the and or of in on at to with for from by as is are be been being have has had having do does
    you your yours we our us they their it its this that these those who which what how can could should
    would will must may might not no also well both either any all some other such than then into about
    experience experienced years year knowledge knowledgeable strong good great excellent solid proven
    relevant professional skills skill ability able abilities understanding familiarity familiar working
    work least minimum plus nice advantage advantageous preferred preferably ideally desirable required
    requirement requirements including include includes etc e.g similar related equivalent comparable
    field area areas deep advanced basic very highly hands practical demonstrated track record background
    de het een en of van voor met in op aan bij als je jij u jouw uw wij we ons onze die dat dit deze
    is zijn bent hebt heeft hebben ook minimaal minstens ten minste jaar jaren ervaring kennis goede goed
    sterk uitstekende uitstekend vaardig vaardigheden affiniteit pre plus bij voorkeur mooi meegenomen
    vergelijkbaar relevante relevant afgeronde aantoonbare werk
    og eller i på med for av til fra som du deg din ditt dine vi vår våre er har ha en et ei den det de
    minst år års erfaring erfaringer kunnskap kunnskaper kjennskap god gode godt svært meget fordel
    ønskelig gjerne relevant tilsvarende innen fra ved
    und oder in im am an auf mit für von vom zu zum zur bei als du dein deine dich dir sie ihr ihre wir
    unser unsere der die das den dem des ein eine einen einem einer ist sind hast haben hat sowie bzw
    mindestens mehrjährige mehrjährig jahre jahren jahr erfahrung erfahrungen berufserfahrung kenntnisse
    kenntnis gute guter gutes sehr sicher sicherer sicheres fundierte fundiert ausgeprägte ausgeprägt
    idealerweise wünschenswert vorteil vergleichbare vergleichbar relevante abgeschlossene abgeschlossen
    erfolgreich umgang bereich
    και ή σε με για από ως στο στη στην στον στα στους στις του της των το τα η ο οι ένα μια ενός
    τουλάχιστον χρόνια χρόνων έτη ετών εμπειρία εμπειρίας γνώση γνώσεις άριστη άριστα πολύ καλή καλές
    καλά σχετικού σχετικό συναφούς συναφές αντικειμένου επιθυμητή θα εκτιμηθεί
    one two three four five six seven eight nine ten een twee drie vier vijf zes zeven acht negen tien
    én to tre fire fem seks sju åtte ni ti eins zwei drei vier fünf sechs sieben acht neun zehn
    ένα δύο τρία τέσσερα πέντε έξι επτά οκτώ εννέα δέκα
    """
) | _words(_DEGREE_WORDS)  # fmt: skip
_WORD_RE = re.compile(r"[^\W_]+")


# Compounds end in them: "marketingervaring", "Berufserfahrung", "ledererfaring", "Python-Kenntnisse".
_GENERIC_HEADS = tuple(
    fold(word)
    for word in (
        "ervaring", "erfaring", "erfahrung", "erfahrungen", "kenntnisse", "kennis", "kunnskap", "kunnskaper",
        "kjennskap", "experience", "εμπειρία",
    )
)  # fmt: skip


def _subject(word: str) -> str:
    folded = fold(word)
    if folded in _GENERIC_WORDS or word.isdigit() or _language_word(folded):
        return ""
    for head in _GENERIC_HEADS:
        if folded.endswith(head) and len(folded) > len(head) + 2:
            return folded[: -len(head)].rstrip("s-")
    return word


def subject_words(line: str) -> str:
    """What the line is about, without the words every requirement line shares: "intensive care unit"
    from "At least two years of experience in an intensive care unit". Language requirements are decided
    on levels, so a language name here only qualifies something else ("Norwegian authorisation"): left
    in, it would find the CV's languages line.
    """
    return " ".join(subject for subject in map(_subject, _WORD_RE.findall(line)) if subject)


# --- Key terms ----------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[^\W_](?:[\w.+#/&'’-]*[\w+#])?")
_CEFR_RE = re.compile(r"[ABC][12]")
_NUMBER_RE = re.compile(r"\d[\d.,]*\+?")
# Words that are capitalised inside sentences without naming a tool, a certificate or a degree.
_STOPWORDS = _words(
    """
    i a an the and or of in on at to with for as is are be must should can will you your we our they
    january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday eu eea uk us usa europe european nordic scandinavia norway
    norge noreg sweden denmark germany deutschland netherlands nederland holland greece ελλάδα ελλαδα
    de het een en of van voor met je jij u wij we ook
    og eller i på med for av du vi er har til som
    und oder mit für von bei im in zu der die das den dem des ein eine einen einem einer du sie wir ihr
    ist sind hast haben mindestens ca bzw z.b u.a d.h usw etc inkl evtl ggf
    erfahrung erfahrungen kenntnisse kenntnis berufserfahrung ausbildung studium abschluss bereich umgang
    betrieb auftreten auge herz hand spass freude lust gespür interesse vorteil plus wunsch sinn jahre
    jahren jahr wort schrift niveau team teams rahmen fokus schwerpunkt basis praxis vollzeit teilzeit
    tools systeme systemen anwendungen daten software backend frontend cloud office umfeld branche
    kunden kunde projekte projekten prozesse prozessen methoden werkzeuge werkzeugen klasse
    και ή σε με για από του της των το τα η ο οι στο στη στην στον
    """
)  # fmt: skip
# German capitalises every noun; these endings make a word an ordinary noun, not a name.
_DEGREE_LEVELS = _words(_DEGREE_WORDS)
_GERMAN_NOUN_ENDINGS = tuple(
    fold(ending)
    for ending in (
        "ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "nis", "nisse", "tät",
        "täten", "ion", "ionen", "ismus", "ik", "enz", "anz", "tum", "kenntnisse", "erfahrung", "bereich",
        "kraft", "wesen", "verfahren", "therapie", "pflege", "studium", "ausbildung", "branche", "umfeld",
        "arbeit", "fähigkeit", "bereitschaft", "geschick", "vermögen", "denken", "weise", "abschluss",
        "projekt", "projekte", "prozesse", "kunden", "zeit", "recht", "land", "technik", "management",
    )
)  # fmt: skip


def key_terms(line: str, *, german: bool = False) -> list[str]:
    """Tools, certificates, degrees and names in a requirement line, as written, in order.

    Language-agnostic shapes: acronyms and mixed case ("SQL", "PostgreSQL", "MSc"), letters with digits
    ("HL7", "B2B"), dotted names ("Next.js"), and capitalised words inside a sentence ("Kubernetes",
    "Metavision", "Πληροφορικής"). Neighbours join into one term ("PCI DSS", "Power BI"). Language names
    are left to the language check; CEFR levels and everyday words are not terms.
    """
    terms: list[str] = []
    current: list[str] = []
    previous_end = 0
    initial = True
    for match in _TOKEN_RE.finditer(line):
        gap = line[previous_end : match.start()]
        if current and gap.strip():
            terms.append(" ".join(current))
            current = []
        if re.search(r"[.:!?;]\s*$", gap) and previous_end:
            initial = True
        token = match.group(0)
        if line[match.end() : match.end() + 2] in ("- ", "-"):
            # "Intensiv- und Anästhesiepflege": the first half of a compound, not a name.
            previous_end = match.end() + 1
            continue
        parts = token.split("-") if "-" in token and not re.search(r"\w\.\w", token) else [token]
        for position, part in enumerate(parts):
            if _is_term(part, initial=initial and position == 0, german=german):
                current.append(part)
            elif current and _NUMBER_RE.fullmatch(part):
                current.append(part)  # "Google Analytics 4", "WCAG 2.1"
                terms.append(" ".join(current))
                current = []
            elif current:
                terms.append(" ".join(current))
                current = []
            if len(parts) > 1 and current and position < len(parts) - 1:
                terms.append(" ".join(current))
                current = []
        initial = False
        previous_end = match.end()
    if current:
        terms.append(" ".join(current))
    terms.extend(_enumerated(line))
    return list(dict.fromkeys(term for term in terms if not _NUMBER_RE.fullmatch(term)))


# Bounded, so that an unclosed bracket in a long line costs linear time.
_BRACKETS_RE = re.compile(r"\(([^()]{1,300})\)")
_SEPARATOR_RE = re.compile(r",|\s(?:or|and|of|en|eller|og|oder|und|ή|και)\s")


def _enumerated(line: str) -> list[str]:
    """Items of a list in brackets name tools even in lower case: "(pandas, scikit-learn, statsmodels)"."""
    items: list[str] = []
    for group in _BRACKETS_RE.findall(line):
        parts = [part.strip(" .") for part in _SEPARATOR_RE.split(group)]
        if len(parts) < 2 or any(len(part.split()) > 3 for part in parts):
            continue  # a clause in brackets, not a list of names
        for part in parts:
            words = [word for word in _WORD_RE.findall(part) if fold(word) not in _GENERIC_WORDS]
            letters = sum(char.isalpha() for char in part)
            if words and letters >= 2 and not _CEFR_RE.fullmatch(part) and not _language_word(fold(part)):
                items.append(part)
    return items


def _is_term(token: str, *, initial: bool, german: bool) -> bool:
    letters = [char for char in token if char.isalpha()]
    folded = fold(token)
    if not letters or folded in _STOPWORDS or folded in _DEGREE_LEVELS or _CEFR_RE.fullmatch(token):
        return False
    if _language_word(folded) or (len(letters) < 2 and "#" not in token and "+" not in token):
        return False  # a language is checked on its level; "B" of "Klasse B" is no term on its own
    uppercase = sum(char.isupper() for char in letters)
    if uppercase >= 2 and len(letters) >= 2:
        return True  # SQL, PostgreSQL, HubSpot, MSc, CI/CD, and Greek acronyms
    if any(char.isdigit() for char in token):
        return True  # HL7, S3, B2B
    if re.search(r"[^\W\d_]{2,}\.[^\W\d_]{2,}", token) or "#" in token or "++" in token:
        return True  # Next.js, C#, C++
    if initial or not letters[0].isupper() or not token[0].isalpha():
        return False
    return not (german and folded.endswith(_GERMAN_NOUN_ENDINGS))


def travels(term: str) -> bool:
    """A name written alike in every language ("PostgreSQL", "Kubernetes", "Next.js", "Power BI"), not an
    abbreviation ("VAT", "ΦΠΑ", "BIG") nor a word in a non-Latin script ("Πληροφορικής")."""
    letters = [char for char in fold(term) if char.isalpha()]
    if not letters or any(not "a" <= char <= "z" for char in letters):
        return False
    return not all(char.isupper() for char in term if char.isalpha())


class _Haystack:
    """The user's chunk texts, normalised for exact term look-ups."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.texts = [_normal(f"{chunk.section} {chunk.text}") for chunk in chunks]
        self.joined = " | ".join(self.texts)

    def has(self, term: str) -> bool:
        return any(pattern.search(self.joined) for pattern in _patterns_for(term))

    def first_with(self, terms: Sequence[str], order: Sequence[int], limit: int) -> list[int]:
        """The first `limit` chunks in `order` that contain one of `terms`."""
        patterns = [pattern for term in terms for pattern in _patterns_for(term)]
        out: list[int] = []
        for number in order:
            if any(pattern.search(self.texts[number]) for pattern in patterns):
                out.append(number)
                if len(out) == limit:
                    break
        return out


@functools.lru_cache(maxsize=4096)
def _patterns_for(term: str) -> tuple[re.Pattern[str], ...]:
    """ "BLS/ALS" is either; "Google Analytics 4" is also "Google Analytics", "MS Excel" also "Excel"."""
    split = term.split("/")
    parts = split if len(split) > 1 and all(len(part) >= 2 for part in split) else [term]
    out: list[str] = []
    for part in parts:
        normal = _normal(part)
        out.append(normal)
        out.append(_normal(re.sub(r"\s+\d[\d.,]*\+?$", "", part)))
        out.append(re.sub(r"^(?:ms|microsoft|apache|adobe)\s+", "", normal))
    return tuple(
        re.compile(rf"(?<![\w#+]){re.escape(needle)}(?![\w#+])") for needle in dict.fromkeys(out) if needle
    )


# What only depends on the user's chunks, worked out once per loaded index: rescoring every application
# of a user with one index, as applications.tasks does, then pays for it once.
_prepared_lock = threading.Lock()
_prepared_for: dict[int, tuple[weakref.ref[UserIndex], _Haystack, dict[str, tuple[int, list[int]]]]] = {}


def _prepared(index: UserIndex) -> tuple[_Haystack, dict[str, tuple[int, list[int]]]]:
    key = id(index)
    entry = _prepared_for.get(key)
    if entry is not None and entry[0]() is index:
        return entry[1], entry[2]
    haystack, known = _Haystack(index.chunks), _candidate_languages(index.chunks)

    def forget(_: weakref.ref[UserIndex]) -> None:
        _prepared_for.pop(key, None)

    with _prepared_lock:
        # Dropped with the index; an id reused by a later index fails the identity check above.
        _prepared_for[key] = (weakref.ref(index, forget), haystack, known)
    return haystack, known


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w#+]+", " ", fold(text)).split())


# --- Languages ----------------------------------------------------------------------------------------

_LANGUAGE_NAMES: dict[str, str] = {
    "en": r"english|engelsk\w*|englisch\w*|engels\w*|αγγλικ\w*",
    "nl": r"dutch|nederlands\w*|niederländisch\w*|holländisch\w*|nederlandsk\w*|ολλανδικ\w*|vlaams",
    "nb": r"norwegian|norsk\w*|norwegisch\w*|noors\w*|νορβηγικ\w*|bokmål|nynorsk",
    "de": r"german|tysk\w*|deutsch(?!land)\w*|duits\w*|γερμανικ\w*",
    "el": r"greek|gresk\w*|griechisch\w*|grieks\w*|ελληνικ\w*",
    "sv": r"swedish|svensk\w*|schwedisch\w*|zweeds\w*|σουηδικ\w*",
    "da": r"danish|dansk\w*|dänisch\w*|deens\w*|δανικ\w*",
    "fr": r"french|fransk\w*|französisch\w*|frans|franse|γαλλικ\w*",
    "es": r"spanish|spansk\w*|spanisch\w*|spaans\w*|ισπανικ\w*",
    "it": r"italian|italiensk\w*|italienisch\w*|italiaans\w*|ιταλικ\w*",
    "pl": r"polish|polsk\w*|polnisch\w*|pools|πολωνικ\w*",
    "scandinavian": r"scandinavian|skandinavisk\w*|scandinavisch\w*|skandinavisch\w*|σκανδιναβικ\w*",
}
_LANGUAGE_RE = re.compile(
    "|".join(f"(?P<{code}>(?<!\\w)(?:{fold(pattern)})(?!\\w))" for code, pattern in _LANGUAGE_NAMES.items())
)
_SCANDINAVIAN = frozenset({"nb", "sv", "da"})
# After a language name, these words keep it a language ("English skills", "Nederlandse en Duitse taal",
# "norsk flytende"); any other word makes it an adjective of something else ("Norwegian authorisation",
# "de Duitse markt").
_LANGUAGE_CONTEXT = _words(
    """
    and or en of og eller und oder και ή as well both language languages taal talen språk sprache sprachen
    γλώσσα γλώσσας γλώσσες skills skill proficiency level at op på auf σε in on niveau nivå written spoken
    is are er ist sind muntlig skriftlig mündlich schriftlich mondeling schriftelijk και προφορικά
    γραπτά speaker speakers als som ως
    """
)  # fmt: skip
_PROFICIENCY_COMPOUND = re.compile(r"(?:kenntnisse?|kunnskap(?:er)?|kennis|sprachkenntnisse)$")

# CEFR rank of level words: A1 1 ... C2 6, native 7. The highest one in a clause counts.
_LEVELS: tuple[tuple[int, str], ...] = (
    (7, r"native(?: speaker)?|mother tongue|first language|moedertaal|morsmål|modersmål|muttersprach\w*"
     r"|μητρικ\w*"),
    (6, r"c2|near[- ]native|bilingual|tweetalig|tospråklig|zweisprachig|δίγλωσσ\w*|perfect|perfekt\w*"
     r"|άπταιστ\w*"),
    (5, r"c1|fluent\w*|fluency|excellent|outstanding|very good|advanced|proficien\w*|verhandlungssicher\w*"
     r"|fließend\w*|sehr gut\w*|ausgezeichnet\w*|hervorragend\w*|exzellent\w*|vloeiend\w*|uitstekend\w*"
     r"|zeer goed\w*|flytende|utmerket|utmerkede|svært god\w*|meget god\w*|άριστ\w*|πολύ καλ\w*"
     r"|εξαιρετικ\w*"),
    (4, r"b2|good|strong|solid|upper[- ]intermediate|goed|goede|gevorderd\w*|god|gode|godt|gut|gute\w*"
     r"|καλ\w*"),
    (3, r"b1|intermediate|conversational|working knowledge|gemiddeld|redelijk\w*|middels|mittel\w*|voldoende"
     r"|ausreichend\w*|tilstrekkelig\w*|μέτρι\w*|ικανοποιητικ\w*"),
    (2, r"a2|basic|elementary|beginner|basis\w*|grunnleggende|grundkenntniss\w*|grundlegend\w*|βασικ\w*"),
    (1, r"a1"),
)  # fmt: skip
_LEVEL_RES = tuple((rank, re.compile(rf"(?<!\w)(?:{fold(pattern)})(?!\w)")) for rank, pattern in _LEVELS)
# What a posting that names a language without a level asks: to work in it.
_DEFAULT_ASKED = 3
# A language listed under a "Languages" heading without a level.
_DEFAULT_LISTED = 4
# The language the materials are written in.
_WRITTEN_IN = 5
_LANGUAGE_SECTION_RE = re.compile(
    r"(?<!\w)(?:languages?|language skills|talen|taalvaardigheid|språk|språkkunnskaper|sprachen"
    r"|sprachkenntnisse|γλώσσες|ξένες γλώσσες)(?!\w)"
)
_OR_RE = re.compile(r"(?<!\w)(?:or|of|eller|oder|ή|either|another|andere[sn]?|annet|ander)(?!\w)")


@dataclass(frozen=True)
class _Asked:
    languages: tuple[tuple[frozenset[str], int], ...]  # (any of these languages, at this level or above)
    any_of: bool


def language_requirement(line: str) -> _Asked | None:
    """The languages and levels a line asks for, or None when it is not a language requirement."""
    folded = fold(line)
    clauses = re.split(r"[;,]|(?<!\w)(?:and|en|og|und|και)(?!\w)", folded)
    line_level = _level(folded)
    asked: list[tuple[frozenset[str], int]] = []
    for clause in clauses:
        for match in _LANGUAGE_RE.finditer(clause):
            if not _used_as_language(clause, match):
                continue
            code = match.lastgroup or ""
            codes = _SCANDINAVIAN if code == "scandinavian" else frozenset({code})
            asked.append((codes, _level(clause) or line_level or _DEFAULT_ASKED))
    if not asked:
        return None
    return _Asked(languages=tuple(asked), any_of=bool(_OR_RE.search(folded)))


def _used_as_language(text: str, match: re.Match[str]) -> bool:
    word = match.group(0)
    if _PROFICIENCY_COMPOUND.search(word):
        return True
    following = re.match(r"\s*([^\W\d_]+|\S)?", text[match.end() :])
    after = following.group(1) if following and following.group(1) else ""
    return not after or not after[0].isalpha() or after in _LANGUAGE_CONTEXT or _level(after) > 0


def _level(text: str) -> int:
    return max((rank for rank, pattern in _LEVEL_RES if pattern.search(text)), default=0)


def _language_word(folded: str) -> bool:
    return _LANGUAGE_RE.fullmatch(folded) is not None


def _candidate_languages(chunks: Sequence[Chunk]) -> dict[str, tuple[int, list[int]]]:
    """Language code -> (best level the materials show, chunks that show it)."""
    known: dict[str, tuple[int, list[int]]] = {}

    def note(code: str, level: int, chunk: int | None) -> None:
        old_level, where = known.get(code, (0, []))
        if chunk is not None and chunk not in where:
            where = [*where, chunk]
        known[code] = (max(old_level, level), where)

    for number, chunk in enumerate(chunks):
        written = getattr(chunk.material, "language", "")
        if written:
            note(written, _WRITTEN_IN, None)
        folded = fold(chunk.text)
        listed = bool(_LANGUAGE_SECTION_RE.search(fold(chunk.section)))
        for match in _LANGUAGE_RE.finditer(folded):
            code = match.lastgroup or ""
            if code == "scandinavian":
                continue
            window = _level_window(folded, match)
            level = _level(window)
            if level or listed:
                note(code, level or _DEFAULT_LISTED, number)
    return known


def _level_window(text: str, match: re.Match[str]) -> str:
    """The words that qualify a language mention: "(native)", ": fluent", "vloeiend Engels"."""
    after = text[match.end() :]
    bracket = re.match(r"\s*\(([^)]*)\)", after)
    following = bracket.group(1) if bracket else re.split(r"[,;.|\n]", after, maxsplit=1)[0]
    before = " ".join(re.split(r"[,;.|(\n]", text[: match.start()])[-1].split()[-2:])
    return f"{before} {following}"


def _languages_met(asked: _Asked, known: dict[str, tuple[int, list[int]]]) -> tuple[bool, list[int]]:
    results: list[bool] = []
    showing: list[int] = []
    for codes, level in asked.languages:
        met = False
        for code in sorted(codes):
            have, where = known.get(code, (0, []))
            if have >= level:
                met = True
                showing.extend(where)
        results.append(met)
    return (any(results) if asked.any_of else all(results)), showing
