"""Readers of requirement lines: the subject words (what a line is about, without the words every line
shares) and the key terms (tools, certificates, degrees and names), and a haystack that finds those terms
in the user's chunks.

Scoring (coach/scoring.py) weighs what these find; the readers themselves are text rules with word lists
in five languages, which grow on their own, so they live apart from the score. The draft checks
(coach/checks.py) read key terms too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from coach.language_levels import folded_words, is_language_word
from coach.requirements import fold

if TYPE_CHECKING:
    from materials.models import Chunk


# --- Subject words ------------------------------------------------------------------------------------

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
_GENERIC_WORDS = folded_words(
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
) | folded_words(_DEGREE_WORDS)  # fmt: skip
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
    if folded in _GENERIC_WORDS or word.isdigit() or is_language_word(folded):
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
_STOPWORDS = folded_words(
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
_DEGREE_LEVELS = folded_words(_DEGREE_WORDS)
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
            if words and letters >= 2 and not _CEFR_RE.fullmatch(part) and not is_language_word(fold(part)):
                items.append(part)
    return items


def _is_term(token: str, *, initial: bool, german: bool) -> bool:
    letters = [char for char in token if char.isalpha()]
    folded = fold(token)
    if not letters or folded in _STOPWORDS or folded in _DEGREE_LEVELS or _CEFR_RE.fullmatch(token):
        return False
    if is_language_word(folded) or (len(letters) < 2 and "#" not in token and "+" not in token):
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


class Haystack:
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


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w#+]+", " ", fold(text)).split())
