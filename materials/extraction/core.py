"""The result, the error and the limits of extraction, importable without Django or any parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from omoikane.errors import Refused

if TYPE_CHECKING:
    from django.utils.functional import Promise

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
MARKDOWN = "text/markdown"
PLAIN = "text/plain"
CONTENT_TYPES = (PDF, DOCX, ODT, MARKDOWN, PLAIN)

# A CV or a letter is a few hundred kilobytes; anything bigger is a scan, a portfolio or an attack.
MAX_FILE_BYTES = 20 * 1024**2
# About a hundred pages of dense text: far beyond any CV, and still quick to chunk and embed.
MAX_TEXT_CHARS = 400_000
DEFAULT_MAX_PAGES = 40
DEFAULT_TIMEOUT_SECONDS = 20.0
DEFAULT_MEMORY_BYTES = 768 * 1024**2

# ZIP containers (DOCX, ODT). A real document has a few dozen entries, a few megabytes unpacked and XML
# that compresses about 10:1; these bounds are far above that and far below what would hurt the worker.
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_TOTAL_BYTES = 100 * 1024**2
ZIP_MAX_RATIO = 100
ZIP_RATIO_APPLIES_ABOVE = 1024**2


@dataclass(frozen=True)
class Extracted:
    """Text as light Markdown (`#`/`##`/`###` headings, `- ` bullets, blank lines between blocks)."""

    text: str
    content_type: str
    pages: int | None


class ExtractionError(Refused):
    """A file we will not read; raised with its code alone."""

    def message_for(self, code: str) -> Promise:
        # Imported here so the sandboxed worker never loads Django: it only ever sends the code back.
        from materials.extraction.messages import message_for

        return message_for(code)
