"""Language requirements and levels: which languages, at which level, a requirement line asks for
("Fluent Norwegian", "Deutschkenntnisse mindestens B2", "Άριστη γνώση αγγλικών"), and which the user's
materials show, stated ("German (intermediate)") or implied by the language they are written in.

Scoring (coach/scoring.py) decides a language requirement on these levels rather than on likeness, as
embeddings cannot tell B1 from C1. The level words and language names in five languages make this long,
and they change for reasons of their own (a new language, a new level word), so they live apart from the
score. The key-term reader (coach/terms.py) asks it too, to leave language names to the language check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.requirements import fold

if TYPE_CHECKING:
    from materials.models import Chunk


def folded_words(text: str) -> frozenset[str]:
    """A word list written as text, folded like the text it will meet."""
    return frozenset(fold(word) for word in text.split())


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
_LANGUAGE_CONTEXT = folded_words(
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


def is_language_word(folded: str) -> bool:
    return _LANGUAGE_RE.fullmatch(folded) is not None


def candidate_languages(chunks: Sequence[Chunk]) -> dict[str, tuple[int, list[int]]]:
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


def languages_met(asked: _Asked, known: dict[str, tuple[int, list[int]]]) -> tuple[bool, list[int]]:
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
