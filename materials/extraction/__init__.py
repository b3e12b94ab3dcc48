"""Text out of uploaded CV materials and letter samples, with headings, bullets and paragraphs kept.

    extract(data)          -> Extracted   parse in a sandboxed child process (use this for uploads)
    extract_in_process(data) -> Extracted   the same parsing here, unbounded (the worker and tests use it)
    extract_pasted(text)   -> Extracted   normalise pasted or edited text; never raises
    sniff(data)            -> str         the content type, decided by the bytes alone

Every refusal is an ExtractionError with a stable `code` and a translated `message` for the user.
Nothing here touches the database or Django's settings.
"""

from __future__ import annotations

from materials.extraction.core import (
    CONTENT_TYPES,
    DEFAULT_MAX_PAGES,
    DEFAULT_MEMORY_BYTES,
    DEFAULT_TIMEOUT_SECONDS,
    DOCX,
    MARKDOWN,
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    ODT,
    PDF,
    PLAIN,
    Extracted,
    ExtractionError,
)
from materials.extraction.inprocess import extract_in_process, extract_pasted, sniff
from materials.extraction.sandbox import extract

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_MEMORY_BYTES",
    "DEFAULT_TIMEOUT_SECONDS",
    "DOCX",
    "MARKDOWN",
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "ODT",
    "PDF",
    "PLAIN",
    "Extracted",
    "ExtractionError",
    "extract",
    "extract_in_process",
    "extract_pasted",
    "sniff",
]
