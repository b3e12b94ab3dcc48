"""A CV line made into a sentence of a letter, in the first person, in the line's own language.

CV lines are mostly fragments: a verb without a subject ("Led a team of four…", "Team geleitet",
"Ledet et team"), a role ("Backend engineer with seven years…") or a noun phrase ("Variance analysis of
production costs", "Konstruktion von Vorrichtungen", "Σχεδιασμός μαθημάτων"). Each gets the smallest
frame that makes it a sentence said by the applicant, and nothing else: the frame adds no fact. A line
that is already a sentence of its own ("I like boring systems") stays as it is.

Sentence planning is kept as small: the second and later sentences of a paragraph are joined to the
first with a connector ("In addition, I…", "Daarnaast heb ik…", "Außerdem habe ich…"), putting the verb
before the subject where the language wants it (Dutch, German and Norwegian are verb-second).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from omoikane.text import fold


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


@dataclass(frozen=True)
class Frames:
    subject: str  # "I", "Ik", "Jeg", "Ich"; "" where the verb carries the person (Greek)
    # Put before a verb line in the past: "I" + "led…"; "Ik heb" + "… geleid".
    past: str
    # Before a role: "I am a" / "I am an" (English), "Ik ben", "Jeg er", "Ich bin", "Είμαι".
    role: tuple[str, str]
    # Before "responsible for": "I was", "Ik was", "Jeg var", "Ich war", "Ήμουν".
    was: str
    # Before a noun phrase: "I have experience with", "Ik heb ervaring met", "Έχω εμπειρία στα εξής:".
    experience: str
    # Joining a later sentence of a paragraph: "In addition," / "Daarnaast" / "Außerdem" / "Επίσης,".
    connectors: tuple[str, str]
    # The words of a sentence that already speaks in the first person.
    own: frozenset[str]
    # Words addressing a reader: a sentence of a past letter that has them spoke to another employer.
    addressing: frozenset[str] = frozenset()


FRAMES: dict[str, Frames] = {
    "en": Frames(
        subject="I",
        past="I",
        role=("I am a", "I am an"),
        was="I was",
        experience="I have experience with",
        connectors=("In addition,", "Beyond that,"),
        own=_word_set("i my we our me"),
        addressing=_word_set("you your yours"),
    ),
    "nl": Frames(
        subject="Ik",
        past="Ik heb",
        role=("Ik ben", "Ik ben"),
        was="Ik was",
        experience="Ik heb ervaring met",
        connectors=("Daarnaast", "Verder"),
        own=_word_set("ik mijn wij we ons onze"),
        addressing=_word_set("u uw jullie je jouw"),
    ),
    "nb": Frames(
        subject="Jeg",
        past="Jeg",
        role=("Jeg er", "Jeg er"),
        was="Jeg var",
        experience="Jeg har erfaring med",
        connectors=("I tillegg", "Dessuten"),
        own=_word_set("jeg min mitt mine vi vår våre"),
        addressing=_word_set("dere deres du din ditt dine"),
    ),
    "de": Frames(
        subject="Ich",
        past="Ich habe",
        role=("Ich bin", "Ich bin"),
        was="Ich war",
        experience="Ich habe Erfahrung mit",
        connectors=("Außerdem", "Zudem"),
        own=_word_set("ich mein meine meinen meiner wir unser unsere"),
        addressing=_word_set("sie ihr ihre ihnen ihrer ihrem ihren euch"),
    ),
    "el": Frames(
        subject="",
        past="",
        role=("Είμαι", "Είμαι"),
        was="Ήμουν",
        experience="Έχω εμπειρία στα εξής:",
        connectors=("Επίσης,", "Ακόμη,"),
        own=_word_set("μου εγω ειμαι εχω ημουν"),
        addressing=_word_set("σασ εσεισ"),
    ),
}

# English past-tense verbs without "-ed" that open CV lines ("Led a team…", "Built…").
_IRREGULAR_PAST = _word_set(
    "led built ran wrote made grew cut took won set brought drove taught kept sold began spent held found "
    "gave rebuilt rewrote oversaw undertook shipped co-led"
)
# English verbs in the present that open CV lines ("Own the month-end close…"); a noun after "of" is not.
_EN_PRESENT = _word_set(
    "own manage lead run build maintain coordinate support plan teach develop deliver oversee prepare "
    "write review train mentor supervise organise organize handle"
)
# Words in -ed that describe a person rather than say what they did: "Experienced accountant with…".
_EN_ADJECTIVES = _word_set("experienced skilled qualified certified registered licensed dedicated motivated")
# What follows a first word that is a noun, not a verb: "Design of…", "Kvalitet og…".
_NOUN_FOLLOWERS = _word_set("of and og av i for på med , und von der des en van het")
# Verbs in the past after the first word say the line is a sentence already: "Settlement lag fell…".
_EN_FINITE = _word_set("fell rose dropped grew doubled halved increased decreased was were is are")

# Dutch participles: "opgezet", "ingevoerd", "geleid", "beheerd".
_NL_PARTICIPLE_RE = re.compile(
    r"^(?:(?:op|in|uit|aan|af|mee|door|over|om|na|voor|bij|terug|samen)?ge\w{2,}(?:d|t|en)"
    r"|(?:be|ver|ont|her)\w{3,}(?:eerd|erd|ld|uurd|oerd))$"
)
# German participles closing a clause: "…um 18 % gesenkt", "…eingeführt", "…betreut", "…optimiert".
_DE_PARTICIPLE_RE = re.compile(
    r"^(?:[a-zäöü]{0,8}ge[a-zäöüß]{2,}(?:t|en)|(?:be|ver|er|ent|zer|über|unter|um)[a-zäöüß]{3,}t"
    r"|[a-zäöüß]{3,}iert)$"
)
_DE_LOWER_OPENERS = _word_set("Die Das Den Der Ein Eine Einen Neue Neues Neuen Mehrere Zahlreiche")
# Norwegian past tense: "Ledet", "Utviklet", "Innførte", "Koordinerte"; not "-het" or "-itet" nouns.
_NB_PAST_RE = re.compile(r"^\w{3,}(?:et|te|de)$")
_NB_NOUN_RE = re.compile(r"(?:het|itet|ivet|kvalitet)$")
# Greek first person of the past: "Σχεδίασα", "Ανέπτυξα", "Εργάστηκα", "Οργάνωσα" (folded, no accents).
_EL_FIRST_PERSON_RE = re.compile(r"(?:(?<!σ)σα|ξα|ψα|ηκα|ηκαμε|αμε|ησα|ευσα|υνα|ανα|ειχα|ημουν)$")
# Greek role nouns (folded): "Συντονιστής", "Υπεύθυνος", "Συντονίστρια".
_EL_ROLE_RE = re.compile(r"^(?:υπευθυν\w*|\w+(?:τησ|τρια))$")

_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


# English nouns that are no names, by their ending: "Variance analysis…", "Installation of…".
_EN_COMMON_NOUN_RE = re.compile(r"(?:ion|ing|ment|sis|ance|ence|ity|ship|ure|ogy|ness)s?$")


def _lower_first(word: str, capitalised: frozenset[str]) -> str:
    if word in capitalised or not word[1:].islower():
        return word  # a name, or an acronym ("SEA-campagnes", "A/B-testen")
    return word[:1].lower() + word[1:]


def _lower_common(word: str, capitalised: frozenset[str], common: frozenset[str]) -> str:
    """The first word of a line moved inside a sentence: lower case only when it is a common word (the
    user writes it in lower case elsewhere, or it has a common noun's ending); "Norwegian (native)…"
    and "Kubernetes…" keep their capital."""
    folded = fold(word)
    if folded in common or _EN_COMMON_NOUN_RE.search(folded):
        return _lower_first(word, capitalised)
    return word


def addresses_a_reader(sentence: str, language: str) -> bool:
    """Whether a sentence speaks to a reader ("Your posting mentions…"): in a past letter, that reader
    was another employer, so the sentence is no evidence for this one."""
    frames = FRAMES.get(language)
    return frames is not None and any(fold(w) in frames.addressing for w in _WORD_RE.findall(sentence))


def _lowered(sentence: str, capitalised: frozenset[str]) -> str:
    first, _space, rest = sentence.partition(" ")
    return f"{_lower_first(first, capitalised)} {rest}".rstrip()


def first_person(
    sentence: str, language: str, capitalised: frozenset[str], common: frozenset[str] = frozenset()
) -> str:
    """The CV line `sentence` as a sentence the applicant says, in `language` (the line's own)."""
    frames = FRAMES.get(language)
    words = sentence.split(" ")
    if frames is None or not words[0][:1].isupper():
        return sentence
    folded = [fold(w).strip(",;:.") for w in words]
    if any(w in frames.own for w in folded):
        return sentence  # already said by the applicant
    second = folded[1] if len(folded) > 1 else ""
    rewrite = {"nl": _dutch, "nb": _norwegian, "de": _german, "el": _greek}.get(language, _dutch)
    if language == "en":
        return _english(sentence, words, folded, second, frames, capitalised, common)
    return rewrite(sentence, words, folded, second, frames, capitalised)


def _english(
    sentence: str,
    words: list[str],
    folded: list[str],
    second: str,
    frames: Frames,
    caps: frozenset[str],
    common: frozenset[str] = frozenset(),
) -> str:
    first = folded[0]
    if first == "responsible":
        return f"{frames.was} {_lowered(sentence, caps)}"
    role = re.match(r"^([A-Z][a-z-]+(?: [a-z-]+){0,3}) with ", sentence)
    if role and (first in _EN_ADJECTIVES or not first.endswith("ed")):
        word = _lower_first(words[0], caps)
        return f"{frames.role[1 if word[:1].lower() in 'aeiou' else 0]} {word} {' '.join(words[1:])}"
    past = first in _IRREGULAR_PAST or (len(first) >= 5 and first.endswith("ed") and first.isalpha())
    if past and first not in _EN_ADJECTIVES:
        return f"{frames.past} {_lowered(sentence, caps)}"
    if first in _EN_PRESENT and second not in _NOUN_FOLLOWERS:
        return f"{frames.subject} {_lowered(sentence, caps)}"
    if any(w in _EN_FINITE or w in _IRREGULAR_PAST for w in folded[1:]):
        return sentence  # a sentence already: "Settlement lag fell from six hours to twelve minutes."
    first_word, _space, rest = sentence.partition(" ")
    return f"{frames.experience} {_lower_common(first_word, caps, common)} {rest}".rstrip()


def _dutch(
    sentence: str, words: list[str], folded: list[str], second: str, frames: Frames, caps: frozenset[str]
) -> str:
    if folded[0] == "verantwoordelijk":
        return f"{frames.was} {_lowered(sentence, caps)}"
    clause = re.split(r"[;,]", sentence)[0]
    if any(_NL_PARTICIPLE_RE.match(w.lower()) for w in _WORD_RE.findall(clause)[1:]):
        return f"{frames.past} {_lowered(sentence, caps)}"
    if re.match(r"^(\w+(?: \w+){0,2}) met ", sentence):
        return f"{frames.role[0]} {_lowered(sentence, caps)}"
    return f"{frames.experience} {_lowered(sentence, caps)}"


def _norwegian(
    sentence: str, words: list[str], folded: list[str], second: str, frames: Frames, caps: frozenset[str]
) -> str:
    first = folded[0]
    if first == "ansvarlig":
        return f"{frames.was} {_lowered(sentence, caps)}"
    if _NB_PAST_RE.match(first) and not _NB_NOUN_RE.search(first) and second not in _NOUN_FOLLOWERS:
        return f"{frames.past} {_lowered(sentence, caps)}"
    if re.match(r"^(\w+(?: \w+){0,2}) med ", sentence):
        return f"{frames.role[0]} {_lowered(sentence, caps)}"
    return f"{frames.experience} {_lowered(sentence, caps)}"


def _german(
    sentence: str, words: list[str], folded: list[str], second: str, frames: Frames, caps: frozenset[str]
) -> str:
    if folded[0] == "verantwortlich":
        return f"{frames.was} {_lowered(sentence, caps)}"
    clause = _WORD_RE.findall(re.split(r"[;,:]", sentence)[0])
    # German puts the participle at the end of its clause: "Stückkosten um 18 % gesenkt, indem…".
    if len(clause) >= 2 and clause[-1].islower() and _DE_PARTICIPLE_RE.match(clause[-1]):
        opener = words[0]
        lowered = opener[:1].lower() + opener[1:] if opener in _DE_LOWER_OPENERS else opener
        return f"{frames.past} {lowered} {' '.join(words[1:])}".rstrip()
    if re.match(r"^(\w+(?: \w+){0,2}) mit ", sentence) and folded[0].endswith(("er", "in", "eur")):
        return f"{frames.role[0]} {sentence}"
    return f"{frames.experience} {sentence}"  # German nouns keep their capital


def _greek(
    sentence: str, words: list[str], folded: list[str], second: str, frames: Frames, caps: frozenset[str]
) -> str:
    first = folded[0]
    if _EL_FIRST_PERSON_RE.search(first):
        return sentence  # the verb already says "I": "Σχεδίασα…", "Οργάνωσα…"
    if _EL_ROLE_RE.match(first):
        return f"{frames.was} {_lowered(sentence, caps)}"
    if re.match(r"^(\w+(?: \w+){0,2}) με ", sentence):
        return f"{frames.role[0]} {_lowered(sentence, caps)}"
    return f"{frames.experience} {_lowered(sentence, caps)}"


def joined(sentence: str, language: str, turn: int, capitalised: frozenset[str]) -> str:
    """A later sentence of a paragraph, joined to what came before with a connector where its shape
    allows one; `turn` picks the connector, so two sentences in a row are not joined alike."""
    frames = FRAMES.get(language)
    if frames is None:
        return sentence
    connector = frames.connectors[turn % len(frames.connectors)]
    words = sentence.split(" ")
    if len(words) < 3:
        return sentence
    if language == "en":
        if words[0] != "I":
            return sentence
        return f"{connector} {sentence}"
    if language == "el":
        return f"{connector} {_lowered(sentence, capitalised)}"
    if words[0] != frames.subject:
        return sentence
    # Verb-second: "Ik heb X geleid" → "Daarnaast heb ik X geleid"; "Jeg ledet" → "I tillegg ledet jeg".
    return f"{connector} {words[1]} {frames.subject.lower()} {' '.join(words[2:])}"


def all_frame_text() -> str:
    parts: list[str] = []
    for frames in FRAMES.values():
        parts += [
            frames.subject,
            frames.past,
            *frames.role,
            frames.was,
            frames.experience,
            *frames.connectors,
        ]
        parts.append(frames.subject.lower())
    return " ".join(parts)
