"""DOCX: headings from paragraph styles, bullets from lists, tables as lines, text boxes included.

python-docx opens the package and resolves styles; the body is walked directly, because CV templates put
much of their text where python-docx's own iterators do not look (content controls, text boxes).
"""

from __future__ import annotations

import io
import re
from typing import Any

from materials.extraction.archive import check_entries, open_zip
from materials.extraction.blocks import render
from materials.extraction.core import ExtractionError
from materials.extraction.office import HAND_MADE, Item, add_row, items_to_blocks
from omoikane.numbers import parse_int

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_HEADING_STYLE_RE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
# Containers whose children are read as if they stood in the parent (content controls, tracked
# insertions, custom XML); deleted text and field instructions are not content.
_TRANSPARENT = frozenset(
    {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo", f"{_W}smartTag"}
)
_SKIPPED = frozenset(
    {
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_W}sdtPr",
        f"{_W}sdtEndPr",
        f"{_W}del",
        f"{_W}moveFrom",
        f"{_W}instrText",
        f"{_W}delText",
        f"{_W}txbxContent",
        f"{_W}footnoteReference",
        f"{_W}endnoteReference",
        f"{_W}commentReference",
        f"{_MC}Fallback",
    }
)


def extract_docx(data: bytes) -> str:
    archive = open_zip(data)
    check_entries(archive, keep=lambda name: False)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (ExtractionError, MemoryError):
        raise
    except Exception:
        raise ExtractionError("corrupt") from None
    reader = _DocxReader(document)
    items: list[Item] = []
    reader.blocks(document.element.body, items)
    return render(items_to_blocks(items))


class _DocxReader:
    def __init__(self, document: Any) -> None:
        self.styles: dict[str, Any] = {style.style_id: style for style in document.styles}
        self._levels: dict[str, int | None] = {}
        self._lists: dict[str, bool] = {}

    def blocks(self, container: Any, out: list[Item]) -> None:
        for child in container:
            tag = child.tag
            if tag == f"{_W}p":
                self.paragraph(child, out)
            elif tag == f"{_W}tbl":
                self.table(child, out)
            elif tag in _TRANSPARENT:
                self.blocks(child, out)
            elif tag == f"{_MC}AlternateContent" and len(child):
                self.blocks(child[0], out)

    def paragraph(self, p: Any, out: list[Item]) -> None:
        parts: list[str] = []
        boxes: list[Any] = []
        _inline(p, parts, boxes)
        text = "".join(parts)
        if text.strip():
            style_id = _attribute(p, f"{_W}pPr/{_W}pStyle")
            level = _outline_level(p)
            if level is None:
                level = self.heading_level(style_id)
            if level is not None:
                out.append(("heading", level, text))
            elif _is_numbered(p) or self.is_list(style_id):
                out.append(("bullet", 0, text))
            elif _all_bold(p) and _short_title(text):
                # Headings made by hand: a short line in bold, in the Normal style.
                out.append(("heading", HAND_MADE, text))
            else:
                out.append(("para", 0, text))
        for box in boxes:
            self.blocks(box, out)

    def table(self, table: Any, out: list[Item]) -> None:
        for row in _children(table, f"{_W}tr"):
            cells: list[list[Item]] = []
            for cell in _children(row, f"{_W}tc"):
                items: list[Item] = []
                self.blocks(cell, items)
                cells.append(items)
            add_row(cells, out)

    def heading_level(self, style_id: str | None) -> int | None:
        """0 for the Title style, N for Heading N or a style based on one, None otherwise."""
        if not style_id:
            return None
        if style_id not in self._levels:
            self._levels[style_id] = None  # guards against a style based on itself
            style = self.styles.get(style_id)
            level: int | None = None
            depth = 0
            while style is not None and depth < 20:
                name = (style.name or "").strip()
                match = _HEADING_STYLE_RE.match(name)
                if name.lower() == "title":
                    level = 0
                elif match:
                    level = int(match.group(1))
                elif (outline := _outline_level(style.element)) is not None:
                    level = outline
                if level is not None:
                    break
                style, depth = style.base_style, depth + 1
            self._levels[style_id] = level
        return self._levels[style_id]

    def is_list(self, style_id: str | None) -> bool:
        if not style_id:
            return False
        if style_id not in self._lists:
            style = self.styles.get(style_id)
            found = False
            depth = 0
            while style is not None and depth < 20 and not found:
                name = (style.name or "").lower()
                found = name.startswith("list") or style.element.find(f"{_W}pPr/{_W}numPr") is not None
                style, depth = style.base_style, depth + 1
            self._lists[style_id] = found
        return self._lists[style_id]


def _children(element: Any, tag: str) -> list[Any]:
    """Direct children with `tag`, looking through content controls and custom XML wrappers."""
    found: list[Any] = []
    for child in element:
        if child.tag == tag:
            found.append(child)
        elif child.tag in _TRANSPARENT:
            found.extend(_children(child, tag))
    return found


def _attribute(element: Any, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(f"{_W}val")


def _outline_level(element: Any) -> int | None:
    value = _attribute(element, f"{_W}pPr/{_W}outlineLvl")
    # Word numbers outline levels from 0; 9 means body text.
    level = parse_int(value, minimum=0, maximum=8)
    return None if level is None else level + 1


def _inline(element: Any, parts: list[str], boxes: list[Any]) -> None:
    for child in element:
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}sym":
            code = child.get(f"{_W}char") or ""
            if re.fullmatch(r"[0-9A-Fa-f]{1,4}", code):
                parts.append(chr(int(code, 16)))
        elif tag == f"{_W}txbxContent":
            boxes.append(child)
        elif tag not in _SKIPPED:
            _inline(child, parts, boxes)


def _is_numbered(p: Any) -> bool:
    # numId 0 is how Word switches off the numbering a paragraph would inherit from its style.
    return p.find(f"{_W}pPr/{_W}numPr") is not None and _attribute(p, f"{_W}pPr/{_W}numPr/{_W}numId") != "0"


def _all_bold(p: Any) -> bool:
    runs = [run for run in p.iter(f"{_W}r") if "".join(t.text or "" for t in run.iter(f"{_W}t")).strip()]
    if not runs:
        return False
    for run in runs:
        bold = run.find(f"{_W}rPr/{_W}b")
        if bold is None or bold.get(f"{_W}val") in ("0", "false", "off"):
            return False
    return True


def _short_title(text: str) -> bool:
    text = text.strip().rstrip(":")
    return 0 < len(text) <= 80 and len(text.split()) <= 10 and not text.endswith((".", ",", ";"))
