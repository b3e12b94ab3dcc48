"""Untrusted HTML to plain text that keeps its structure: `## Heading`, `- bullet`, paragraphs.

The same light Markdown as extracted materials (one blank line between blocks, the items of a list
on consecutive lines), so a posting and a CV read the same way downstream.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

import nh3

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre", "table",
    "thead", "tbody", "tfoot", "tr", "dl", "dt", "dd", "figure", "figcaption", "address", "hr",
}  # fmt: skip
_INLINE = {"b", "strong", "i", "em", "u", "span", "a", "small", "sup", "sub", "mark", "abbr", "td", "th"}
_BOLD = {"b", "strong"}
# Everything else is unwrapped (its text kept); these go with everything inside them: code, styling,
# and form controls whose text is not part of the posting.
_DROPPED_WITH_CONTENT = {
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head", "title",
    "textarea", "select", "button", "canvas", "audio", "video",
}  # fmt: skip

# No attribute survives: event handlers, styles and links mean nothing in plain text. Sanitising before
# our own parser reads the HTML means it only ever meets a small, well-formed subset.
_CLEANER = nh3.Cleaner(
    tags=_HEADINGS | _BLOCKS | _INLINE | {"ul", "ol", "li", "br"},
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes={},
    strip_comments=True,
    link_rel=None,
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=_DROPPED_WITH_CONTENT, attributes={}, link_rel=None)

_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Soft hyphens, zero-width spaces, byte order marks, control characters and private-use icon glyphs are
# invisible or meaningless in text and get in the way of search. Joiners stay: emoji and scripts need them.
_INVISIBLE_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\ue000-\uf8ff]")
_TAG_RE = re.compile(r"<[a-zA-Z!/]")
# A bold line longer than this is emphasis inside the text, not a heading in disguise.
_MAX_PSEUDO_HEADING = 80


def clean_line(text: str) -> str:
    """One line: NFC, invisible characters dropped, spaces collapsed."""
    text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", text.replace("\n", " ")))
    return _SPACES_RE.sub(" ", text).strip()


def plain(value: str) -> str:
    """A short value (a title, a company name) as one line of plain text, whatever markup it carried."""
    return clean_line(html.unescape(_TEXT_ONLY.clean(value)))


def html_to_text(fragment: str) -> str:
    """Sanitised, structured plain text from an HTML fragment or document."""
    return render(html_to_blocks(fragment))


def html_to_blocks(fragment: str) -> list[Block]:
    parser = _Renderer()
    parser.feed(_CLEANER.clean(fragment))
    parser.close()
    return parser.finish()


def text_to_text(text: str) -> str:
    """Plain text (a description without markup) with its line breaks kept and its lines cleaned."""
    lines = [clean_line(line) for line in html.unescape(text).replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def any_to_text(value: str) -> str:
    """A description that may be HTML, HTML escaped once more, or plain text."""
    if not _TAG_RE.search(value) and "&lt;" in value:
        # Some sites escape the HTML of their JSON-LD description a second time.
        value = html.unescape(value)
    return html_to_text(value) if _TAG_RE.search(value) else text_to_text(value)


BlockKind = Literal["heading", "bullet", "paragraph"]


@dataclass
class Block:
    kind: BlockKind
    text: str
    # Headings: the HTML level (1-6, 7 for a bold line standing alone). Bullets: the nesting depth.
    level: int = 0
    marker: str = "-"


def render(blocks: list[Block]) -> str:
    """The blocks as light Markdown; heading levels become `##` (the shallowest used) and `###`."""
    levels = sorted({block.level for block in blocks if block.kind == "heading"})
    parts: list[str] = []
    previous: BlockKind | None = None
    for block in blocks:
        if block.kind == "heading":
            # The posting's title is the document's "#": its sections start one level below.
            parts.append("#" * (2 + min(levels.index(block.level), 1)) + " " + block.text)
        elif block.kind == "bullet":
            line = "  " * block.level + block.marker + " " + block.text
            if previous == "bullet":
                parts[-1] += "\n" + line
            else:
                parts.append(line)
        else:
            parts.append(block.text)
        previous = block.kind
    return "\n\n".join(parts)


@dataclass
class _Lists:
    kinds: list[str] = field(default_factory=list)
    counters: list[int] = field(default_factory=list)


class _Renderer(HTMLParser):
    """Reads sanitised HTML (see _CLEANER) into blocks. Whitespace collapses as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._bold_chars = 0
        self._bold_depth = 0
        self._heading = 0
        self._markers: list[str] = []  # one per <li> we are inside: "-" or "3."
        self._lists = _Lists()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HEADINGS:
            self._flush()
            self._heading = int(tag[1])
        elif tag in ("ul", "ol"):
            self._flush()
            self._lists.kinds.append(tag)
            self._lists.counters.append(0)
        elif tag == "li":
            self._flush()
            if self._lists.kinds and self._lists.kinds[-1] == "ol":
                self._lists.counters[-1] += 1
                self._markers.append(f"{self._lists.counters[-1]}.")
            else:
                self._markers.append("-")
        elif tag == "br":
            self._text.append("\n")
        elif tag in _BLOCKS:
            self._flush()
        elif tag in ("td", "th"):
            self._text.append(" ")
        elif tag in _BOLD:
            self._bold_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HEADINGS:
            self._flush()
            self._heading = 0
        elif tag in ("ul", "ol"):
            self._flush()
            if self._lists.kinds:
                self._lists.kinds.pop()
                self._lists.counters.pop()
        elif tag == "li":
            self._flush()
            if self._markers:
                self._markers.pop()
        elif tag in _BLOCKS:
            self._flush()
        elif tag in _BOLD:
            self._bold_depth = max(0, self._bold_depth - 1)

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        if self._bold_depth:
            self._bold_chars += sum(not ch.isspace() for ch in data)

    def finish(self) -> list[Block]:
        self._flush()
        return self.blocks

    def _flush(self) -> None:
        raw = "".join(self._text)
        bold_chars, self._text, self._bold_chars = self._bold_chars, [], 0
        lines = [line for line in (clean_line(part) for part in raw.split("\n")) if line]
        if not lines:
            return
        if self._heading:
            self.blocks.append(Block("heading", " ".join(lines), self._heading))
        elif self._markers:
            depth = max(0, len(self._lists.kinds) - 1)
            self.blocks.append(Block("bullet", " ".join(lines), depth, self._markers[-1]))
        elif (
            len(lines) == 1
            and len(lines[0]) <= _MAX_PSEUDO_HEADING
            and not lines[0].endswith((".", "!", ","))
            and bold_chars >= sum(not ch.isspace() for ch in lines[0])
        ):
            # "<p><strong>Your tasks</strong></p>" is how many career sites write their section headings.
            self.blocks.append(Block("heading", lines[0], 7))
        else:
            self.blocks.append(Block("paragraph", "\n".join(lines)))
