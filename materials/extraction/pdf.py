"""PDF: refuse what is unsafe, then rebuild headings, bullets and paragraphs from the text layer.

A PDF only knows where glyphs go, so structure is inferred: lines set larger or bolder than the body are
headings, lines that start with a bullet glyph are bullets, and lines that run to the right margin are
joined with the next one, because the break was only wrapping.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from materials.extraction.blocks import Block, bullet, clean_line, heading, paragraph, render, strip_bullet
from materials.extraction.core import ExtractionError

# Actions that run code or open things outside the document; /S names the action type.
_UNSAFE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/GoToE", "/RichMediaExecute"})
# Keys that only exist to carry scripts or attached files (XFA forms carry their own scripts).
_UNSAFE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/XFA", "/RichMediaContent"}
)
_UNSAFE_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia", "/Sound", "/Movie", "/Screen"})
# A 40-page CV has a few thousand objects; a walk that needs far more is a trap or a broken file.
_MAX_OBJECTS_VISITED = 300_000

_SENTENCE_END = (".", "!", "?", "…", "\u037e", "。", "\uff01", "\uff1f")
_PAGE_NUMBER_RE = re.compile(
    r"^(?:page|side|seite|pagina|blz\.?|σελίδα|σελ\.)?\s*\d{1,3}\s*(?:(?:of|/|av|von|van|από|z)\s*\d{1,3})?$",
    re.IGNORECASE,
)
_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


def extract_pdf(data: bytes, *, max_pages: int) -> tuple[str, int]:
    """The text as Markdown and the number of pages."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ExtractionError("encrypted_pdf")
        page_count = len(reader.pages)
    except (ExtractionError, MemoryError):
        raise
    except Exception:
        raise ExtractionError("corrupt") from None
    if page_count == 0:
        raise ExtractionError("corrupt")
    if page_count > max_pages:
        raise ExtractionError("too_many_pages")
    try:
        _refuse_active_content(reader)
        lines = _read_lines(reader)
    except (ExtractionError, MemoryError):
        raise
    except Exception:
        raise ExtractionError("corrupt") from None
    text = render(_structure(lines))
    if sum(ch.isalpha() for ch in text) < 20:
        raise ExtractionError("no_text_layer")
    return text, page_count


def _refuse_active_content(reader: Any) -> None:
    """Walk every object reachable from the trailer (catalogue, names tree, pages, annotations, forms,
    outlines) and refuse scripts, launch actions and attached files. Nothing is decoded or run: stream
    contents are never read, only dictionaries.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > _MAX_OBJECTS_VISITED:
            raise ExtractionError("corrupt")
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            if _UNSAFE_KEYS.intersection(node.keys()):
                raise ExtractionError("pdf_with_script")
            action, subtype, kind = (_resolve(node.get(name)) for name in ("/S", "/Subtype", "/Type"))
            if action in _UNSAFE_ACTIONS or subtype in _UNSAFE_SUBTYPES or kind == "/EmbeddedFile":
                raise ExtractionError("pdf_with_script")
            # /Parent points back up the page tree: everything there is reached from the top anyway.
            stack.extend(value for name, value in node.items() if name != "/Parent")
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


@dataclass
class _Line:
    page: int
    x: float = math.inf
    y: float = 0.0
    text: str = ""
    # Characters per (font size, bold) pair, to find the size and weight most of the line is set in.
    styles: Counter[tuple[float, bool]] = field(default_factory=Counter)

    @property
    def size(self) -> float:
        return self.styles.most_common(1)[0][0][0] if self.styles else 0.0

    @property
    def bold(self) -> bool:
        bold_chars = sum(count for (_, is_bold), count in self.styles.items() if is_bold)
        return bold_chars * 2 > sum(self.styles.values())


def _is_bold(font: Any) -> bool:
    if not font:
        return False
    if _BOLD_RE.search(str(font.get("/BaseFont", ""))):
        return True
    descriptor = font.get("/FontDescriptor")
    if descriptor is not None:
        descriptor = descriptor.get_object()
        weight = descriptor.get("/FontWeight")
        if isinstance(weight, int | float) and weight >= 600:
            return True
    return False


class _LineCollector:
    """Receives pypdf's text fragments for one page and cuts them into lines with position and style."""

    def __init__(self, page: int) -> None:
        self.page = page
        self.lines: list[_Line] = []
        self.current = _Line(page)

    def visit(self, text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        for index, part in enumerate(text.split("\n")):
            if index:
                self.end_line()
            if part.strip():
                self.add(part, cm, tm, font, font_size)
            elif part:
                self.current.text += part

    def add(self, part: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        # Text space to page space: the text matrix, then the current transformation matrix.
        _, _, c, d, e, f = tm
        a2, b2, c2, d2, e2, f2 = cm
        x = e * a2 + f * c2 + e2
        y = e * b2 + f * d2 + f2
        scale = math.hypot(c * a2 + d * c2, c * b2 + d * d2)
        line = self.current
        if line.x == math.inf:
            line.y = y
        line.x = min(line.x, x)
        line.styles[(round(font_size * scale * 2) / 2, _is_bold(font))] += len(part.strip())
        line.text += part

    def end_line(self) -> None:
        self.lines.append(self.current)
        self.current = _Line(self.page)


def _read_lines(reader: Any) -> list[_Line]:
    lines: list[_Line] = []
    for page_number, page in enumerate(reader.pages):
        collector = _LineCollector(page_number)
        page.extract_text(visitor_text=collector.visit)
        collector.end_line()
        lines.extend(collector.lines)
    cleaned = []
    for line in lines:
        line.text = clean_line(line.text)
        if line.text:
            cleaned.append(line)
    return _drop_page_furniture(cleaned, len(reader.pages))


def _drop_page_furniture(lines: list[_Line], page_count: int) -> list[_Line]:
    """Page numbers, and running headers or footers repeated on every page after their first showing."""
    lines = [line for line in lines if not _PAGE_NUMBER_RE.match(line.text)]
    if page_count < 2:
        return lines
    by_page: dict[int, list[_Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    edges: Counter[str] = Counter()
    for page_lines in by_page.values():
        for text in {re.sub(r"\d+", "#", line.text) for line in (page_lines[0], page_lines[-1])}:
            edges[text] += 1
    repeated = {text for text, count in edges.items() if count >= max(2, page_count // 2 + 1)}
    seen: set[str] = set()
    kept = []
    for line in lines:
        key = re.sub(r"\d+", "#", line.text)
        if key in repeated:
            if key in seen:
                continue
            seen.add(key)
        kept.append(line)
    return kept


@dataclass(frozen=True)
class _Layout:
    body_size: float
    body_bold: bool
    pitch: float
    full_width: int


def _layout(lines: list[_Line]) -> _Layout:
    sizes: Counter[float] = Counter()
    bold_chars = 0
    for line in lines:
        for (size, is_bold), count in line.styles.items():
            sizes[size] += count
            bold_chars += count if is_bold else 0
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    total = sum(sizes.values()) or 1
    gaps = [
        previous.y - line.y
        for previous, line in itertools.pairwise(lines)
        if previous.page == line.page
        and abs(line.size - body_size) < 0.6
        and 0 < previous.y - line.y < 4 * body_size
    ]
    pitch = statistics.median(gaps) if gaps else body_size * 1.2
    body_lengths = sorted(len(line.text) for line in lines if abs(line.size - body_size) < 0.6)
    full_width = body_lengths[int(len(body_lengths) * 0.9)] if body_lengths else 80
    return _Layout(body_size, bold_chars * 2 > total, pitch, full_width)


def _heading_key(line: _Line, layout: _Layout) -> tuple[float, bool, bool] | None:
    """How a line stands out as a heading (size, capitals, bold), or None when it is body text."""
    text = line.text.rstrip(":").strip()
    if strip_bullet(text) is not None or len(text) > 90 or len(text.split()) > 12:
        return None
    if text.endswith((".", ",", ";")) or not any(ch.isalpha() for ch in text):
        return None
    letters = [ch for ch in text if ch.isalpha()]
    # Capitals alone make a heading only without commas: "AWS, GCP, K8S" is a list, not a title.
    caps = len(letters) >= 3 and not any(ch.islower() for ch in letters) and len(text.split()) <= 6
    caps = caps and "," not in text
    larger = line.size >= layout.body_size * 1.15
    bolder = line.bold and not layout.body_bold
    if not (larger or bolder or caps):
        return None
    return (line.size, caps, line.bold)


def _structure(lines: list[_Line]) -> list[Block]:
    if not lines:
        return []
    layout = _layout(lines)
    keys = [
        _heading_key(line, layout) if index + 1 < len(lines) else None for index, line in enumerate(lines)
    ]
    ranks = sorted({key for key in keys if key is not None}, reverse=True)
    levels = {key: min(rank + 1, 3) for rank, key in enumerate(ranks)}

    blocks: list[Block] = []
    para: list[str] = []
    item: str | None = None
    item_x = 0.0

    def flush() -> None:
        nonlocal item
        if item is not None:
            blocks.append(bullet(item))
            item = None
        if para:
            blocks.append(paragraph("\n".join(para)))
            para.clear()

    previous: _Line | None = None
    previous_key: tuple[float, bool, bool] | None = None
    for line, key in zip(lines, keys, strict=True):
        breaks = previous is None or _is_break(previous, line, layout)
        if key is not None:
            if previous_key == key and not breaks and blocks and blocks[-1].kind == "heading":
                # A heading too long for one line continues on the next, in the same size and weight.
                blocks[-1] = heading(blocks[-1].text + " " + line.text.rstrip(":"), levels[key])
            else:
                flush()
                blocks.append(heading(line.text.rstrip(":"), levels[key]))
        elif (text := strip_bullet(line.text)) is not None:
            flush()
            item, item_x = text, line.x
        elif item is not None and not breaks and (line.x > item_x + 1 or _continues(item, line.text, layout)):
            item = _join(item, line.text)
        elif para and not breaks:
            if _continues(para[-1], line.text, layout):
                para[-1] = _join(para[-1], line.text)
            else:
                para.append(line.text)
        elif (
            para
            and previous is not None
            and line.page != previous.page
            and not para[-1].endswith(_SENTENCE_END)
            and _continues(para[-1], line.text, layout)
        ):
            # A sentence running over a page break.
            para[-1] = _join(para[-1], line.text)
        else:
            flush()
            para.append(line.text)
        previous, previous_key = line, key
    flush()
    return [block for block in blocks if block.text]


def _is_break(previous: _Line, line: _Line, layout: _Layout) -> bool:
    """Whether vertical space (or a jump to another column or page) separates the two lines."""
    if line.page != previous.page:
        return True
    gap = previous.y - line.y
    return gap <= 0 or gap > max(1.3 * layout.pitch, 1.5 * max(previous.size, line.size, 1.0))


def _continues(previous: str, text: str, layout: _Layout) -> bool:
    """Whether `text` is the rest of `previous`, broken only because the line was full."""
    if len(previous) >= 0.7 * layout.full_width and len(previous) >= 30:
        return True
    first = text[:1]
    return first.isalpha() and first.islower() and not previous.endswith(_SENTENCE_END)


def _join(previous: str, text: str) -> str:
    if previous.endswith("-") and previous[-2:-1].isalpha() and text[:1].islower():
        return previous + text
    return previous + " " + text
