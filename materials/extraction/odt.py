"""ODT: content.xml read with defusedxml (no DTD, no entities); headings, lists and tables kept."""

from __future__ import annotations

import re
from typing import Any

from materials.extraction.archive import check_entries, open_zip
from materials.extraction.blocks import render
from materials.extraction.core import ExtractionError
from materials.extraction.office import Item, add_row, items_to_blocks
from omoikane.numbers import parse_int

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_HEADING_STYLE_RE = re.compile(r"^heading(?:_20_|\s)?(\d)$", re.IGNORECASE)
_XML_SPACE_RE = re.compile(r"[\t\n\r]")
# Not content: notes are read where they belong (never, for a CV), the rest is bookkeeping.
_SKIPPED_INLINE = frozenset(
    {f"{_TEXT}note", f"{_TEXT}bookmark-ref", f"{_TEXT}sequence-decls", f"{_OFFICE}annotation"}
)
_TRANSPARENT = frozenset({f"{_TEXT}section"})


def extract_odt(data: bytes) -> str:
    archive = open_zip(data)
    parts = check_entries(archive, keep=lambda name: name in ("content.xml", "styles.xml"))
    if "content.xml" not in parts:
        raise ExtractionError("corrupt")
    import defusedxml.ElementTree as SafeElementTree
    from defusedxml import DefusedXmlException

    try:
        content = SafeElementTree.fromstring(parts["content.xml"], forbid_dtd=True)
        styles = SafeElementTree.fromstring(parts.get("styles.xml", b"<none/>"), forbid_dtd=True)
    except (DefusedXmlException, SafeElementTree.ParseError, ValueError):
        raise ExtractionError("corrupt") from None
    body = content.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise ExtractionError("corrupt")
    reader = _OdtReader([content, styles])
    items: list[Item] = []
    reader.blocks(body, items)
    return render(items_to_blocks(items))


class _OdtReader:
    def __init__(self, roots: list[Any]) -> None:
        # Paragraph style name → (parent style name, outline level); automatic styles ("P1") point at the
        # named styles ("Heading_20_1", "Title") they were derived from.
        self.parents: dict[str, tuple[str | None, int | None]] = {}
        for root in roots:
            for style in root.iter(f"{_STYLE}style"):
                name = style.get(f"{_STYLE}name")
                if name and style.get(f"{_STYLE}family") == "paragraph":
                    outline = style.get(f"{_STYLE}default-outline-level")
                    level = parse_int(outline, minimum=0)
                    self.parents[name] = (style.get(f"{_STYLE}parent-style-name"), level)

    def blocks(self, container: Any, out: list[Item]) -> None:
        for child in container:
            tag = child.tag
            if tag == f"{_TEXT}h":
                level = child.get(f"{_TEXT}outline-level")
                number = parse_int(level, minimum=0)
                self._text(child, out, "heading", 1 if number is None else number)
            elif tag == f"{_TEXT}p":
                level = self.heading_level(child.get(f"{_TEXT}style-name"))
                self._text(child, out, "heading" if level is not None else "para", level or 0)
            elif tag == f"{_TEXT}list":
                self.list_items(child, out)
            elif tag == f"{_TABLE}table":
                self.table(child, out)
            elif tag in _TRANSPARENT:
                self.blocks(child, out)

    def _text(self, element: Any, out: list[Item], kind: str, level: int) -> None:
        parts: list[str] = []
        frames: list[Any] = []
        _inline(element, parts, frames)
        text = "".join(parts)
        if text.strip():
            out.append((kind, level, text))
        for frame in frames:
            for box in frame.iter(f"{_DRAW}text-box"):
                self.blocks(box, out)

    def list_items(self, element: Any, out: list[Item]) -> None:
        for item in element:
            if item.tag not in (f"{_TEXT}list-item", f"{_TEXT}list-header"):
                continue
            first = True
            for child in item:
                if child.tag in (f"{_TEXT}p", f"{_TEXT}h"):
                    parts: list[str] = []
                    frames: list[Any] = []
                    _inline(child, parts, frames)
                    text = "".join(parts)
                    if not text.strip():
                        continue
                    if first:
                        out.append(("bullet", 0, text))
                        first = False
                    elif out and out[-1][0] == "bullet":
                        # A second paragraph in one item belongs to that item.
                        out[-1] = ("bullet", 0, out[-1][2] + " " + text)
                elif child.tag == f"{_TEXT}list":
                    self.list_items(child, out)

    def table(self, element: Any, out: list[Item]) -> None:
        for row in _rows(element):
            cells: list[list[Item]] = []
            for cell in row:
                if cell.tag == f"{_TABLE}table-cell":
                    items: list[Item] = []
                    self.blocks(cell, items)
                    cells.append(items)
            add_row(cells, out)

    def heading_level(self, style: str | None) -> int | None:
        """0 for the Title style, N for a heading style of level N or one derived from it, else None."""
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style.lower() == "title":
                return 0
            match = _HEADING_STYLE_RE.match(style)
            if match:
                return int(match.group(1))
            parent, level = self.parents.get(style, (None, None))
            if level is not None and style.lower().startswith("heading"):
                return level
            style = parent
        return None


def _rows(table: Any) -> list[Any]:
    """The rows of this table only (a nested table's rows are read with the cell holding it)."""
    rows: list[Any] = []
    for child in table:
        if child.tag == f"{_TABLE}table-row":
            rows.append(child)
        elif child.tag in (f"{_TABLE}table-header-rows", f"{_TABLE}table-rows", f"{_TABLE}table-row-group"):
            rows.extend(_rows(child))
    return rows


def _inline(element: Any, parts: list[str], frames: list[Any]) -> None:
    # Line breaks and indentation in the XML file are not the document's: ODF collapses them like HTML.
    if element.text:
        parts.append(_XML_SPACE_RE.sub(" ", element.text))
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c")
            spaces = parse_int(count, minimum=0, maximum=99)
            parts.append(" " * (1 if spaces is None else spaces))
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif tag == f"{_DRAW}frame":
            frames.append(child)
        elif tag not in _SKIPPED_INLINE:
            _inline(child, parts, frames)
        if child.tail:
            parts.append(_XML_SPACE_RE.sub(" ", child.tail))
