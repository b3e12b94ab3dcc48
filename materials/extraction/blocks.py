"""The shape every format is turned into before it becomes Markdown: headings, bullets, paragraphs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "bullet", "paragraph"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    # Paragraphs keep their line breaks ("\n"): an address or a date line is content, not wrapping.
    text: str
    level: int = 0


BULLET_CHARS = "-*+•◦▪▫‣\u2043∙●○■□◆◇►▶➢➤✓✔\u2013·"
# Numbered lines are not bullets here: "12. juni 2021" is a Norwegian or German date, not item twelve.
BULLET_RE = re.compile(rf"^\s*[{re.escape(BULLET_CHARS)}]\s+(?=\S)")
# Text glued to a glyph bullet ("•Led a team") happens in PDFs; ASCII markers need their space.
GLUED_BULLET_RE = re.compile("^\\s*[•◦▪‣\u2043∙●■◆►▶➢➤](?=\\S)")
# Word's Symbol and Wingdings bullets come out of many PDFs as private-use codepoints; they are bullets.
_PRIVATE_BULLETS = str.maketrans(dict.fromkeys("\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf071\uf0a1", "•"))

# No-break, thin and ideographic spaces look like a space to a reader; to search they must be one.
_SPACES_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Invisible characters that only get in the way of search (soft hyphen, zero-width space, stray BOM) and
# private-use glyphs from icon fonts (phone and envelope symbols) that mean nothing as text. Joiners
# (U+200C, U+200D) and direction marks stay: emoji sequences and Arabic or Persian words need them.
_DROP_RE = re.compile(r"[\u00ad\u200b\u2060\ufeff\ufffe\uffff\ue000-\uf8ff\ud800-\udfff]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Normalise characters and line ends; keeps line breaks, drops control characters except tab."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL_RE.sub("", text).translate(_PRIVATE_BULLETS)
    text = _DROP_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """One line of content: spaces collapsed, no line breaks."""
    return _SPACES_RE.sub(" ", clean_text(text).replace("\n", " ")).strip()


# Rules drawn with characters ("-----", "=====") are decoration, and a line of only "-" or "=" would
# read back as a Markdown heading underline.
_RULE_RE = re.compile("^(?:[-=]+|[-=_*~#.·•\u2014\u2013]{3,})$")


def is_rule(line: str) -> bool:
    return bool(_RULE_RE.match(line.replace(" ", "")))


def clean_lines(text: str) -> str:
    """Several lines of content: each cleaned, empty lines and drawn rules dropped."""
    lines = (_SPACES_RE.sub(" ", line).strip() for line in clean_text(text).split("\n"))
    return "\n".join(line for line in lines if line and not is_rule(line))


def strip_bullet(line: str) -> str | None:
    """The text of a bullet line without its marker, or None when the line is not a bullet."""
    match = BULLET_RE.match(line) or GLUED_BULLET_RE.match(line)
    if match is None:
        return None
    return line[match.end() :].strip()


def heading(text: str, level: int) -> Block:
    return Block("heading", clean_line(text), max(1, min(level, 3)))


def bullet(text: str) -> Block:
    return Block("bullet", clean_line(text))


def paragraph(text: str) -> Block:
    return Block("paragraph", clean_lines(text))


def render(blocks: list[Block]) -> str:
    """Markdown: one blank line between blocks, bullets of one list on consecutive lines."""
    parts: list[str] = []
    previous: BlockKind | None = None
    for block in blocks:
        if not block.text:
            continue
        if block.kind == "heading":
            parts.append("#" * block.level + " " + block.text)
        elif block.kind == "bullet":
            if previous == "bullet":
                parts[-1] += "\n- " + block.text
            else:
                parts.append("- " + block.text)
        else:
            parts.append(block.text)
        previous = block.kind
    return "\n\n".join(parts)


ATX_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
NUMBERED_RE = re.compile(r"^\s*(\d{1,2})[.)][ \t]+(?=\S)")


def numbered_items(lines: list[str]) -> set[int]:
    """Indexes of lines that are items of a numbered list: consecutive lines counting up from 1.

    A lone "12. juni 2021" (a date in Norwegian or German) never qualifies.
    """
    items: set[int] = set()
    expected = 1
    run: list[int] = []
    for index, line in enumerate(lines):
        match = NUMBERED_RE.match(line)
        if match and int(match.group(1)) == expected:
            run.append(index)
            expected += 1
        else:
            if len(run) >= 2:
                items.update(run)
            run, expected = [], 1
            if match and int(match.group(1)) == 1:
                run, expected = [index], 2
    if len(run) >= 2:
        items.update(run)
    return items


def split_paragraph(text: str) -> list[Block]:
    """A paragraph from a document whose lines may still be bullets or headings typed by hand.

    Word and LibreOffice users often type "- " or "• " instead of using a list; and whatever we
    render must read back the same when the text is normalised again after the user edits it.
    """
    blocks: list[Block] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            blocks.append(paragraph("\n".join(run)))
            run.clear()

    lines = clean_lines(text).split("\n")
    numbered = numbered_items(lines)
    for index, line in enumerate(lines):
        item = strip_bullet(line)
        if item is None and index in numbered:
            item = line[NUMBERED_RE.match(line).end() :]  # type: ignore[union-attr]
        atx = ATX_RE.match(line)
        if item is not None:
            flush()
            blocks.append(bullet(item))
        elif atx is not None:
            flush()
            blocks.append(heading(atx.group(2), len(atx.group(1))))
        else:
            run.append(line)
    flush()
    return [block for block in blocks if block.text]
