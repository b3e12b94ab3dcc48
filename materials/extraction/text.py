"""Markdown and plain text: decoding, and reading their structure into blocks."""

from __future__ import annotations

import codecs
import re

from materials.extraction.blocks import (
    ATX_RE,
    NUMBERED_RE,
    Block,
    bullet,
    clean_text,
    heading,
    is_rule,
    numbered_items,
    paragraph,
    render,
    strip_bullet,
)
from materials.extraction.core import ExtractionError

# More control characters than this (besides tab, newline, carriage return, form feed) means binary.
_MAX_CONTROL_SHARE = 0.001
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """Text from bytes that must be UTF-8 (a BOM is fine) or UTF-16 with a BOM; never a guess."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        elif b"\x00" in data:
            raise ExtractionError("unsupported_type")
        else:
            text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Bytes that are text in a legacy encoding (Windows-1252, Latin-1) are worth their own advice.
        if b"\x00" not in data and len(_CONTROL_CHARS_RE.findall(data.decode("latin-1"))) <= max(
            2, len(data) * _MAX_CONTROL_SHARE
        ):
            raise ExtractionError("text_encoding") from None
        raise ExtractionError("unsupported_type") from None
    if "\x00" in text or len(_CONTROL_CHARS_RE.findall(text)) > max(2, len(text) * _MAX_CONTROL_SHARE):
        raise ExtractionError("unsupported_type")
    return text


_MARKDOWN_SIGNS = (
    re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE),
    re.compile(r"^ {0,3}\S.*\n {0,3}(?:={3,}|-{3,})[ \t]*$", re.MULTILINE),
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),
)


def looks_like_markdown(text: str) -> bool:
    """Headings, emphasis or links; bullets alone are just as common in plain text."""
    return any(sign.search(text) for sign in _MARKDOWN_SIGNS)


_EMPTYATX_RE = re.compile(r"^ {0,3}#{1,6}[ \t]*$")
_SETEXT_1_RE = re.compile(r"^ {0,3}=+[ \t]*$")
_SETEXT_2_RE = re.compile(r"^ {0,3}-+[ \t]*$")
_THEMATIC_BREAK_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def markdown_blocks(text: str) -> list[Block]:
    """Blocks from Markdown, read the CommonMark way for the constructs a CV or a letter uses."""
    # Code fences and HTML are not read as such: a CV has neither, and text that reads back the same
    # after every edit matters more than rendering them.
    lines = clean_text(text).split("\n")
    numbered = numbered_items(lines)
    blocks: list[Block] = []
    para: list[str] = []
    in_item = False

    def flush() -> None:
        if para:
            blocks.append(paragraph("\n".join(para)))
            para.clear()

    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            flush()
            in_item = False
            continue
        atx = ATX_RE.match(line)
        if atx or _EMPTYATX_RE.match(line):
            flush()
            in_item = False
            if atx:
                blocks.append(heading(atx.group(2), len(atx.group(1))))
            continue
        if para and not in_item and (_SETEXT_1_RE.match(line) or _SETEXT_2_RE.match(line)):
            blocks.append(heading(" ".join(para), 1 if "=" in line else 2))
            para.clear()
            continue
        if _THEMATIC_BREAK_RE.match(line) or is_rule(stripped):
            flush()
            in_item = False
            continue
        item = strip_bullet(line)
        if item is None and index in numbered:
            item = line[NUMBERED_RE.match(line).end() :]  # type: ignore[union-attr]
        if item is not None:
            flush()
            blocks.append(bullet(item))
            in_item = True
        elif in_item:
            # An indented or "lazy" line right after an item continues it, as in CommonMark.
            blocks[-1] = bullet(blocks[-1].text + " " + stripped)
        else:
            para.append(stripped)
    flush()
    return [block for block in blocks if block.text]


_TERMINAL = (".", "!", "?", "…", ";", ",", ":", "\u037e", "。", "\uff01", "\uff1f")
_SENTENCE_END = (".", "!", "?", "…", "\u037e", "。", "\uff01", "\uff1f")


def _is_caps_heading(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return (
        len(letters) >= 3
        and not any(ch.islower() for ch in letters)
        and len(line) <= 60
        and len(line.split()) <= 6
        and "," not in line
        and not line.endswith(".")
    )


def _is_title_like(line: str, *, max_words: int) -> bool:
    first = line[:1]
    return (
        len(line) <= 80
        and len(line.split()) <= max_words
        and (first.isupper() or first.isdigit() or not first.isalpha())
        and any(ch.isalpha() for ch in line)
        and not line.rstrip(":").endswith(_TERMINAL)
    )


def _starts_lowercase(line: str) -> bool:
    first = line[:1]
    return first.isalpha() and first.islower()


def plain_blocks(text: str) -> list[Block]:
    """Blocks from plain text, where structure shows only as blank lines, capitals and bullets."""
    raw_blocks = [
        [line.strip() for line in chunk.split("\n") if line.strip()]
        for chunk in re.split(r"\n[ \t]*\n", clean_text(text))
    ]
    raw_blocks = [lines for lines in raw_blocks if lines]
    longest = max((len(line) for lines in raw_blocks for line in lines), default=0)
    # Text wrapped by hand (an email, a copy from a PDF viewer) has its lines near one width.
    wrap_width = longest if longest >= 60 else 0
    blocks: list[Block] = []
    for block_index, lines in enumerate(raw_blocks):
        if len(lines) == 2 and (_SETEXT_1_RE.match(lines[1]) or _SETEXT_2_RE.match(lines[1])):
            blocks.append(heading(lines[0], 1 if "=" in lines[1] else 2))
            continue
        if len(lines) == 1 and block_index + 1 < len(raw_blocks):
            line = lines[0].rstrip(":").strip()
            if _is_caps_heading(line) or (
                _is_title_like(line, max_words=5) and not any(ch.isdigit() for ch in line)
            ):
                # The first line of a document, standing alone, is its title (a CV's name).
                blocks.append(heading(line, 1 if block_index == 0 else 2))
                continue
        blocks.extend(_plain_lines(lines, wrap_width))
    return [block for block in blocks if block.text]


def _plain_lines(lines: list[str], wrap_width: int) -> list[Block]:
    """The blocks within one run of plain-text lines that has no blank line in it."""
    blocks: list[Block] = []
    numbered = numbered_items(lines)
    run: list[str] = []
    current_bullet: str | None = None
    for index, line in enumerate(lines):
        item = strip_bullet(line)
        if item is None and index in numbered:
            item = line[NUMBERED_RE.match(line).end() :]  # type: ignore[union-attr]
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if current_bullet is not None:
            if item is None and (
                _starts_lowercase(line) or (wrap_width and len(current_bullet) + 2 >= 0.75 * wrap_width)
            ):
                current_bullet += " " + line
                continue
            blocks.append(bullet(current_bullet))
            current_bullet = None
        if item is not None:
            if run:
                blocks.append(paragraph("\n".join(run)))
                run = []
            current_bullet = item
        elif next_line and (
            _is_caps_heading(line.rstrip(":"))
            or (
                index == 0
                and _is_title_like(line, max_words=10)
                and (
                    strip_bullet(next_line) is not None
                    or (len(next_line) >= 40 and len(next_line) > 1.5 * len(line))
                )
            )
        ):
            if run:
                blocks.append(paragraph("\n".join(run)))
                run = []
            level = 2 if _is_caps_heading(line.rstrip(":")) else 3
            blocks.append(heading(line.rstrip(":"), level))
        elif run and _continues(run[-1], line, wrap_width):
            run[-1] += " " + line
        else:
            run.append(line)
    if current_bullet is not None:
        blocks.append(bullet(current_bullet))
    if run:
        blocks.append(paragraph("\n".join(run)))
    return blocks


def _continues(previous: str, line: str, wrap_width: int) -> bool:
    """Whether `line` is the rest of `previous`, broken only because the line was full."""
    if previous.endswith("-") and not previous.endswith(" -"):
        return True
    if wrap_width and len(previous) >= 0.75 * wrap_width:
        return True
    return _starts_lowercase(line) and not previous.endswith(_SENTENCE_END)


def markdown_to_markdown(text: str) -> str:
    """Markdown in our normal form; what it says and how it is marked up stay as they are."""
    return render(markdown_blocks(text))


def plain_to_markdown(text: str) -> str:
    """Plain text with the structure a reader would see in it written out as Markdown."""
    return render(plain_blocks(text))
