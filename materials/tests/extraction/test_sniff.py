from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from materials.extraction import DOCX, MARKDOWN, ODT, PDF, PLAIN, ExtractionError, sniff
from materials.tests.extraction.documents import cv_docx, cv_markdown, cv_odt, cv_pdf, odt_bytes


def code_of(data: bytes) -> str:
    with pytest.raises(ExtractionError) as raised:
        sniff(data)
    return raised.value.code


def test_it_recognises_each_format_by_its_bytes() -> None:
    assert sniff(cv_pdf()) == PDF
    assert sniff(cv_docx()) == DOCX
    assert sniff(cv_odt()) == ODT
    assert sniff(cv_markdown().encode()) == MARKDOWN
    assert sniff(b"Ingrid Solberg\nBackend engineer\n\n- Python\n- Django\n") == PLAIN


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + bytes(200), id="elf"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), id="exe"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), id="png"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), id="legacy-word-doc"),
    ],
)
def test_it_refuses_a_file_that_is_not_a_document_whatever_its_name(data: bytes) -> None:
    assert code_of(data) == "unsupported_type"


def test_it_refuses_an_empty_file() -> None:
    assert code_of(b"") == "empty"


def test_it_reads_text_with_a_byte_order_mark() -> None:
    text = "Kjære Kari,\n\nJeg søker stillingen.\n"
    assert sniff(codecs.BOM_UTF8 + text.encode()) == PLAIN
    assert sniff(text.encode("utf-16")) == PLAIN  # Python writes the BOM
    assert sniff(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == PLAIN


def test_it_asks_for_utf8_when_text_is_in_a_legacy_encoding() -> None:
    assert code_of("Kjære Kari, jeg søker stillingen.".encode("latin-1")) == "text_encoding"


def test_it_refuses_text_full_of_control_characters() -> None:
    assert code_of(b"abc\x01\x02\x03\x04\x05def" * 10) == "unsupported_type"


def test_it_refuses_other_zip_archives() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert code_of(out.getvalue()) == "unsupported_type"


def test_it_refuses_an_opendocument_spreadsheet() -> None:
    data = odt_bytes("<text:p>Cells</text:p>", mimetype=b"application/vnd.oasis.opendocument.spreadsheet")
    assert code_of(data) == "unsupported_type"


def test_it_refuses_a_macro_enabled_word_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    assert code_of(out.getvalue()) == "unsupported_type"
