from __future__ import annotations

import time

import pytest

from materials.extraction import MAX_FILE_BYTES, ExtractionError, extract, extract_in_process
from materials.tests.extraction.documents import PdfText, build_pdf, cv_docx, cv_pdf

# Hundreds of thousands of text operators: pypdf needs many seconds of CPU for this one page.
SLOW_PDF_CONTENT = b"BT /F1 10 Tf 50 700 Td " + b"(x) Tj 0.1 0 Td " * 300_000 + b"ET"


def test_it_extracts_in_a_child_process_what_it_extracts_in_process() -> None:
    for data in (cv_pdf(), cv_docx()):
        assert extract(data) == extract_in_process(data)


def test_it_passes_a_refusal_back_with_its_code() -> None:
    with pytest.raises(ExtractionError) as raised:
        extract(b"\x7fELF\x02\x01\x01\x00" + bytes(200))
    assert raised.value.code == "unsupported_type"


def test_it_refuses_empty_and_oversize_files() -> None:
    for data, code in ((b"", "empty"), (b"a" * (MAX_FILE_BYTES + 1), "too_large")):
        with pytest.raises(ExtractionError) as raised:
            extract(data)
        assert raised.value.code == code


def test_it_stops_a_parse_that_takes_too_long() -> None:
    slow = build_pdf([[PdfText(56, 780, 10, "Hello there.")]], extra_content=SLOW_PDF_CONTENT)
    started = time.perf_counter()
    with pytest.raises(ExtractionError) as raised:
        extract(slow, timeout_seconds=0.5)
    assert raised.value.code == "timeout"
    assert time.perf_counter() - started < 3


def test_it_stops_a_parse_that_needs_too_much_memory() -> None:
    # 24 MB of address space is less than the interpreter needs to load pypdf and read a PDF.
    with pytest.raises(ExtractionError) as raised:
        extract(cv_pdf(), memory_bytes=24 * 1024**2)
    assert raised.value.code == "timeout"
