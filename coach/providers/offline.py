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
from coach.providers.offline_phrases import (
    FORMAL,
    INFORMAL,
    LONGER,
    PHRASES,
    ROLE_SUBJECT,
    SHORTER,
    SUBJECT,
    Phrases,
)
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
# The user's sentences per body paragraph, at most.
MAX_SENTENCES = 3

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
# English past-tense verbs without "-ed" that open CV lines ("Led a team…", "Built…").
_IRREGULAR_PAST = _word_set(
    "led built ran wrote made grew cut took won set brought drove taught kept sold began spent held found "
    "gave rebuilt rewrote oversaw undertook shipped co-led"
)
# Dutch participles: "opgezet", "ingevoerd", "geleid", "beheerd".
_NL_PARTICIPLE_RE = re.compile(
    r"^(?:(?:op|in|uit|aan|af|mee|door|over|om|na|voor|bij|terug|samen)?ge\w{2,}(?:d|t|en)"
    r"|(?:be|ver|ont|her)\w{3,}(?:eerd|erd|ld|uurd|oerd))$"
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


@dataclass
class _Paragraph:
    index: int  # the requirement's position in the posting
    lead: str
    sentences: list[_Sentence]
    spare: list[_Sentence]

    def text(self, phrases: Phrases, letter_language: str) -> str:
        parts = [self.lead]
        if any(s.language and s.language != letter_language for s in self.sentences):
            parts.append(phrases.from_my_experience)
        parts.extend(s.text for s in self.sentences)
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
        text = write_letter(prompt.grounding)
        for piece in re.findall(r"\S+\s*", text):
            if cancelled is not None and cancelled():
                raise Cancelled
            if on_text is not None:
                on_text(piece)
        return Completion(text=text, provider=self.key, model=self.model, usage=Usage(), stop_reason="end")


def write_letter(grounding: Grounding) -> str:
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
    budget = max(style.target_words - fixed, 0)
    paragraphs = _paragraphs(grounding, phrases, voice, style, language, budget)
    used = sum(p.words() for p in paragraphs)
    if opening and paragraphs and budget - used >= _count(phrases.opening_more) + 10:
        opening = f"{opening} {phrases.opening_more}"
    body = [p.text(phrases, language) for p in paragraphs] or [phrases.no_evidence]
    blocks = [salutation, opening, *body, closing, signature]
    return "\n\n".join(block for block in blocks if block) + "\n"


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
    grounding: Grounding, phrases: Phrases, voice: _Voice, style: _Style, language: str, budget: int
) -> list[_Paragraph]:
    capitalised = _capitalised_words(grounding)
    candidates: list[tuple[float, int, RequirementEvidence, list[_Sentence]]] = []
    for index, item in enumerate(grounding.requirements):
        sentences = _sentences(item, style.boost, capitalised)
        if not sentences:
            continue
        best = max(e.score for e in item.evidence)
        asked = (
            1.0
            if style.boost & (_stems(item.requirement) | _stems(" ".join(s.text for s in sentences)))
            else 0
        )
        candidates.append((best + asked, index, item, sentences))
    # The strongest two or three, told in the posting's order.
    count = 3 if budget >= 150 else 2
    chosen = sorted(candidates, key=lambda c: (-c[0], c[1]))[:count]
    paragraphs: list[_Paragraph] = []
    taken: set[str] = set()
    for _priority, index, _item, sentences in chosen:
        fresh = [s for s in sentences if s.text not in taken]
        if not fresh:
            continue
        taken.add(fresh[0].text)
        paragraphs.append(_Paragraph(index=index, lead="", sentences=[fresh[0]], spare=fresh[1:]))
    paragraphs.sort(key=lambda p: p.index)
    for position, paragraph in enumerate(paragraphs):
        requirement = _quote(grounding.requirements[paragraph.index].requirement, phrases)
        if position == 0 and voice.transition:
            paragraph.lead = f"{voice.transition} {requirement}."
        else:
            paragraph.lead = phrases.asks[position % len(phrases.asks)].format(requirement=requirement)
    _fit(paragraphs, budget, taken)
    return paragraphs


def _fit(paragraphs: list[_Paragraph], budget: int, taken: set[str]) -> None:
    """Cut or add the user's sentences until the body is about `budget` words long."""
    if sum(p.words() for p in paragraphs) > budget:
        for paragraph in paragraphs:
            paragraph.sentences = [_first_clause(s) for s in paragraph.sentences]
    while len(paragraphs) > 2 and sum(p.words() for p in paragraphs) > budget:
        # The weakest goes: the one whose sentence is least related to its requirement.
        weakest = min(paragraphs, key=lambda p: (p.sentences[0].relevance, -p.index))
        paragraphs.remove(weakest)
    slack = max(budget // 10, 5)
    added = True
    while added:
        added = False
        for paragraph in sorted(paragraphs, key=lambda p: -p.sentences[0].relevance):
            if len(paragraph.sentences) >= MAX_SENTENCES:
                continue
            spare = [s for s in paragraph.spare if s.text not in taken and s.related]
            if spare and sum(p.words() for p in paragraphs) + _count(spare[0].text) <= budget + slack:
                paragraph.sentences.append(spare[0])
                paragraph.spare.remove(spare[0])
                taken.add(spare[0].text)
                added = True


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


def _sentences(
    item: RequirementEvidence, boost: frozenset[str], capitalised: frozenset[str]
) -> list[_Sentence]:
    """The user's sentences that speak to one requirement, best first, each adapted to the first person."""
    wanted = _stems(item.requirement)
    ranked = sorted(enumerate(item.evidence), key=lambda pair: (-pair[1].score, pair[0]))
    strongest = ranked[0][1].score if ranked else 0.0
    found: list[_Sentence] = []
    seen: set[str] = set()
    for passage_rank, (_position, evidence) in enumerate(ranked):
        passage_language = _language_of(evidence.text)
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
                stems = _stems(sentence)
                shared = 0.5 * len(wanted & stems) + 2 * len(boost & stems)
                listing = sentence.count(",") >= 4 and _count(sentence) < 4 * (sentence.count(",") + 1)
                text = _first_person(_trim(sentence), passage_language, capitalised)
                found.append(
                    _Sentence(
                        text,
                        passage_language,
                        # Retrieval saw more than shared words can: its score counts most.
                        relevance=shared + 2 * evidence.score - (10 if listing else 0),
                        rank=(passage_rank, position),
                        related=shared > 0 or (position == 1 and evidence.score >= strongest / 2),
                        listing=listing,
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


def _lower_first(word: str, capitalised: frozenset[str]) -> str:
    if word in capitalised or not word[1:].islower():
        return word  # a name, or an acronym ("SEA-campagnes", "A/B-testen")
    return word[:1].lower() + word[1:]


def _first_person(sentence: str, language: str, capitalised: frozenset[str]) -> str:
    """'Led a team of four…' → 'I led a team of four…'; 'Nieuwe strategie opgezet' → 'Ik heb nieuwe…'."""
    words = sentence.split(" ")
    first = words[0]
    folded = first.lower()
    if language == "en" and first[:1].isupper():
        if folded in _IRREGULAR_PAST or (len(folded) >= 5 and folded.endswith("ed") and folded.isalpha()):
            return f"{SUBJECT['en']} {folded} {' '.join(words[1:])}"
        role = re.match(r"^([A-Z][a-z-]+(?: [a-z-]+){0,3}) with ", sentence)
        if role:
            word = _lower_first(first, capitalised)
            article = ROLE_SUBJECT["en"][1 if word[:1].lower() in "aeiou" else 0]
            return f"{article} {word} {' '.join(words[1:])}"
    if language == "nl" and first[:1].isupper():
        clause = re.split(r"[;,]", sentence)[0]
        if any(_NL_PARTICIPLE_RE.match(w.lower()) for w in _words(clause)[1:]):
            return f"{SUBJECT['nl']} {_lower_first(first, capitalised)} {' '.join(words[1:])}"
        if re.match(r"^(\w+(?: \w+){0,2}) met ", sentence):
            return f"{ROLE_SUBJECT['nl'][0]} {_lower_first(first, capitalised)} {' '.join(words[1:])}"
    return sentence
