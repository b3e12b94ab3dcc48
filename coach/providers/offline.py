"""The drafter that runs without a language model: a plain letter assembled from the user's own words.

Used when no model is configured. It writes nothing the user did not write: every fact comes from the
evidence passages of their materials, and the glue between them is a handful of fixed phrases per
language (offline_phrases.py) plus what it can lift from the user's past letters (their sign-off, their
way of bringing up a requirement, a short closing sentence). Same grounding in, same letter out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from coach.providers.base import Cancelled, Completion, Grounding, Prompt, RequirementEvidence, Usage
from coach.providers.offline_phrases import FORMAL, INFORMAL, LONGER, PHRASES, SHORTER, Phrases
from coach.providers.offline_rewrite import addresses_a_reader, first_person, joined
from materials.chunking import sentence_spans
from materials.language import detect_language, letter_parts
from omoikane.text import fold

MIN_WORDS = 80
SHORTER_FACTOR = 0.7
LONGER_FACTOR = 1.4
# A sentence longer than this is cut at its first semicolon, when that leaves a sentence.
LONG_SENTENCE_WORDS = 30
# Closing sentences lifted from past letters must be short and general ("Thank you for your time.").
MAX_CLOSING_WORDS = 14
# The user's sentences per body paragraph, at most, and the paragraphs (one per requirement) at most.
MAX_SENTENCES = 4
MAX_PARAGRAPHS = 7
# Letters of text enough to say it is in none of the five languages rather than too short to tell.
OTHER_LANGUAGE_LETTERS = 200
# How far from the asked length a letter may end up when the evidence holds enough (a fifth either way).
LENGTH_TOLERANCE = 0.2

_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_BULLET_RE = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+")
_EMPHASIS_RE = re.compile(r"\*\*|__|`")
_PHONE_RE = re.compile(r"\+?\d[\d ()-]{7,}\d")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words too common in requirement lines to say which evidence fits (folded, first five letters).
_NOISE_STEMS = frozenset(
    word[:5]
    for word in _word_set(
        "the and with for other any our your you are from that this have has will must plus such including "
        "experience knowledge years strong good deep excellent solid professional working "
        "een het van met voor bij ervaring kennis jaar goede sterk "
        "med som eller for erfaring kunnskap god gode "
        "und mit der die das oder erfahrung kenntnisse sehr gute "
        "και για στην στον εμπειρια γνωση"
    )
)
_GERMAN_CLOSING_NOUNS = _word_set(
    "Sie Ihnen Ihre Ihr Ihren Ihrem Ihrer Gespräch Vorstellungsgespräch Zeit Interesse Rückmeldung "
    "Gelegenheit Fragen Verfügung"
)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _count(text: str) -> int:
    return len(text.split())


def _stems(text: str) -> frozenset[str]:
    return frozenset(
        w[:5] for w in (fold(word) for word in _words(text)) if len(w) >= 3 and w[:5] not in _NOISE_STEMS
    )


@functools.lru_cache(maxsize=512)
def _language_of(text: str) -> str:
    return detect_language(text)


def _language_or_other(text: str) -> str:
    """The language of a text, "other" when it is long enough to tell but in none of the five (a French
    CV), and "" when it is too short to tell."""
    found = _language_of(text)
    if found or sum(ch.isalpha() for ch in text) < OTHER_LANGUAGE_LETTERS:
        return found
    return "other"


@dataclass(frozen=True)
class _Sentence:
    text: str
    language: str
    relevance: float
    rank: tuple[int, int]  # passage rank, position in it: the tie-break that keeps the order stable
    # Shares words with the requirement (or with what the user asked to stress), or opens its passage:
    # only such sentences are added beyond the first, so the letter grows by evidence, not by filler.
    related: bool = True
    # A bare list ("Python, Django, FastAPI, …") reads badly in a letter; used only when nothing else is.
    listing: bool = False
    capitalised: frozenset[str] = frozenset()


@dataclass
class _Paragraph:
    index: int  # the requirement's position in the posting
    lead: str
    sentences: list[_Sentence]
    spare: list[_Sentence]

    def text(self, letter_language: str) -> str:
        # The first sentence stands as it is; later ones are joined to it ("In addition, I…").
        parts = [self.lead, self.sentences[0].text] if self.lead else [self.sentences[0].text]
        for turn, sentence in enumerate(self.sentences[1:]):
            parts.append(joined(sentence.text, letter_language, turn, sentence.capitalised))
        return " ".join(parts)

    def words(self) -> int:
        return _count(self.lead) + sum(_count(s.text) for s in self.sentences)


@dataclass(frozen=True)
class _Style:
    target_words: int
    formal: bool
    boost: frozenset[str]


@dataclass(frozen=True)
class _Voice:
    """What the user's past letters in this language give away about how they write."""

    transition: str = ""
    closing: str = ""
    sign_off: str = ""


class OfflineDrafter:
    key = "offline"
    model = "offline-1"

    def complete(
        self,
        prompt: Prompt,
        *,
        on_text: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Completion:
        letter = compose(prompt.grounding)
        text = letter.text
        for piece in re.findall(r"\S+\s*", text):
            if cancelled is not None and cancelled():
                raise Cancelled
            if on_text is not None:
                on_text(piece)
        return Completion(
            text=text,
            provider=self.key,
            model=self.model,
            usage=Usage(),
            stop_reason="end",
            left_out_languages=letter.left_out,
            short_of_evidence=letter.short,
        )


@dataclass(frozen=True)
class Letter:
    text: str
    # Languages of evidence left out because the letter is in another language (the drafter does not
    # translate): the interface says so, and that a language model is needed for that language pair.
    left_out: tuple[str, ...] = ()
    # Shorter than a fifth under the asked length: the evidence held no more, and nothing is padded.
    short: bool = False


def write_letter(grounding: Grounding) -> str:
    return compose(grounding).text


def compose(grounding: Grounding) -> Letter:
    language = grounding.instructions.language if grounding.instructions.language in PHRASES else "en"
    phrases = PHRASES[language]
    style = _style(grounding)
    voice = _voice(grounding, language)
    company, title = grounding.company.strip(), grounding.posting_title.strip()

    if style.formal:
        salutation = phrases.salutation_formal
        opening = phrases.opening_formal if company else phrases.opening_formal_no_company
        closing, sign_off = phrases.closing_formal, phrases.sign_off_formal
    else:
        salutation = phrases.salutation.format(company=company) if company else phrases.salutation_no_company
        opening = phrases.opening if company else phrases.opening_no_company
        closing = voice.closing or phrases.closing
        sign_off = voice.sign_off or phrases.sign_off
    # Without a title there is nothing to apply for by name; the salutation and the evidence still stand.
    opening = opening.format(title=title, company=company) if title else ""
    signature = "\n".join(line for line in (sign_off, grounding.applicant_name.strip()) if line)

    fixed = _count(salutation) + _count(opening) + _count(closing) + _count(signature)
    left_out: set[str] = set()
    paragraphs = _paragraphs(grounding, phrases, voice, style, language, left_out)
    # Who the applicant is, in their own summary's words, when the CV has one in the letter's language
    # and the letter has room: it opens the body, before the requirements.
    said = _summary(grounding.cv_opening, language, {s.text for p in paragraphs for s in p.sentences})
    summary = _joined(said, language)
    if summary and paragraphs and style.target_words - fixed - _count(summary) >= MIN_WORDS:
        fixed += _count(summary)
        for paragraph in paragraphs:
            paragraph.spare = [s for s in paragraph.spare if s.text not in said]
    else:
        summary = ""
    if opening and paragraphs:
        opening = f"{opening} {phrases.opening_more}"
        fixed += _count(phrases.opening_more)
    _fit(paragraphs, max(style.target_words - fixed, 0))
    body = [p.text(language) for p in paragraphs] or [phrases.no_evidence]
    if summary:
        body.insert(0, summary)
    blocks = [salutation, opening, *body, closing, signature]
    text = "\n\n".join(block for block in blocks if block) + "\n"
    # "other" (a line too short to name its language) says nothing once a language is named.
    named = left_out - {"other"}
    short = _count(text) < style.target_words * (1 - LENGTH_TOLERANCE)
    return Letter(text=text, left_out=tuple(sorted(named or left_out)), short=short)


def _style(grounding: Grounding) -> _Style:
    instructions = grounding.instructions
    revision, tone = fold(instructions.revision), fold(instructions.tone)
    target = max(instructions.length_words, MIN_WORDS)
    base = _count(grounding.previous_draft) if grounding.previous_draft.strip() else target
    if any(word in revision for word in SHORTER):
        target = max(int(min(base, target) * SHORTER_FACTOR), MIN_WORDS)
    elif any(word in revision for word in LONGER):
        target = int(max(base, target) * LONGER_FACTOR)
    informal = any(word in text for text in (revision, tone) for word in INFORMAL)
    formal = not informal and any(word in text for text in (revision, tone) for word in FORMAL)
    # What the user asked to stress or mention ranks the evidence that speaks of it first.
    keywords = SHORTER + LONGER + FORMAL + INFORMAL
    asked = " ".join(
        w for w in _words(fold(f"{instructions.stress} {instructions.revision}")) if w not in keywords
    )
    return _Style(target_words=target, formal=formal, boost=_stems(asked))


def _voice(grounding: Grounding, language: str) -> _Voice:
    transition = closing = sign_off = ""
    for sample in grounding.voice_samples:
        if _language_of(sample.text) != language:
            continue
        parts = letter_parts(sample.text)
        sentences = [s for paragraph in parts["body"].split("\n\n") for s in sentence_spans(paragraph)]
        if not transition:
            transition = next(
                (m.group(0) for s in sentences if (m := PHRASES[language].own_transition.match(s))), ""
            )
        if not closing and parts["body"]:
            last = sentence_spans(parts["body"].split("\n\n")[-1])
            general = [s for s in last if _is_general(s, language)]
            if general and len(general) == len(last):
                closing = " ".join(general)
        if not sign_off and parts["closing"]:
            first = parts["closing"].split("\n")[0].strip()
            # "Kind regards, Ingrid" keeps only the words of the sign-off.
            sign_off = first.split(",")[0] + "," if "," in first else first
    return _Voice(transition=transition, closing=closing, sign_off=sign_off)


def _is_general(sentence: str, language: str) -> bool:
    """A sentence that fits any letter: short, no numbers, no names of people or places."""
    words = _words(sentence)
    if not words or len(words) > MAX_CLOSING_WORDS or any(ch.isdigit() for ch in sentence):
        return False
    for word in words[1:]:
        if word[:1].isupper() and word != "I" and not (language == "de" and word in _GERMAN_CLOSING_NOUNS):
            return False
    return True


def _paragraphs(
    grounding: Grounding, phrases: Phrases, voice: _Voice, style: _Style, language: str, left_out: set[str]
) -> list[_Paragraph]:
    capitalised = _capitalised_words(grounding)
    # A line too short to tell its language takes the language of the material it comes from.
    by_material: dict[str, list[str]] = {}
    for item in grounding.requirements:
        for evidence in item.evidence:
            by_material.setdefault(evidence.material_title, []).append(evidence.text)
    # and when that cannot tell either, the language of all the evidence together.
    overall = _language_or_other("\n".join(e.text for item in grounding.requirements for e in item.evidence))
    material_languages = {
        title: _language_or_other("\n".join(texts)) or overall for title, texts in by_material.items()
    }
    # Words the user writes in lower case somewhere: common words, not names.
    common = frozenset(
        fold(word) for texts in by_material.values() for word in _words(" ".join(texts)) if word.islower()
    )
    candidates: list[tuple[float, int, list[_Sentence]]] = []
    for index, item in enumerate(grounding.requirements):
        sentences = _sentences(item, style.boost, capitalised, language, left_out, material_languages, common)
        if not sentences:
            continue
        best = max(e.score for e in item.evidence)
        asked = (
            1.0
            if style.boost & (_stems(item.requirement) | _stems(" ".join(s.text for s in sentences)))
            else 0
        )
        candidates.append((best + asked, index, sentences))
    # The strongest few, told in the posting's order; _fit decides how many stay.
    chosen = sorted(candidates, key=lambda c: (-c[0], c[1]))[:MAX_PARAGRAPHS]
    paragraphs: list[_Paragraph] = []
    taken: set[str] = set()
    for _priority, index, sentences in chosen:
        fresh = [s for s in sentences if s.text not in taken]
        if not fresh:
            continue
        taken.add(fresh[0].text)
        paragraphs.append(_Paragraph(index=index, lead="", sentences=[fresh[0]], spare=fresh[1:]))
    paragraphs.sort(key=lambda p: p.index)
    posting_language = _language_of(grounding.posting_text[:2000])
    # The user's own lead-in opens the first paragraph; the fixed ones follow, none said twice in a row.
    asks = 1 if voice.transition else 0
    for position, paragraph in enumerate(paragraphs):
        requirement = grounding.requirements[paragraph.index].requirement
        if (_language_of(requirement) or posting_language) not in ("", language):
            # A requirement in another language is not quoted: the letter stays in one language.
            continue
        quoted = _quote(requirement, phrases)
        if position == 0 and voice.transition:
            paragraph.lead = f"{voice.transition} {quoted}."
        else:
            paragraph.lead = phrases.asks[asks % len(phrases.asks)].format(requirement=quoted)
            asks += 1
    for paragraph in paragraphs:
        paragraph.spare = [s for s in paragraph.spare if s.text not in taken or s is paragraph.sentences[0]]
    return paragraphs


def _fit(paragraphs: list[_Paragraph], budget: int) -> None:
    """Cut or add the user's sentences until the body is about `budget` words long: within a fifth of
    it when the evidence holds enough, never by inventing."""
    low, high = budget * (1 - LENGTH_TOLERANCE), budget * (1 + LENGTH_TOLERANCE / 2)

    def total() -> int:
        return sum(p.words() for p in paragraphs)

    if total() > high:
        for paragraph in paragraphs:
            paragraph.sentences = [_first_clause(s) for s in paragraph.sentences]
    while len(paragraphs) > 2 and total() > high:
        # The weakest goes: the one whose sentence is least related to its requirement.
        weakest = min(paragraphs, key=lambda p: (p.sentences[0].relevance, -p.index))
        paragraphs.remove(weakest)
    taken = {s.text for p in paragraphs for s in p.sentences}

    def repeats(sentence: _Sentence) -> bool:
        # The same work told twice (a CV line and a past letter's sentence about it) is told once.
        stems = _stems(sentence.text)
        return any(
            len(stems & _stems(s.text)) >= 0.5 * min(len(stems), len(_stems(s.text)))
            for p in paragraphs
            for s in p.sentences
        )

    # Related sentences first; then, when the letter is still short, the rest of the evidence the search
    # found for the same requirement (still the user's own words about it).
    for related_only in (True, False):
        added = True
        while added and total() < low:
            added = False
            for paragraph in sorted(paragraphs, key=lambda p: -p.sentences[0].relevance):
                if len(paragraph.sentences) >= MAX_SENTENCES:
                    continue
                spare = [
                    s for s in paragraph.spare if s.text not in taken and (s.related or not related_only)
                ]
                if spare and total() + _count(spare[0].text) <= high:
                    paragraph.sentences.append(spare[0])
                    paragraph.spare.remove(spare[0])
                    taken.add(spare[0].text)
                    added = True
                if total() >= low:
                    break


def _first_clause(sentence: _Sentence) -> _Sentence:
    head, sep, _rest = sentence.text.partition(";")
    if not sep or _count(head) < 5:
        return sentence
    return _Sentence(f"{head.rstrip()}.", sentence.language, sentence.relevance, sentence.rank)


def _quote(requirement: str, phrases: Phrases) -> str:
    line = _BULLET_RE.sub("", requirement).strip().rstrip(".;:!")
    return f"{phrases.quote_open}{line}{phrases.quote_close}"


def _capitalised_words(grounding: Grounding) -> frozenset[str]:
    """Words the user writes with a capital inside a sentence: names ("Python", "Kafka"), kept as they are."""
    found: set[str] = set()
    for item in grounding.requirements:
        for evidence in item.evidence:
            for line in evidence.text.splitlines():
                if line.lstrip().startswith("#"):
                    continue  # headings capitalise every word
                for word in _words(line)[1:]:
                    if word[:1].isupper():
                        found.add(word)
    return frozenset(found)


# Headings a CV puts over the applicant's summary of themselves, folded, in the five languages.
_SUMMARY_HEADINGS = frozenset(
    ("summary", "profile", "about me", "personal profile", "profiel", "over mij", "profil", "om meg",
     "sammendrag", "kurzprofil", "uber mich", "zusammenfassung", "προφιλ", "σχετικα με εμενα", "περιληψη")
)  # fmt: skip
MAX_SUMMARY_SENTENCES = 2


def _joined(sentences: list[str], language: str) -> str:
    if not sentences:
        return ""
    later = (joined(s, language, n, frozenset()) for n, s in enumerate(sentences[1:]))
    return " ".join([sentences[0], *later])


def _summary(cv_opening: str, language: str, taken: set[str]) -> list[str]:
    """The sentences of the applicant's own summary under a "Summary"/"Profil"/"Προφίλ" heading of their
    CV, in the first person, when it is written in the letter's language; none otherwise."""
    lines: list[str] = []
    inside = False
    for line in cv_opening.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            if inside:
                break
            inside = fold(stripped.lstrip("#").strip().rstrip(":")) in _SUMMARY_HEADINGS
            continue
        if inside and stripped:
            lines.append(_clean_line(stripped))
    text = " ".join(line for line in lines if line)
    if not text or _language_of(text) != language:
        return []
    sentences = [
        first_person(_trim(s), language, frozenset()) for s in sentence_spans(text) if _count(s) >= 4
    ]
    return [s for s in sentences if s not in taken][:MAX_SUMMARY_SENTENCES]


def _in_language(passage_language: str, sentence: str, language: str) -> bool:
    """Whether a sentence of the user's is written in the letter's language. A line too short to tell
    counts by its script: Greek letters for a Greek letter, Latin ones for the others."""
    found = passage_language or _language_of(sentence)
    if found:
        return found == language
    greek = sum("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in sentence)
    letters = sum(ch.isalpha() for ch in sentence)
    return (greek * 2 > letters) == (language == "el")


def _sentences(
    item: RequirementEvidence,
    boost: frozenset[str],
    capitalised: frozenset[str],
    language: str,
    left_out: set[str],
    material_languages: dict[str, str],
    common: frozenset[str],
) -> list[_Sentence]:
    """The user's sentences in the letter's language that speak to one requirement, best first, each
    made a sentence in the first person. Sentences in another language are left out (and the language
    noted in `left_out`): the drafter cannot translate, and a letter in two languages is no letter."""
    wanted = _stems(item.requirement)
    ranked = sorted(enumerate(item.evidence), key=lambda pair: (-pair[1].score, pair[0]))
    strongest = ranked[0][1].score if ranked else 0.0
    found: list[_Sentence] = []
    seen: set[str] = set()
    for passage_rank, (_position, evidence) in enumerate(ranked):
        passage_language = _language_of(evidence.text) or material_languages.get(evidence.material_title, "")
        position = 0
        for line in evidence.text.splitlines():
            cleaned = _clean_line(line)
            if not cleaned:
                continue
            for sentence in sentence_spans(cleaned):
                position += 1
                if _count(sentence) < 4 or sentence in seen:
                    continue
                seen.add(sentence)
                if not _in_language(passage_language, sentence, language):
                    left_out.add(passage_language or _language_of(sentence) or "other")
                    continue
                if addresses_a_reader(sentence, language):
                    continue
                stems = _stems(sentence)
                shared = 0.5 * len(wanted & stems) + 2 * len(boost & stems)
                listing = sentence.count(",") >= 4 and _count(sentence) < 4 * (sentence.count(",") + 1)
                # A listing's items are names ("Python, Django, …"): its first word keeps its capital.
                names = capitalised | {sentence.split(" ")[0]} if listing else capitalised
                text = first_person(_trim(sentence), language, names, common)
                found.append(
                    _Sentence(
                        text,
                        language,
                        # Retrieval saw more than shared words can: its score counts most.
                        relevance=shared + 2 * evidence.score - (10 if listing else 0),
                        rank=(passage_rank, position),
                        related=shared > 0 or (position == 1 and evidence.score >= strongest / 2),
                        listing=listing,
                        capitalised=capitalised,
                    )
                )
    found.sort(key=lambda s: (-s.relevance, s.rank))
    # A listing stays only when it is all there is.
    return [s for s in found if not s.listing] or found[:1]


def _clean_line(line: str) -> str:
    stripped = line.strip()
    if not stripped or stripped.startswith(("#", "|", ">")):
        return ""
    # Contact lines say nothing about a requirement and are already on the letterhead.
    if "@" in stripped or _PHONE_RE.search(stripped) or stripped.count("·") >= 2:
        return ""
    return _EMPHASIS_RE.sub("", _BULLET_RE.sub("", stripped)).strip()


def _trim(sentence: str) -> str:
    sentence = sentence.strip()
    if _count(sentence) > LONG_SENTENCE_WORDS:
        head, sep, _rest = sentence.partition(";")
        if sep and _count(head) >= 6:
            sentence = head.rstrip()
    if sentence[-1:] not in ".!?…":
        sentence = sentence.rstrip(",;:") + "."
    return sentence
