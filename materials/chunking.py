"""Split a material's normalised Markdown into chunks for embedding and retrieval.

One chunk per bullet and per paragraph, so a requirement can be matched to the one line of a CV that
shows it. Headings are not chunks: they become each chunk's `section`, and the innermost one is put in
front of the text that gets embedded, so "Led a team of four" still says where and when.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from materials.extraction.blocks import Block
from materials.extraction.text import markdown_blocks

SECTION_SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark
MAX_SECTION_CHARS = 300


@dataclass(frozen=True)
class ChunkDraft:
    ordinal: int
    # "bullet", "paragraph", or "line": short lines that are not prose (contact details, a skills list).
    kind: str
    # The heading path below the document title, outermost first, joined by SECTION_SEPARATOR.
    section: str
    text: str


def chunk_text(text: str, *, max_chars: int = 700) -> list[ChunkDraft]:
    """Chunks in reading order. Text longer than `max_chars` is split between sentences, never inside one."""
    blocks = markdown_blocks(text)
    title = _document_title(blocks)
    path: list[tuple[int, str]] = []
    pieces: list[tuple[str, str, str]] = []  # (kind, section, text)
    lines: list[str] = []
    lines_section = ""

    def flush_lines() -> None:
        nonlocal lines
        for group in _group_lines(lines, max_chars):
            pieces.append(("line", lines_section, group))
        lines = []

    for block in blocks:
        if block.kind == "heading":
            flush_lines()
            if block is title:
                continue
            while path and path[-1][0] >= block.level:
                path.pop()
            path.append((block.level, block.text))
            continue
        section = _section(path)
        if block.kind == "bullet":
            flush_lines()
            pieces.extend(("bullet", section, part) for part in split_sentences_to_fit(block.text, max_chars))
        elif _is_prose(block.text):
            flush_lines()
            prose = " ".join(block.text.split("\n"))
            pieces.extend(("paragraph", section, part) for part in split_sentences_to_fit(prose, max_chars))
        else:
            if lines and section != lines_section:
                flush_lines()
            lines.extend(block.text.split("\n"))
            lines_section = section
    flush_lines()
    return [
        ChunkDraft(ordinal=ordinal, kind=kind, section=section, text=chunk)
        for ordinal, (kind, section, chunk) in enumerate(pieces)
    ]


def embedding_text(chunk: ChunkDraft) -> str:
    """The text to embed: the chunk, after the innermost heading it stands under."""
    if not chunk.section:
        return chunk.text
    return f"{chunk.section.rsplit(SECTION_SEPARATOR, 1)[-1]}: {chunk.text}"


def _document_title(blocks: list[Block]) -> Block | None:
    """The opening "# " heading when no other heading is at its level (a CV's "# Name"): not a section."""
    headings = [block for block in blocks if block.kind == "heading"]
    if not headings or blocks[0] is not headings[0] or headings[0].level != 1:
        return None
    return headings[0] if all(other.level > 1 for other in headings[1:]) else None


def _section(path: list[tuple[int, str]]) -> str:
    section = SECTION_SEPARATOR.join(text for _, text in path)
    if len(section) > MAX_SECTION_CHARS:
        section = section[: MAX_SECTION_CHARS - 1].rstrip() + "…"
    return section


# Quotes and brackets that may close a sentence after its stop, and open one before its first word.
_CLOSERS = "\"'\u201d\u2019\u00bb)\\]"
_OPENERS = "\"'\u201c\u2018\u00ab(["
_FINAL_STOP_RE = re.compile(f"[.!?…;\u3002\uff01\uff1f][{_CLOSERS}]*$")


def _is_prose(text: str) -> bool:
    """Sentences, as opposed to lists of short items ("Python, Django, PostgreSQL") or an address."""
    flat = " ".join(text.split("\n")).strip()
    if not _FINAL_STOP_RE.search(flat) and len(sentence_spans(flat)) < 2:
        return False
    segments = [segment for segment in re.split(r"[,·|;]", flat) if segment.strip()]
    words_per_segment = sum(len(segment.split()) for segment in segments) / max(1, len(segments))
    return words_per_segment >= 3


def _group_lines(lines: list[str], max_chars: int) -> list[str]:
    """Consecutive short lines as few chunks as fit, cut only between lines."""
    groups: list[str] = []
    current: list[str] = []
    for line in lines:
        if current and len("\n".join([*current, line])) > max_chars:
            groups.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        groups.append("\n".join(current))
    return groups


# Words that end with a full stop without ending a sentence, as they are written in the supported
# languages (lower-cased, without the final stop).
_ABBREVIATIONS = frozenset(
    {
        # English
        "e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "excl", "dept", "est", "min", "max", "no", "nos",
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "ca", "resp", "a.m", "p.m",
        "ph.d", "m.sc", "b.sc", "m.a", "b.a", "u.s", "u.k",
        # Dutch
        "bijv", "bv", "b.v", "n.v", "m.a.w", "o.a", "d.w.z", "enz", "mevr", "dhr", "drs", "ir", "ing",
        "nr", "blz", "t.a.v", "i.v.m", "m.b.t", "z.s.m", "evt",
        # Norwegian
        "f.eks", "bl.a", "osv", "mv", "dvs", "mht", "jf", "pga", "ift", "o.l", "m.m", "kl", "stk",
        # German
        "z.b", "d.h", "u.a", "bzw", "usw", "evtl", "ggf", "inkl", "str", "abs", "vgl", "s.o", "u.u", "z.t",
        "dipl", "gmbh", "hr", "fr",
        # Greek
        "π.χ", "κ.λπ", "δηλ", "κ.α", "βλ", "αρ", "κ", "κα",
    }
)  # fmt: skip
_BOUNDARY_RE = re.compile(f"([.!?…;\u3002\uff01\uff1f])([{_CLOSERS}]*)(\\s*)")
# Chinese and Japanese full stops need no space after them to end a sentence.
_CJK_STOPS = "\u3002\uff01\uff1f"


def sentence_spans(text: str) -> list[str]:
    """The sentences of `text`, each with its closing punctuation, in order.

    Not a boundary: a full stop inside a number ("99.95%", "1.2 million"), after a known abbreviation
    ("e.g.", "z.B.", "f.eks.") or an initial ("J. Smith"), or before a word in lower case.
    """
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        mark, end = match.group(1), match.end(2)
        following = text[match.end() :]
        if mark not in _CJK_STOPS and following and (not match.group(3) or not _starts_sentence(following)):
            continue
        if mark == "." and _is_abbreviation(text[start : match.start()]):
            continue
        if mark == ";" and not _is_greek(text[start : match.start()]):
            # A semicolon ends a question in Greek; elsewhere it joins two clauses of one sentence.
            continue
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _starts_sentence(following: str) -> bool:
    first = following.lstrip(_OPENERS + " ")[:1]
    # Scripts without case (Chinese, Japanese, Arabic) start sentences with any letter.
    return bool(first) and not first.islower()


def _is_abbreviation(before: str) -> bool:
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    word = word.lstrip(_OPENERS).lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # An initial ("J. Smith") or a dotted abbreviation not in the list ("a.s.a.p").
    return (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(?:\w\.)+\w", word))


def _is_greek(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    greek = sum(1 for ch in letters if "\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff")
    return greek * 2 > len(letters) > 0


def split_sentences_to_fit(text: str, max_chars: int) -> list[str]:
    """`text` whole if it fits, else consecutive sentences packed into parts of similar length.

    A single sentence longer than `max_chars` stays whole: half a sentence retrieves badly and reads
    worse in a prompt.
    """
    if len(text) <= max_chars:
        return [text]
    sentences = sentence_spans(text)
    target = len(text) / math.ceil(len(text) / max_chars)
    parts: list[str] = []
    current = ""
    for sentence in sentences:
        candidate = f"{current} {sentence}" if current else sentence
        if current and (len(candidate) > max_chars or len(current) >= target):
            parts.append(current)
            candidate = sentence
        current = candidate
    if current:
        parts.append(current)
    return parts
