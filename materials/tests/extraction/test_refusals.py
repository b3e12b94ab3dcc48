from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from materials.extraction import MAX_FILE_BYTES, ExtractionError, extract_in_process
from materials.extraction.messages import MESSAGES
from materials.tests.extraction.documents import (
    CONTENT_TYPES_XML,
    PdfText,
    build_pdf,
    cv_docx,
    cv_pdf,
    deflated,
    docx_bomb,
    long_pdf,
    odt_bytes,
    raw_zip,
    zeros,
)


def refusal(data: bytes, **options: int) -> str:
    with pytest.raises(ExtractionError) as raised:
        extract_in_process(data, **options)
    return raised.value.code


def test_it_refuses_a_zip_bomb_disguised_as_docx_quickly_and_with_little_memory() -> None:
    bomb = docx_bomb(200)
    assert len(bomb) < 300_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        assert refusal(bomb) == "archive_limits"
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 0.5
    assert peak < 5 * 1024**2


def test_it_refuses_an_entry_that_inflates_too_much_even_when_small() -> None:
    # 5 MB of zeros from 5 kB: far past 100:1, though well under the total limit.
    assert refusal(
        raw_zip({"[Content_Types].xml": deflated(CONTENT_TYPES_XML), "word/document.xml": zeros(5)})
    ) == ("archive_limits")


def test_it_stops_reading_an_entry_whose_header_lies_about_its_size() -> None:
    honest = zeros(50)
    lying = type(honest)(honest.name, honest.data, honest.crc, 1000)  # declares 1000 bytes
    data = raw_zip({"[Content_Types].xml": deflated(CONTENT_TYPES_XML), "word/document.xml": lying})
    started = time.perf_counter()
    assert refusal(data) == "corrupt"
    assert time.perf_counter() - started < 0.5


def test_it_refuses_an_archive_with_too_many_entries() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for number in range(1001):
            archive.writestr(f"word/media/image{number}.png", b"")
    assert refusal(out.getvalue()) == "archive_limits"


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "word/../../evil.xml", "C:/evil.xml"])
def test_it_refuses_entry_names_that_climb_out_of_the_archive(name: str) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr(zipfile.ZipInfo(name), "x")
    assert refusal(out.getvalue()) == "archive_limits"


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def test_it_refuses_xml_with_entity_declarations_in_a_docx() -> None:
    original = zipfile.ZipFile(io.BytesIO(cv_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            content = original.read(info)
            if info.filename == "word/document.xml":
                content = BILLION_LAUGHS.encode() + content.split(b"?>", 1)[1]
            archive.writestr(info.filename, content)
    assert refusal(out.getvalue()) == "corrupt"


def test_it_refuses_xml_with_entity_declarations_in_an_odt() -> None:
    data = odt_bytes("<text:p>&lol3;</text:p>")
    original = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in original.infolist():
            content = original.read(info)
            if info.filename == "content.xml":
                content = BILLION_LAUGHS.encode() + content.split(b"?>", 1)[1]
            archive.writestr(info, content)
    assert refusal(out.getvalue()) == "corrupt"


PAGE = [PdfText(56, 780, 11, "Ingrid Solberg, backend engineer in Trondheim, Norway.")]


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(
            {"catalog_extra": b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> "}, id="open-action"
        ),
        pytest.param(
            {"catalog_extra": b"/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (1) >>] >> >> "},
            id="names-tree",
        ),
        pytest.param(
            {"catalog_extra": b"/AA << /WC << /S /JavaScript /JS (1) >> >> "}, id="document-actions"
        ),
        pytest.param({"page_extra": b"/AA << /O << /S /Launch /F (calc.exe) >> >> "}, id="page-launch"),
        pytest.param(
            {"catalog_extra": b"/Names << /EmbeddedFiles << /Names [(cv.exe) << /Type /Filespec >>] >> >> "},
            id="embedded-file",
        ),
        pytest.param({"catalog_extra": b"/OpenAction << /S /J#61vaScript /J#53 (1) >> "}, id="escaped-names"),
        pytest.param(
            {"page_extra": b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A << /S /JavaScript /JS (1) >> >>]"},
            id="link-annotation",
        ),
    ],
)
def test_it_refuses_a_pdf_carrying_scripts_actions_or_files(options: dict[str, bytes]) -> None:
    assert refusal(build_pdf([PAGE], **options)) == "pdf_with_script"


def test_it_accepts_a_pdf_whose_actions_are_only_links_and_views() -> None:
    safe = build_pdf(
        [PAGE],
        catalog_extra=b"/OpenAction << /S /URI /URI (https://example.org/) >> ",
        page_extra=b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (mailto:a@b.no) >> >>] ",
    )
    assert extract_in_process(safe).text == "Ingrid Solberg, backend engineer in Trondheim, Norway."


def test_it_refuses_an_encrypted_pdf() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(cv_pdf())))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert refusal(out.getvalue()) == "encrypted_pdf"


def test_it_refuses_a_pdf_without_a_text_layer() -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    assert refusal(out.getvalue()) == "no_text_layer"


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_it_refuses_a_truncated_pdf(keep: float) -> None:
    data = cv_pdf()
    assert refusal(data[: int(len(data) * keep)]) == "corrupt"


def test_it_refuses_a_pdf_with_more_pages_than_allowed() -> None:
    data = long_pdf(3)
    assert refusal(data, max_pages=2) == "too_many_pages"
    assert extract_in_process(data, max_pages=3).pages == 3


def test_it_refuses_a_file_over_the_size_limit() -> None:
    assert refusal(b"a" * (MAX_FILE_BYTES + 1)) == "too_large"


def test_it_refuses_an_empty_document() -> None:
    assert refusal(b"\n \n\t\n") == "empty"
    assert refusal(odt_bytes("<text:p> </text:p>")) == "empty"


def test_it_has_a_clear_message_for_every_refusal() -> None:
    codes = {
        "empty", "too_large", "unsupported_type", "text_encoding", "encrypted_pdf", "pdf_with_script",
        "too_many_pages", "no_text_layer", "archive_limits", "corrupt", "timeout",
    }  # fmt: skip
    assert set(MESSAGES) == codes
    for code in codes:
        message = str(ExtractionError(code).message)
        assert message.endswith(".") and "paste the text" in message, code
    assert "scanned" in str(ExtractionError("no_text_layer").message)
    assert "PDF" in str(ExtractionError("unsupported_type").message)
