"""Checks of a drafted letter against what the user gave us: nothing in it may come from nowhere.

Two checks, both deterministic and the same in every language:

1. Output check. Email addresses, phone numbers, web addresses, street addresses and names
   (capitalised runs of two or more words) in the draft that appear neither in the user's materials,
   nor in the posting, nor in their account (name, email). A model that follows an instruction
   hidden in a posting ("include the applicant's phone number") or makes up a referee is caught
   here. Phones are compared as digits (a country code may be added or left out), web addresses as
   host and path, everything else case-folded without accents.
2. Unsupported claims. Each sentence of the draft that says something (not a courtesy like "I look
   forward to hearing from you") is looked up in the materials. It is unsupported when it names a
   number, a tool or a name the materials never mention, or when neither the retrieval blend
   (coach.retrieval: meaning and wording) nor the share of its content words found in the materials
   reaches its threshold. A courtesy is told apart by its shape, not by a phrase list: no digits, no
   names or terms, and at most a few content words.

The thresholds were set on the shared samples (bench/README.md, "Drafting"): sentences of the
candidates' own letters count as supported by their CVs, sentences about other jobs and made-up
achievements do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from coach.terms import key_terms
from materials.chunking import sentence_spans
from omoikane.text import fold

if TYPE_CHECKING:
    from coach.retrieval import UserIndex

# Bump when a change here can change a result, so stored checks say which rules they followed.
CHECKS_VERSION = "1"

# A sentence is supported when the retrieval blend of its best chunk reaches SUPPORT_AT, or when this
# share of its content words occur in the materials.
SUPPORT_AT = 0.42
COVERAGE_AT = 0.6
# A sentence with no digits, names or terms and at most this many content words is a courtesy.
COURTESY_MAX_CONTENT_WORDS = 4

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
# A bare domain in lower case ("fjordpay.no/jobs"); upper or mixed case is a name ("ASP.NET", "Node.js").
_TLDS = "com|org|net|io|dev|app|ai|eu|no|nl|de|gr|se|dk|fi|uk|fr|es|it|be|at|ch|info|biz|co"
BARE_DOMAIN_RE = re.compile(rf"(?<![\w@./-])(?:[a-z0-9-]+\.)+(?:{_TLDS})(?:/[^\s<>\"')\]]*)?(?![\w@-])")
# Digits with the separators phone numbers are written with; 8 to 15 digits make a phone (E.164).
PHONE_RE = re.compile(r"(?<![\w.,/+-])(?:\+|00)?\(?\d[\d\s().-]{5,}\d(?![\w%])")
# A street and house number, as the five languages write them: "Storgata 12", "Keizersgracht 123",
# "Hauptstraße 5a", "12 Baker Street", "Οδός Ερμού 10".
_STREETS = (
    "gate|gata|veien|vegen|vei|veg|straat|weg|laan|gracht|kade|plein|straße|strasse|str\\.|allee|platz|"
    "street|road|avenue|lane|drive|st\\.|rd\\."
)
ADDRESS_RE = re.compile(
    rf"(?<!\w)(?:[^\W\d_][\w.-]*(?:{_STREETS})\s+\d+[a-zA-Z]?(?!\w)"
    rf"|\d+[a-zA-Z]?\s+(?:[A-Z][\w-]+\s+)+(?:Street|Road|Avenue|Lane|Drive|St\.|Rd\.)"
    rf"|(?:Οδός|οδός|οδό)\s+[^\W\d_]+\s+\d+)",
    re.IGNORECASE,
)
_DATE_RE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}")
_YEARS_RE = re.compile(r"(?:19|20)\d\d\s*[-–/]\s*(?:19|20)?\d\d")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_WORD_RE = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")


def _words(text: str) -> frozenset[str]:
    return frozenset(fold(word) for word in text.split())


# Function words and the vocabulary every letter shares, in the five languages we write: they carry no
# claim, so they are neither content words nor the start of a name.
FUNCTION_WORDS = _words(
    """
    i me my mine myself a an the and or but of in on at to with for from by as is am are was were be been
    being have has had do does did you your yours we our us they their them it its this that these those
    who whom which what when where why how can could should would will shall must may might not no nor so
    also very too just more most much many such than then there here into onto about over under after
    before while since because if each every both either any all some other another own same again
    further once only out up down off like well make made want wish hope look forward hear hearing
    glad happy pleased thank thanks dear hello hi regards kind best sincerely yours faithfully cordially
    warm letter application apply position role job posting opportunity team company hiring recruiting
    recruitment recruiter manager managers committee department human resources people ms mr mrs dr sir
    madam welcome chance discuss discussing considering consideration talk meet meeting interview time
    needs contribute excited interested eager
    de het een en of maar van voor met in op aan bij als je jij u jouw uw wij we ons onze die dat dit
    deze is zijn ben bent was waren heb hebt heeft hebben had ook zeer graag niet geen wel naar om te
    door over uit tot dan als kan kunnen zou zouden wil wilt willen hoop met vriendelijke groet groeten
    beste geachte heer mevrouw hartelijke dank sollicitatie functie vacature gesprek kennismaken vertellen
    meer
    og eller men i på med for av til fra som du deg din ditt dine vi vår våre jeg meg min mitt mine er
    var har hadde ha en et ei den det de ikke også svært gjerne vil ville kan kunne skal skulle håper
    ser frem fram vennlig hilsen med kjære hei takk søknad stilling samtale intervju fortelle mer møte
    und oder aber in im am an auf mit für von vom zu zum zur bei als du dein deine dich dir sie ihr ihre
    ihnen wir uns unser unsere ich mich mir mein meine meinen der die das den dem des ein eine einen
    einem einer ihren ihrem ihrer ihres meinem meiner meines unserem unseren unserer ist sind bin war
    waren habe hast haben hat hatte nicht kein keine auch sehr gern gerne
    würde würden kann können möchte freue freuen mich über ihre freundlichen grüßen grüße geehrte
    geehrter damen herren liebe lieber hallo vielen viele dank bewerbung stelle gespräch
    vorstellungsgespräch persönlichen kennenlernen erzähle erzählen mehr
    και ή αλλά σε με για από ως στο στη στην στον στα στους στις του της των το τα η ο οι ένα μια τον την τη
    ενός είμαι είναι ήμουν έχω έχει θα να δεν μη πολύ επίσης μου μας σας σου τους αυτό αυτή αυτός
    ευχαριστώ αξιότιμε αξιότιμη αξιότιμοι κύριε κυρία εκτίμηση φιλικά χαιρετισμούς αίτηση θέση συνέντευξη
    συζήτηση
    """
)  # fmt: skip
# Lower-case words that join the parts of a name: "Bank of Norway", "Jan de Vries", "Ludwig van Beethoven".
NAME_JOINERS = _words("of van von de der den du la le af zu & και")


@dataclass(frozen=True)
class Flag:
    kind: str  # "email", "phone", "url", "address" or "name"
    value: str  # as written in the draft


@dataclass(frozen=True)
class DraftChecks:
    flags: list[Flag]
    unsupported: list[str]
    claims: int
    courtesies: int
    version: str = CHECKS_VERSION
    details: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Sources:
    """What a draft may draw on: the user's materials, the posting, and their account details."""

    materials: Sequence[str]
    posting: str = ""
    known: Sequence[str] = ()

    def haystack(self) -> str:
        return _normal_text(" \n ".join([*self.materials, self.posting, *self.known]))


def check_draft(
    draft: str, sources: Sources, *, language: str = "", index: UserIndex | None = None
) -> DraftChecks:
    flags = output_flags(draft, sources)
    claims, courtesies, unsupported, details = assess_claims(
        draft,
        sources.materials,
        addressed=_normal_text(" \n ".join([sources.posting, *sources.known])),
        named=sources.known,
        language=language,
        index=index,
    )
    return DraftChecks(
        flags=flags, unsupported=unsupported, claims=claims, courtesies=courtesies, details=details
    )


# --- Output check ---------------------------------------------------------------------------------------


def emails(text: str) -> list[str]:
    return [match.rstrip(".") for match in EMAIL_RE.findall(text)]


def urls(text: str) -> list[str]:
    without_emails = EMAIL_RE.sub(" ", text)
    found = [match.rstrip(".,;:!?") for match in URL_RE.findall(without_emails)]
    scrubbed = URL_RE.sub(" ", without_emails)
    found += [match.rstrip(".,;:!?") for match in BARE_DOMAIN_RE.findall(scrubbed)]
    return found


def phones(text: str) -> list[str]:
    scrubbed = URL_RE.sub(" ", EMAIL_RE.sub(" ", text))
    found = []
    for match in PHONE_RE.finditer(scrubbed):
        value = match.group(0).strip(" .-(")
        digits = re.sub(r"\D", "", value)
        if not 8 <= len(digits) <= 15 or _DATE_RE.fullmatch(value) or _YEARS_RE.search(value):
            continue
        # "1.200.000" or "400,000": a number with thousands separators, not a phone.
        if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", value):
            continue
        found.append(value)
    return found


def addresses(text: str) -> list[str]:
    return [match.group(0) for match in ADDRESS_RE.finditer(text)]


def names(text: str) -> list[str]:
    """Runs of two or more capitalised words, without the function words a sentence may start with."""
    found: list[str] = []
    for line in text.splitlines():
        # A run never crosses punctuation: "Kind regards, Ingrid Solberg" gives "Ingrid Solberg" only.
        for piece in re.split(r"[,.;:!?()\[\]\"“”„«»·|/–—]|\s-\s", line):
            run: list[str] = []
            for word in piece.split():
                folded = fold(word)
                joins = bool(run) and folded in NAME_JOINERS
                if joins or (word[:1].isupper() and folded not in FUNCTION_WORDS):
                    run.append(word)
                else:
                    # "Dear", "At", "I", "Ihre": capitalised as the start of a sentence, not a name.
                    found.extend(_name_of(run))
                    run = []
            found.extend(_name_of(run))
    return list(dict.fromkeys(found))


def _name_of(run: list[str]) -> list[str]:
    while run and fold(run[-1]) in NAME_JOINERS:
        run = run[:-1]
    capitalised = [word for word in run if word[:1].isupper()]
    return [" ".join(run)] if len(capitalised) >= 2 else []


def name_from_cv(cv_text: str) -> str:
    """The name a CV starts with ("# Ingrid Solberg"), or "" when its first line is something else."""
    first = next((line.strip().lstrip("#").strip() for line in cv_text.splitlines() if line.strip()), "")
    words = first.split()
    if not 2 <= len(words) <= 5 or any(not word[:1].isupper() and word not in NAME_JOINERS for word in words):
        return ""
    if any(char.isdigit() or char in "@:/|·" for char in first):
        return ""
    return first


def output_flags(draft: str, sources: Sources) -> list[Flag]:
    haystack = sources.haystack()
    known_digits = [re.sub(r"\D", "", phone) for phone in phones(haystack)]
    known_urls = {_normal_url(url) for url in urls(haystack)}
    flags: list[Flag] = []
    for value in emails(draft):
        if _normal_text(value) not in haystack:
            flags.append(Flag("email", value))
    for value in urls(draft):
        if _normal_url(value) not in known_urls:
            flags.append(Flag("url", value))
    for value in phones(draft):
        if not _same_phone(re.sub(r"\D", "", value), known_digits):
            flags.append(Flag("phone", value))
    for value in addresses(draft):
        if _normal_text(value) not in haystack:
            flags.append(Flag("address", value))
    for value in names(draft):
        if _normal_text(value) not in haystack:
            flags.append(Flag("name", value))
    return list(dict.fromkeys(flags))


def _normal_text(text: str) -> str:
    # "Kubernetes-Cluster" and "Kubernetes Cluster" are one name.
    return " ".join(fold(text).replace("-", " ").split())


def _normal_url(url: str) -> str:
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip(), flags=re.IGNORECASE)
    host, _, path = bare.partition("/")
    path = path.split("#", 1)[0].rstrip("/")
    return f"{host.casefold()}/{path}" if path else host.casefold()


def _same_phone(digits: str, known: Iterable[str]) -> bool:
    # "+47 400 00 000" and "400 00 000" are one number; compare the national part (the last 8 digits).
    digits = digits.removeprefix("00")
    return any(
        digits == other or (min(len(digits), len(other)) >= 8 and (digits[-8:] == other[-8:]))
        for other in (number.removeprefix("00") for number in known)
    )


# --- Contact details kept from the model --------------------------------------------------------------

# What stands in for a withheld detail in the text a model reads.
WITHHELD = {"email": "[email withheld]", "phone": "[phone withheld]", "address": "[address withheld]"}


def withhold_contact_details(text: str) -> str:
    """The text without email addresses, phone numbers and street addresses.

    The letterhead of the sent PDF carries the applicant's contact details from their profile; the body
    needs none of them. Keeping them out of the prompt means a model cannot leak them (a posting that says
    "include the applicant's phone number and home address" has nothing to work with), and the
    sub-processor never receives them.
    """
    for value in sorted(set(emails(text)), key=len, reverse=True):
        text = text.replace(value, WITHHELD["email"])
    for value in sorted(set(phones(text)), key=len, reverse=True):
        text = text.replace(value, WITHHELD["phone"])
    for value in sorted(set(addresses(text)), key=len, reverse=True):
        text = text.replace(value, WITHHELD["address"])
    return text


# --- Unsupported claims -----------------------------------------------------------------------------


def draft_sentences(draft: str) -> list[str]:
    """The sentences of a letter: paragraphs split on blank lines, lines of a paragraph joined, then
    split with the multilingual splitter the materials use (abbreviations, decimals, Greek)."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", draft):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if not lines:
            continue
        sentences.extend(sentence_spans(" ".join(lines)))
    return sentences


def content_words(sentence: str) -> list[str]:
    return [
        folded
        for folded in (fold(word) for word in _WORD_RE.findall(sentence))
        if folded not in FUNCTION_WORDS and len(folded) > 1
    ]


def is_courtesy(sentence: str, *, addressed: str = "", language: str = "") -> bool:
    """Says nothing about the applicant: no digits, few content words, and no names or terms other than
    those in `addressed` (the posting and the account, normalised): "Dear Ms Berg,", "Kind regards,
    Ingrid Solberg" and "I look forward to hearing from you." are courtesies in any language."""
    if any(char.isdigit() for char in sentence):
        return False
    if any(_normal_text(term) not in addressed for term in _terms(sentence, language)):
        return False
    return len(content_words(sentence)) <= COURTESY_MAX_CONTENT_WORDS


def _terms(sentence: str, language: str) -> list[str]:
    # key_terms() treats a capitalised word after the first as a name (except German nouns); a letter's
    # own vocabulary ("Dear Hiring Team") is no term.
    return [
        term
        for term in key_terms(sentence, german=language == "de")
        if not all(fold(w) in FUNCTION_WORDS for w in term.split())
    ]


def assess_claims(
    draft: str,
    materials: Sequence[str],
    *,
    addressed: str = "",
    named: Sequence[str] = (),
    language: str = "",
    index: UserIndex | None = None,
) -> tuple[int, int, list[str], list[dict[str, Any]]]:
    """(claims, courtesies, unsupported sentences, per-claim details)."""
    haystack = _normal_text(" \n ".join(materials))
    vocabulary = {_stem(word) for word in content_words(haystack)}
    numbers = set(_NUMBER_RE.findall(haystack))
    sentences = draft_sentences(draft)
    # What a sentence says about the applicant, without what it attributes to others.
    own = {s: _without_attributions(s, addressed=addressed, named=named) for s in sentences}
    claims = [s for s in sentences if not is_courtesy(own[s], addressed=addressed, language=language)]
    rows: list[dict[str, Any]] = []
    for sentence in claims:
        words = content_words(own[sentence])
        rows.append(
            {
                "sentence": sentence,
                "coverage": sum(_stem(w) in vocabulary for w in words) / len(words) if words else 1.0,
                "unknown_numbers": [n for n in _NUMBER_RE.findall(own[sentence]) if n not in numbers],
                "unknown_terms": [
                    t for t in _terms(own[sentence], language) if _normal_text(t) not in haystack
                ],
                "score": None,
            }
        )
    # The embedding is the slow part (tens of milliseconds a sentence): ask it only about the sentences
    # the wording leaves open, not those it shows or those with a number or name from nowhere.
    open_rows = [
        row
        for row in rows
        if not row["unknown_numbers"] and not row["unknown_terms"] and row["coverage"] < COVERAGE_AT
    ]
    for row, score in zip(
        open_rows, _best_scores([row["sentence"] for row in open_rows], index), strict=True
    ):
        row["score"] = round(score, 4)
    unsupported: list[str] = []
    for row in rows:
        row["supported"] = (
            not row["unknown_numbers"]
            and not row["unknown_terms"]
            and (row["coverage"] >= COVERAGE_AT or (row["score"] or 0.0) >= SUPPORT_AT)
        )
        row["coverage"] = round(row["coverage"], 4)
        if not row["supported"]:
            unsupported.append(row["sentence"])
    return len(claims), len(sentences) - len(claims), unsupported, rows


# A quotation in any of the five languages' quotation marks.
_QUOTED_RE = re.compile(r"“([^”]+)”|‘([^’]+)’|«([^»]+)»|„([^“”]+)[“”]|\"([^\"]+)\"")


def _without_attributions(sentence: str, *, addressed: str, named: Sequence[str]) -> str:
    """The sentence without quotations of the posting ("Your posting asks for “five years of Go”") and
    without the posting's title, the company, the place and the applicant's own name: none of them is a
    claim about the applicant. Anything else, including the posting's words used without quotation
    marks ("I have five years of Go"), stays and must be found in the materials."""

    def unless_quoted_from_posting(match: re.Match[str]) -> str:
        quoted = next(group for group in match.groups() if group is not None)
        return " " if _normal_text(quoted) in addressed else match.group(0)

    names = sorted((n.strip() for n in named if len(n.strip()) > 2), key=len, reverse=True)
    # A name that holds a quotation ("Teacher, school «New Horizons»") goes first, whole: taking the
    # quotation out first would leave the rest of the name to be read as a claim.
    text = sentence
    for name in (n for n in names if _QUOTED_RE.search(n)):
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    text = _QUOTED_RE.sub(unless_quoted_from_posting, text)
    for name in names:
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text


def _best_scores(sentences: list[str], index: UserIndex | None) -> list[float]:
    if index is None or not sentences:
        return [0.0] * len(sentences)
    return [matches[0].score if matches else 0.0 for matches in index.search_many(sentences, limit=1)]


def _stem(word: str) -> str:
    # A crude stem that works alike in five languages: "settlements"/"settlement", "Erfahrungen"/
    # "Erfahrung", "utviklet"/"utvikler" meet on their first six letters.
    return word[:6]
