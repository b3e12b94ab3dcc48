"""Deciding what a file is and reading it, in the current process (the sandbox worker calls this)."""

from __future__ import annotations

from materials.extraction.archive import open_zip, read_small_entry
from materials.extraction.core import (
    DEFAULT_MAX_PAGES,
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
from materials.extraction.text import decode, looks_like_markdown, markdown_to_markdown, plain_to_markdown

_ZIP_MAGIC = b"PK\x03\x04"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff(data: bytes) -> str:
    """The content type, decided by the bytes alone: a file name or a browser's guess proves nothing."""
    if not data:
        raise ExtractionError("empty")
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data)
    return MARKDOWN if looks_like_markdown(decode(data)) else PLAIN


def _sniff_zip(data: bytes) -> str:
    archive = open_zip(data)
    names = set(archive.namelist())
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        # A macro-enabled document: not something we open, whatever it calls itself.
        raise ExtractionError("unsupported_type")
    first = archive.infolist()[0].filename if names else ""
    if first == "mimetype":
        mimetype = read_small_entry(archive, "mimetype", 200) or b""
        if mimetype.strip() == _ODT_MIMETYPE:
            return ODT
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    raise ExtractionError("unsupported_type")


def extract_in_process(data: bytes, *, max_pages: int = DEFAULT_MAX_PAGES) -> Extracted:
    """Read a file with no time or memory bound: for the sandbox worker, and for tests."""
    if len(data) > MAX_FILE_BYTES:
        raise ExtractionError("too_large")
    content_type = sniff(data)
    try:
        text, pages = _parse(data, content_type, max_pages)
    except (ExtractionError, MemoryError):
        raise
    except Exception as error:
        # A parser (or our reading of its result) tripping over input it did not expect: for the user
        # an unreadable file; the cause stays attached for the worker to name in its log.
        raise ExtractionError("corrupt") from error
    if content_type != MARKDOWN:
        # Read back as Markdown once more, so that what we return is exactly what normalising it again
        # after an edit gives: a user who saves the text unchanged changes nothing.
        text = markdown_to_markdown(text)
    if not text:
        raise ExtractionError("no_text_layer" if content_type == PDF else "empty")
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractionError("too_large")
    return Extracted(text=text, content_type=content_type, pages=pages)


def _parse(data: bytes, content_type: str, max_pages: int) -> tuple[str, int | None]:
    # Each parser is imported only when its format comes up, so the worker starts quickly.
    if content_type == PDF:
        from materials.extraction.pdf import extract_pdf  # only when this format comes up

        return extract_pdf(data, max_pages=max_pages)
    if content_type == DOCX:
        from materials.extraction.word import extract_docx  # only when this format comes up

        return extract_docx(data), None
    if content_type == ODT:
        from materials.extraction.odt import extract_odt  # only when this format comes up

        return extract_odt(data), None
    if content_type == MARKDOWN:
        return markdown_to_markdown(decode(data)), None
    return plain_to_markdown(decode(data)), None


def extract_pasted(text: str) -> Extracted:
    """Pasted or edited text, kept as the user wrote it: only line ends, characters and Markdown normalised.

    Never raises; an empty result has `text == ""`. Normalising a result again gives the same text, so
    saving an unchanged text is a no-op.
    """
    content_type = MARKDOWN if looks_like_markdown(text) else PLAIN
    return Extracted(text=markdown_to_markdown(text), content_type=content_type, pages=None)
