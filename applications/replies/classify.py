"""What an employer's reply is about: a rejection, an interview, a request for information, an offer.

The result is a suggestion the user confirms, shown with the phrases behind it, so the rules are plain and
deterministic rather than learned: the same mail always gets the same answer, and the answer can be
explained. How it decides:

1. Cues. Each kind has phrases in English, Dutch, Norwegian Bokmål, German and Greek (listed in cues.toml),
   matched against the folded text (lower case, no accents; see text.fold) so "Absage", "ABSAGE" and
   "absage" are one cue.
   A cue weighs 3 when it states the decision on its own ("we have decided to proceed with other
   candidates", "uitnodigen voor een gesprek", "tilbud om stilling", "Vertragsangebot", "προσφορά
   εργασίας"), 2 when it strongly suggests it ("references", "your availability", "arbeidsavtale"), and
   1 when it only hints ("unfortunately", "leider", "interview"). Each cue counts once however often it
   appears; a cue in the subject counts half as much again, as subjects name the news ("Absage", "Einladung
   zum Vorstellungsgespräch").
2. Negation. Cues for the hopeful kinds (interview, offer, information request) do not count when a
   negation or a might-have-been comes before them in the same clause: "we will not be inviting you to an
   interview", "leider kein Angebot", "δεν θα σας καλέσουμε", "we would have liked to invite you". Such
   sentences usually carry their own rejection cue ("not be inviting you", "kein Angebot").
3. Words that look back do not count as news: a rejection mentions the interview it follows ("after the
   interview we have decided…"), so the bare word "interview" weighs 1 while only an invitation weighs 3.
4. Contrast. In a sentence that turns ("but", "however", "maar", "men", "aber", "jedoch", "αλλά",
   "ωστόσο"), the part after the turn is what the sender means: cues there count half as much again.
   "We enjoyed meeting you, but unfortunately we have decided…" is a rejection; "Unfortunately we cannot
   offer you the senior role, but we would like to invite you to an interview for…" is an interview.
5. Schedule. A video-call link (Teams, Zoom, Meet, Whereby, Webex) counts 2 for an interview; a time or
   weekday counts 1, only when the mail speaks of an interview at all: rejections carry dates too.
6. Requests inside invitations and offers ("please send your availability", "return the signed
   contract") are part of them: information requests count half when an interview or offer cue of weight
   3 is present.
7. Regret and negation. A regret word ("unfortunately", "helaas", "dessverre", "leider", "δυστυχώς")
   followed by a negation in the same sentence counts 2 for a rejection, once: rejections are worded in
   countless ways ("your profile does not quite match", "du kom dessverre ikke med"), but this shape is
   common to all of them and to all five languages. It is a fallback: it does not count when a decisive
   rejection cue is there already, nor for "not yet".
8. Decision. "Other" starts at 1.5 plus its own cues (acknowledgements of receipt, automatic replies), so a
   lone hint such as "unfortunately" is not enough to suggest a status change. The highest score wins;
   equal scores stay "other", then go to rejection, offer, interview and information request, the most
   explicit first.
   Confidence grows with the winner's score (1 - e^(-score/3): 0.63 for one decisive cue, 0.86 for two)
   and shrinks with the runner-up's share of the evidence (times 1 - runner-up/winner).
9. Asking. A rejection, interview or offer with a confidence below ASK_BELOW (0.5) is not suggested: the
   reply is marked for the user to say what it is, as a wrong status change is the costly error.

`language` (the detected language of the reply) only narrows the weakest cues, the single words, to that
language and English; phrases count whatever the language, as companies mix languages in their mails.
Pass the reply without its quoted history (ParsedReply.body_text): the user's own quoted application would
otherwise speak for the employer.
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from applications.models import Reply
from omoikane.text import fold, fold_with_map

# The kinds are the model's choices, so a suggestion is always a value the user can confirm.
ReplyKind = Reply.Kind


@dataclass(frozen=True)
class Classification:
    kind: ReplyKind
    confidence: float  # 0 to 1
    cues: list[str]  # the phrases behind the suggestion, as they appear in the reply, in reading order
    # True when the evidence is too thin or contested to suggest a status change: the user is asked.
    ask: bool = False
    # The winner's evidence and the strongest other kind's (without the prior "other" starts with).
    score: float = 0.0
    runner_up: float = 0.0


REJ, INT, REQ, OFF, OTH = (
    ReplyKind.REJECTION,
    ReplyKind.INTERVIEW,
    ReplyKind.INFORMATION_REQUEST,
    ReplyKind.OFFER,
    ReplyKind.OTHER,
)
DECISIVE, STRONG, HINT = 3.0, 2.0, 1.0

# The cues (kind, weight, language, alternatives) are data: cues.toml beside this file, read once at import.
_CUES_FILE = Path(__file__).with_name("cues.toml")
_WEIGHTS = {"decisive": DECISIVE, "strong": STRONG, "hint": HINT}


def _load_cues() -> tuple[tuple[ReplyKind, float, str, tuple[str, ...]], ...]:
    with _CUES_FILE.open("rb") as handle:
        tables = tomllib.load(handle)
    cues = []
    for kind, entries in tables.items():
        for entry in entries:
            if set(entry) != {"weight", "language", "patterns"}:
                raise ValueError(f"{_CUES_FILE.name}: a {kind} cue needs weight, language and patterns only.")
            patterns = tuple(entry["patterns"])
            cues.append((ReplyKind(kind), _WEIGHTS[entry["weight"]], str(entry["language"]), patterns))
    return tuple(cues)


_CUES = _load_cues()


def _fold_pattern(pattern: str) -> str:
    """Fold the letters of a pattern like text.fold does, leaving the regex syntax (all ASCII) alone.

    A space in a pattern stands for any run of spaces: mails are full of double spaces after full stops.
    """
    return "".join(fold(ch) if not ch.isascii() else ch for ch in pattern).replace(" ", " +")


_VIDEO_LINK_RE = re.compile(
    r"(?:zoom\.us|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com|whereby\.com|webex\.com)/\S*"
    r"|\b(?:microsoft teams|google meet|zoom(?:-| )?(?:link|call|meeting))\b"
)
# A time ("10:00", "14.30 uhr", "kl. 9", "10am") or a weekday, in the five languages (folded).
_WHEN_RE = re.compile(
    r"(?<![\d.:])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![\d.:])|\b\d{1,2}\s?(?:am|pm|uhr)\b|\bkl\.?\s?\d{1,2}\b"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|tomorrow"
    r"|maandag|dinsdag|woensdag|donderdag|vrijdag|morgen"
    r"|mandag|tirsdag|onsdag|torsdag|fredag|i morgen"
    r"|montag|dienstag|mittwoch|donnerstag|freitag"
    r"|δευτερα|τριτη|τεταρτη|πεμπτη|παρασκευη|αυριο)\b"
)
# A negation or a might-have-been, looked for between the start of a cue's clause and the cue. These three
# are written with accents for legibility and folded like the text.
_NEGATION_RE = re.compile(
    _fold_pattern(
        r"\b(?:not|no|never|unable|cannot|can't|won't|wouldn't|don't|isn't|aren't|couldn't|would have liked"
        r"|niet|geen|nooit|hadden (?:\w+ )?graag"
        r"|ikke|ingen|aldri|ville gjerne ha|skulle gjerne ha"
        r"|nicht|kein\w*|nie|hätten (?:\w+ )?gerne|hatten (?:\w+ )?gerne|hätten (?:\w+ )?gern"
        r"|δεν|μην|ούτε)\b"
    )
)
# An invitation or offer that waits on something first ("before we arrange an interview, please tell us…",
# "voordat we een gesprek plannen…", "bevor wir ein Gespräch vereinbaren…") is not the news of the mail:
# the request is.
_CONDITION_RE = re.compile(
    _fold_pattern(r"\b(?:before|prior to|voordat|alvorens|før|innen|bevor|ehe|πριν|προτού|μόλις)\b")
)
_CLAUSE_BREAK_RE = re.compile(_fold_pattern(r"[.,;:!?\n]|\b(?:but|maar|men|aber|αλλά)\b"))
_CONTRAST_RE = re.compile(
    _fold_pattern(
        r"\b(?:but|however|although|though|maar|echter|hoewel|men|imidlertid|likevel|selv om"
        r"|aber|jedoch|allerdings|obwohl|αλλά|ωστόσο|όμως|παρόλο|αν και)\b"
    )
)
_SENTENCE_END_RE = re.compile(r"[.!?\n]")
_REGRET_RE = re.compile(
    _fold_pattern(
        r"\b(?:unfortunately|regrettably|sadly|i'm afraid|we regret|helaas|tot onze spijt|jammer genoeg"
        r"|dessverre|beklageligvis|leider|bedauerlicherweise|δυστυχώς|λυπούμαστε)\b"
    )
)
# "Unfortunately we have not decided yet" is a delay, not a no.
_NOT_YET_RE = re.compile(_fold_pattern(r"\b(?:yet|nog|noch|ennå|enda|ακόμα|ακόμη)\b"))
_WRAPPED_LINE_RE = re.compile(r"(?<!\n)\n(?!\n)")
_SPACES = str.maketrans(dict.fromkeys("\t\r\f\v\u00a0\u2007\u2009\u202f", " "))
_NEGATION_WINDOW = 60
_MAX_SENTENCE = 300
_MAX_HITS = 20
_SUBJECT_FACTOR = 1.5
_CONTRAST_FACTOR = 1.5
_OTHER_PRIOR = 1.5
_MAX_CUES = 8
# Replies are short; a long one says what it is about near the top, and its tail is not worth the time.
_MAX_CHARS = 20_000
# Below this confidence a rejection, interview or offer is not suggested; the user is asked. One decisive cue
# alone (0.63) is enough, a strong cue alone (0.49) is not, nor a decisive cue with a competing kind holding
# half as much evidence. Checked on the fifth set's held-out part (bench/README.md, "Reply reader").
ASK_BELOW = 0.5
_STATUS_KINDS = (ReplyKind.REJECTION, ReplyKind.INTERVIEW, ReplyKind.OFFER)
# On equal scores: "other" (no status change) before any kind, then the most explicit kinds first.
_TIE_ORDER = (OTH, REJ, OFF, INT, REQ)


@dataclass(frozen=True)
class _Cue:
    kind: ReplyKind
    weight: float
    language: str
    pattern: re.Pattern[str]


_COMPILED = tuple(
    _Cue(kind, weight, language, re.compile(rf"(?<!\w)(?:{_fold_pattern('|'.join(alternatives))})(?!\w)"))
    for kind, weight, language, alternatives in _CUES
)


@dataclass
class _Match:
    kind: ReplyKind
    weight: float
    start: int  # in the original text
    end: int


def classify(subject: str, body: str, *, language: str = "") -> Classification:
    """A suggestion of what the reply is, how sure we are, and the phrases behind it (see module doc)."""
    # One text so positions are simple; the subject's matches are told apart by their position.
    text = (subject.strip() + "\n\n" + body[:_MAX_CHARS].replace("\r\n", "\n")).replace("\u2019", "'")
    # Plain-text mails wrap their lines at 72 characters or so, in the middle of phrases: a single line
    # break is a space, a blank line ends a paragraph. Tabs and no-break spaces are spaces. Each of these
    # replaces one character by one, so positions in `text` stay valid.
    text = _WRAPPED_LINE_RE.sub(" ", text).translate(_SPACES)
    subject_end = len(subject.strip())
    folded, origin = fold_with_map(text)
    matches = _matches(folded, origin, subject_end, language)
    scores = dict.fromkeys(ReplyKind, 0.0)
    for match in matches:
        scores[match.kind] += match.weight
    _add_schedule(folded, origin, matches, scores)
    _add_regret(folded, origin, matches, scores)
    if max(scores[INT], scores[OFF]) >= DECISIVE:
        scores[REQ] /= 2
    return _decide(text, matches, scores)


def _matches(folded: str, origin: list[int], subject_end: int, language: str) -> list[_Match]:
    found: list[_Match] = []
    for cue in _COMPILED:
        if cue.weight <= HINT and language and cue.language not in (language, "en", ""):
            continue
        best: _Match | None = None
        # A cue counts once; its first few occurrences are enough to find where it weighs most.
        for hit in itertools.islice(cue.pattern.finditer(folded), _MAX_HITS):
            if cue.kind in (INT, OFF, REQ) and _negated(folded, hit.start()):
                continue
            if cue.kind in (INT, OFF) and _conditional(folded, hit.start()):
                continue
            weight = cue.weight
            if hit.start() < subject_end:
                weight *= _SUBJECT_FACTOR
            if _after_contrast(folded, hit.start()):
                weight *= _CONTRAST_FACTOR
            if best is None or weight > best.weight:
                best = _Match(cue.kind, weight, origin[hit.start()], origin[hit.end() - 1] + 1)
        # The same words can be a cue in several languages ("interview"): they count once.
        if best is not None and not any(
            (seen.kind, seen.start, seen.end) == (best.kind, best.start, best.end) for seen in found
        ):
            found.append(best)
    return found


def _clause_start(folded: str, position: int, pattern: re.Pattern[str]) -> int:
    window_start = max(0, position - _NEGATION_WINDOW)
    breaks = [match.end() for match in pattern.finditer(folded, window_start, position)]
    return breaks[-1] if breaks else window_start


def _negated(folded: str, position: int) -> bool:
    start = _clause_start(folded, position, _CLAUSE_BREAK_RE)
    return _NEGATION_RE.search(folded, start, position) is not None


def _conditional(folded: str, position: int) -> bool:
    start = _clause_start(folded, position, _CLAUSE_BREAK_RE)
    return _CONDITION_RE.search(folded, start, position) is not None


def _after_contrast(folded: str, position: int) -> bool:
    sentence_start = 0
    for match in _SENTENCE_END_RE.finditer(folded, max(0, position - 400), position):
        sentence_start = match.end()
    return _CONTRAST_RE.search(folded, sentence_start, position) is not None


def _add_schedule(
    folded: str, origin: list[int], matches: list[_Match], scores: dict[ReplyKind, float]
) -> None:
    """Video links and times: signs of an interview being arranged (see module doc, point 5)."""
    if link := _VIDEO_LINK_RE.search(folded):
        matches.append(_Match(INT, STRONG, origin[link.start()], origin[link.end() - 1] + 1))
        scores[INT] += STRONG
    invited = any(match.kind is INT for match in matches)
    if invited and (when := _WHEN_RE.search(folded)):
        matches.append(_Match(INT, HINT, origin[when.start()], origin[when.end() - 1] + 1))
        scores[INT] += HINT


def _add_regret(
    folded: str, origin: list[int], matches: list[_Match], scores: dict[ReplyKind, float]
) -> None:
    """A regret word and a negation in one sentence: how a rejection says no in its own words.

    "Unfortunately your profile does not match", "leider passt dein Profil nicht", "δυστυχώς … δεν
    ταιριάζει": no fixed phrase, but the shape is the same in every language (see module doc, point 7).
    """
    if any(match.kind is REJ and match.weight >= DECISIVE for match in matches):
        return  # a fallback for wordings no cue knows; a known one has said it already
    for regret in _REGRET_RE.finditer(folded):
        # A sentence, or what passes for one in a mail without full stops.
        limit = min(len(folded), regret.end() + _MAX_SENTENCE)
        end_match = _SENTENCE_END_RE.search(folded, regret.end(), limit)
        end = end_match.start() if end_match else limit
        negation = _NEGATION_RE.search(folded, regret.end(), end)
        if negation and not _NOT_YET_RE.search(folded, regret.start(), end):
            matches.append(_Match(REJ, STRONG, origin[regret.start()], origin[negation.end() - 1] + 1))
            scores[REJ] += STRONG
            return


def _decide(text: str, matches: list[_Match], scores: dict[ReplyKind, float]) -> Classification:
    evidence = dict(scores)
    scores[OTH] += _OTHER_PRIOR
    kind = max(_TIE_ORDER, key=lambda candidate: (scores[candidate], -_TIE_ORDER.index(candidate)))
    top = scores[kind]
    runner_up = max(evidence[other] for other in ReplyKind if other is not kind)
    # Grows with the winner's evidence (0.63 for one decisive cue alone, 0.86 for two) and falls with the
    # share a competing kind holds: a mail that reads as both an interview and a request is unclear.
    confidence = (1 - math.exp(-top / 3)) * max(0.0, 1 - runner_up / top)
    # A status change suggested on thin or contested evidence would move the application wrongly once the
    # user confirms it without reading: below the threshold the user is asked instead.
    ask = kind in _STATUS_KINDS and confidence < ASK_BELOW
    return Classification(
        kind=kind,
        confidence=round(confidence, 2),
        ask=ask,
        cues=_phrases(text, matches, kind),
        score=evidence[kind],
        runner_up=runner_up,
    )


def _phrases(text: str, matches: list[_Match], kind: ReplyKind) -> list[str]:
    """The winning kind's matches as the reply words them; overlapping matches ("We regret" and "regret to
    inform you") read as one phrase."""
    spans: list[tuple[int, int]] = []
    for match in sorted((match for match in matches if match.kind is kind), key=lambda match: match.start):
        if spans and match.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], match.end))
        else:
            spans.append((match.start, match.end))
    phrases: list[str] = []
    for start, end in spans:
        phrase = " ".join(text[start:end].split())
        if phrase.casefold() not in {seen.casefold() for seen in phrases}:
            phrases.append(phrase)
    return phrases[:_MAX_CUES]
