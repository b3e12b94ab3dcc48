"""What DOCX and ODT share once their XML is read: items in reading order, tables, heading levels."""

from __future__ import annotations

from materials.extraction.blocks import Block, bullet, heading, paragraph, split_paragraph

# (kind, level, text). kind is "heading", "bullet", "para" or "row" (a table row of plain cells).
# Heading levels: 0 is the Title style, 1-8 a heading style, HAND_MADE a short bold line in body style.
Item = tuple[str, int, str]
HAND_MADE = 9


def add_row(cells: list[list[Item]], out: list[Item]) -> None:
    """One table row: a line of cells when each holds one line, else the cells' content in order."""
    cells = [items for items in cells if items]
    if not cells:
        return
    if all(len(items) == 1 and items[0][0] == "para" and "\n" not in items[0][2].strip() for items in cells):
        out.append(("row", 0, " | ".join(items[0][2].strip() for items in cells)))
        return
    first = cells[0]
    if len(cells) > 1 and len(first) == 1 and first[0][0] == "para" and cells[1][0][0] == "heading":
        # A layout table with dates on the left of a role title: keep the dates with the role.
        kind, level, title = cells[1][0]
        dated = (kind, level, f"{title.strip()} ({first[0][2].strip()})")
        cells = [[dated, *cells[1][1:]], *cells[2:]]
    for items in cells:
        out.extend(items)


def items_to_blocks(items: list[Item]) -> list[Block]:
    has_title = any(kind == "heading" and level == 0 for kind, level, _ in items)
    style_levels = sorted({level for kind, level, _ in items if kind == "heading" and 0 < level < HAND_MADE})
    # A bold line made by hand ranks just below the deepest heading style the document uses.
    hand_level = (style_levels[-1] + 1) if style_levels else 1
    blocks: list[Block] = []
    rows: list[str] = []
    for index, (kind, level, text) in enumerate(items):
        if kind == "row":
            rows.append(text)
            if index + 1 < len(items) and items[index + 1][0] == "row":
                continue
            blocks.append(paragraph("\n".join(rows)))
            rows = []
        elif kind == "heading" and not (level == HAND_MADE and index + 1 == len(items)):
            depth = hand_level if level == HAND_MADE else level
            blocks.append(heading(text.rstrip().rstrip(":"), 1 if depth == 0 else depth + int(has_title)))
        elif kind == "bullet":
            blocks.append(bullet(text))
        else:
            blocks.extend(split_paragraph(text))
    return blocks
