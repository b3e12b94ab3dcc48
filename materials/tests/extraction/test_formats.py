# CVs and letters are written with en dashes and in Greek: the look-alike characters are meant.
from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest

from materials.chunking import chunk_text
from materials.extraction import DOCX, MARKDOWN, ODT, PDF, PLAIN, extract_in_process
from materials.language import letter_parts
from materials.tests.extraction.documents import (
    MIXED_SCRIPTS,
    ROLE_1,
    ROLE_2,
    PdfLayout,
    PdfText,
    build_pdf,
    cv_docx,
    cv_markdown,
    cv_odt,
    cv_pdf,
    docx_bytes,
    odt_bytes,
)

EXPECTED_CHUNKS = [
    ("line", "", "Backend engineer · Trondheim, Norway · ingrid.solberg@example.org · +47 400 00 000"),
    (
        "paragraph",
        "Summary",
        "Backend engineer with seven years of experience building payment and health-data",
    ),
    ("bullet", ROLE_1, "Led a team of four engineers that rebuilt the card-settlement pipeline in Python"),
    ("bullet", ROLE_1, "Designed the PostgreSQL schema and partitioning for 400 million ledger rows;"),
    ("bullet", ROLE_1, "Mentored two junior engineers; both were promoted within 18 months."),
    ("bullet", ROLE_2, "Implemented GDPR data-export and deletion flows across six services, including"),
    ("bullet", ROLE_2, "On-call for a 99.95% availability SLO; wrote most of the runbooks."),
    ("line", "Skills", "Python, Django, FastAPI, PostgreSQL, Redis, Kafka, Docker, Kubernetes, Terraform,"),
    ("paragraph", "Education", "MSc Computer Science — NTNU, Trondheim (2017). Thesis: consistency models"),
]

FORMATS: dict[str, tuple[Callable[[], bytes], str]] = {
    "markdown": (lambda: cv_markdown().encode(), MARKDOWN),
    "docx": (cv_docx, DOCX),
    "odt": (cv_odt, ODT),
    "pdf": (cv_pdf, PDF),
}


@pytest.mark.parametrize("name", FORMATS)
def test_it_reads_the_same_cv_structure_from_every_format(name: str) -> None:
    build, content_type = FORMATS[name]
    extracted = extract_in_process(build())
    assert extracted.content_type == content_type
    assert extracted.pages == (1 if name == "pdf" else None)
    assert extracted.text.startswith("# Ingrid Solberg\n\nBackend engineer · Trondheim")
    assert (
        "## Experience\n\n### Senior Backend Engineer — Fjordpay AS, Trondheim (2021–present)\n\n- Led"
        in (extracted.text)
    )
    chunks = [(chunk.kind, chunk.section, chunk.text) for chunk in chunk_text(extracted.text)]
    assert len(chunks) == len(EXPECTED_CHUNKS)
    for (kind, section, text), (expected_kind, expected_section, start) in zip(
        chunks, EXPECTED_CHUNKS, strict=True
    ):
        assert (kind, section) == (expected_kind, expected_section)
        assert text.startswith(start)


def test_it_gives_every_format_the_same_text() -> None:
    texts = {name: extract_in_process(build()).text for name, (build, _) in FORMATS.items()}
    assert len(set(texts.values())) == 1, texts


def mixed_docx() -> bytes:
    document = docx.Document()
    for line in MIXED_SCRIPTS:
        document.add_paragraph(line)
    return docx_bytes(document)


def mixed_pdf() -> bytes:
    # PDFs store right-to-left text in the order it is drawn, left to right; pypdf puts it back.
    lines = [line if not line.startswith("العربية") else line[::-1] for line in MIXED_SCRIPTS]
    return build_pdf(
        [[PdfText(56, 780 - 20 * index, 11, line, unicode=True) for index, line in enumerate(lines)]]
    )


MIXED: dict[str, Callable[[], bytes]] = {
    "text": lambda: "\n\n".join(MIXED_SCRIPTS).encode(),
    "utf16-text": lambda: "\n\n".join(MIXED_SCRIPTS).encode("utf-16"),
    "docx": mixed_docx,
    "odt": lambda: odt_bytes("".join(f"<text:p>{line}</text:p>" for line in MIXED_SCRIPTS)),
    "pdf": mixed_pdf,
}


@pytest.mark.parametrize("name", MIXED)
def test_it_keeps_greek_cyrillic_chinese_emoji_and_arabic_intact(name: str) -> None:
    text = extract_in_process(MIXED[name]()).text
    for line in MIXED_SCRIPTS:
        assert line in text


def test_it_reads_docx_tables_as_lines_and_keeps_dates_with_the_role() -> None:
    document = docx.Document()
    document.add_heading("Experience", 1)
    layout = document.add_table(rows=1, cols=2)
    left, right = layout.rows[0].cells
    left.text = "2021–present"
    right.paragraphs[0].text = "Senior Backend Engineer — Fjordpay AS"
    right.paragraphs[0].style = document.styles["Heading 2"]
    right.add_paragraph("Rebuilt the settlement pipeline.", style="List Bullet")
    document.add_heading("Languages", 1)
    languages = document.add_table(rows=2, cols=2)
    for row, (language, level) in zip(
        languages.rows, [("Norwegian", "native"), ("English", "fluent")], strict=True
    ):
        row.cells[0].text, row.cells[1].text = language, level
    text = extract_in_process(docx_bytes(document)).text
    assert (
        "## Senior Backend Engineer — Fjordpay AS (2021–present)\n\n- Rebuilt the settlement pipeline."
        in text
    )
    assert "# Languages\n\nNorwegian | native\nEnglish | fluent" in text


def test_it_takes_short_bold_docx_lines_for_headings_and_typed_dashes_for_bullets() -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Experience").bold = True
    document.add_paragraph("- Rebuilt the settlement pipeline.")
    document.add_paragraph("• Mentored two engineers.")
    text = extract_in_process(docx_bytes(document)).text
    assert text == "# Experience\n\n- Rebuilt the settlement pipeline.\n- Mentored two engineers."


WORD_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def test_it_reads_docx_content_controls_text_boxes_and_numbering() -> None:
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Main column.")
    body = document.element.body
    # Word's CV templates keep text in content controls, and sidebars in text boxes that Word writes
    # twice (a modern shape and a legacy fallback); the sidebar must come out once.
    box = "<w:txbxContent><w:p><w:r><w:t>Sidebar: Oslo</w:t></w:r></w:p></w:txbxContent>"
    for xml in (
        f"<w:sdt {WORD_NAMESPACES}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>In a content control.</w:t></w:r>"
        "</w:p></w:sdtContent></w:sdt>",
        f'<w:p {WORD_NAMESPACES}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>'
        f"{box}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{box}</v:textbox></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>",
        f'<w:p {WORD_NAMESPACES}><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        "<w:r><w:t>A numbered item</w:t></w:r></w:p>",
    ):
        body.insert(len(body) - 1, parse_xml(xml))  # before the section properties, which come last
    text = extract_in_process(docx_bytes(document)).text
    assert text == "Main column.\n\nIn a content control.\n\nSidebar: Oslo\n\n- A numbered item"


def test_it_reads_odt_lists_tables_and_line_breaks() -> None:
    body = (
        '<text:h text:outline-level="1">Skills</text:h>'
        "<text:list><text:list-item><text:p>Python<text:s/>and Django</text:p>"
        "<text:list><text:list-item><text:p>Django REST framework</text:p></text:list-item></text:list>"
        "</text:list-item></text:list>"
        "<table:table><table:table-row><table:table-cell><text:p>Norwegian</text:p></table:table-cell>"
        "<table:table-cell><text:p>native</text:p></table:table-cell></table:table-row></table:table>"
        "<text:p>Storgata 1<text:line-break/>7011 Trondheim</text:p>"
    )
    text = extract_in_process(odt_bytes(body)).text
    assert text == (
        "# Skills\n\n- Python and Django\n- Django REST framework\n\nNorwegian | native\n\n"
        "Storgata 1\n7011 Trondheim"
    )


LETTER = [
    "Dear Hiring Team at Nordlys Bank,",
    "",
    "I have spent the last three years making card settlements boring, and I would like to do the same for "
    "your instant-payments platform.",
    "",
    "At Fjordpay I led the rebuild of our settlement pipeline. The old batch job ran every six hours and "
    "failed quietly; the new one streams ledger entries through a small set of Django services and settles "
    "in about twelve minutes.",
    "",
    "Kind regards,",
    "Ingrid Solberg",
]


def test_it_rebuilds_the_paragraphs_of_a_pdf_letter() -> None:
    layout = PdfLayout()
    gap = 0.0
    for line in LETTER:
        if not line:
            gap = 10
        else:
            layout.paragraph(line, width=90) if len(line) > 90 else layout.line(line, gap=gap)
            gap = 0
    text = extract_in_process(layout.pdf()).text
    assert text == "\n\n".join([LETTER[0], LETTER[2], LETTER[4], "Kind regards,\nIngrid Solberg"])
    parts = letter_parts(text)
    assert parts["salutation"] == "Dear Hiring Team at Nordlys Bank,"
    assert parts["closing"] == "Kind regards,\nIngrid Solberg"
    assert parts["body"].startswith("I have spent") and parts["body"].endswith("twelve minutes.")


def test_it_drops_page_numbers_and_running_headers_from_a_pdf() -> None:
    content = [
        "Led a team of four engineers that rebuilt the card-settlement pipeline.",
        "Designed the PostgreSQL schema and partitioning for 400 million ledger rows.",
        "Implemented GDPR data-export and deletion flows across six services.",
    ]
    pages = [
        [
            PdfText(56, 810, 8, "Ingrid Solberg — CV"),
            PdfText(56, 760, 10, line),
            PdfText(290, 30, 8, f"Page {number} of 3"),
        ]
        for number, line in enumerate(content, 1)
    ]
    text = extract_in_process(build_pdf(pages)).text
    assert text == "Ingrid Solberg — CV\n\n" + "\n\n".join(content)


def test_it_reads_structure_in_plain_text() -> None:
    plain = (
        "Ingrid Solberg\n\nEXPERIENCE\n\nSenior Backend Engineer, Fjordpay AS (2021–present)\n"
        "• Led a team of four engineers that rebuilt the card-settlement pipeline in Python and\n"
        "  Django; settlement lag fell from 6 hours to 12 minutes.\n"
        "* Mentored two junior engineers.\n\n"
        "I like boring, well-tested systems, careful data modelling and on-call rotations that\n"
        "stay quiet.\n"
    ).encode()
    extracted = extract_in_process(plain)
    assert extracted.content_type == PLAIN
    assert extracted.text == (
        "# Ingrid Solberg\n\n## EXPERIENCE\n\n### Senior Backend Engineer, Fjordpay AS (2021–present)\n\n"
        "- Led a team of four engineers that rebuilt the card-settlement pipeline in Python and Django; "
        "settlement lag fell from 6 hours to 12 minutes.\n- Mentored two junior engineers.\n\n"
        "I like boring, well-tested systems, careful data modelling and on-call rotations that stay quiet."
    )


def test_it_normalises_markdown_headings_and_bullets() -> None:
    markdown = (
        b"Ingrid Solberg\r\n==============\r\n\r\nExperience\r\n----------\r\n"
        b"* Rebuilt the pipeline\r\n+ Ran the migration\r\n  to Kubernetes\r\n\r\n"
        b"1. First\r\n2. Second\r\n\r\n12. juni 2021: started at **Fjordpay**\r\n"
    )
    extracted = extract_in_process(markdown)
    assert extracted.content_type == MARKDOWN
    assert extracted.text == (
        "# Ingrid Solberg\n\n## Experience\n\n- Rebuilt the pipeline\n- Ran the migration to Kubernetes\n"
        "- First\n- Second\n\n12. juni 2021: started at **Fjordpay**"
    )


def test_it_reads_a_docx_saved_in_memory_by_python_docx() -> None:
    # The bytes python-docx writes are a real Word package: this is what Word's own files look like.
    document = docx.Document()
    document.add_paragraph("Hello from Word.")
    out = io.BytesIO()
    document.save(out)
    assert extract_in_process(out.getvalue()).text == "Hello from Word."
