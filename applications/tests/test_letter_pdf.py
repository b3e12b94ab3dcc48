from __future__ import annotations

import dataclasses
import io
import re
from typing import Any

from django.test import SimpleTestCase
from pypdf import PdfReader

from applications.letters.document import LetterDocument
from applications.letters.pdf import render_letter_pdf

LETTER = LetterDocument(
    sender_name="Ingrid Solberg",
    sender_lines=("Trondheim, Norway", "ingrid.solberg@example.org · +47 400 00 000"),
    recipient_lines=("Krone Pay", "Hiring team", "Oslo, Norway"),
    place_and_date="Trondheim, 3 December 2026",
    subject="Application: Senior Python Engineer",
    body=(
        "Dear hiring team at Krone Pay,\n\n"
        "I designed the PostgreSQL schema and partitioning for 400 million ledger rows.\n\n"
        "Kind regards,\nIngrid Solberg"
    ),
    language="en",
)


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    """The page text with whitespace collapsed: line breaks fall wherever the layout puts them."""
    reader = _reader(pdf)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _lang(pdf: bytes) -> Any:
    root: Any = _reader(pdf).trailer["/Root"]
    return root["/Lang"]


def _fonts(reader: PdfReader) -> list[Any]:
    fonts = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                fonts.append(descendant.get_object())
    return fonts


class LetterPdfTests(SimpleTestCase):
    def test_it_renders_an_a4_page(self) -> None:
        reader = _reader(render_letter_pdf(LETTER))
        self.assertEqual(len(reader.pages), 1)
        box = reader.pages[0].mediabox
        self.assertAlmostEqual(float(box.width), 595, delta=1)
        self.assertAlmostEqual(float(box.height), 842, delta=1)

    def test_it_lays_out_every_part_of_the_letter(self) -> None:
        pdf = render_letter_pdf(LETTER)
        text = _text(pdf)
        for part in (
            "Ingrid Solberg",
            "ingrid.solberg@example.org · +47 400 00 000",
            "Krone Pay Hiring team Oslo, Norway",
            "Trondheim, 3 December 2026",
            "Application: Senior Python Engineer",
            "Dear hiring team at Krone Pay,",
            "400 million ledger rows.",
            "Kind regards, Ingrid Solberg",
        ):
            self.assertIn(part, text)
        # In reading order: sender, recipient, date, subject, body.
        positions = [text.index(p) for p in ("ingrid.solberg@", "Hiring team", "3 December", "Application:")]
        self.assertEqual(positions, sorted(positions))
        self.assertEqual(_reader(pdf).metadata["/Title"], "Application: Senior Python Engineer")  # type: ignore[index]

    def test_it_keeps_nordic_german_and_greek_letters(self) -> None:
        for language, words in (
            ("nb", "Blåbærsyltetøy på Ærøy og Østfold: ÆØÅ æøå"),
            ("de", "Größe, Übung, Äpfel und Öl: äöüß ÄÖÜ"),
            ("el", "Αγαπητή ομάδα προσλήψεων, με εκτίμηση: ΑΒΓΔ αβγδ ςσ άέήίόύώ"),
        ):
            with self.subTest(language=language):
                letter = dataclasses.replace(LETTER, body=words, subject=words, language=language)
                pdf = render_letter_pdf(letter)
                self.assertIn(words, _text(pdf))
                self.assertEqual(_lang(pdf), language)

    def test_it_embeds_its_fonts(self) -> None:
        greek = dataclasses.replace(LETTER, body="Αγαπητή ομάδα ÆØÅ äöüß", language="el")
        fonts = _fonts(_reader(render_letter_pdf(greek)))
        self.assertTrue(fonts)
        for font in fonts:
            descriptor = font["/FontDescriptor"].get_object()
            with self.subTest(font=str(font["/BaseFont"])):
                self.assertTrue({"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()))
                # One family for every script: Greek is not patched in from some other font.
                self.assertIn("LibertinusSerif", str(font["/BaseFont"]))

    def test_it_prints_typst_markup_literally(self) -> None:
        hostile = [
            '#import "/etc/passwd": *',
            '#read("/etc/passwd")',
            '#set page(paper: "a5")',
            "$x^2 + y$ and *bold* and _italic_",
            "= Not a heading",
            "<label> and @reference",
            r"back\slash \\ and \n and ] [ } {",
            "`raw` ~ -- --- ...",
        ]
        letter = dataclasses.replace(
            LETTER,
            sender_name="#sys.inputs",
            sender_lines=("*not bold*",),
            recipient_lines=("$pi$",),
            place_and_date="= heading",
            subject='#panic("boom")',
            body="\n\n".join(hostile),
        )
        pdf = render_letter_pdf(letter)
        text = _text(pdf)
        for line in [*hostile, "#sys.inputs", "*not bold*", "$pi$", "= heading", '#panic("boom")']:
            with self.subTest(line=line):
                self.assertIn(line, text)
        reader = _reader(pdf)
        self.assertAlmostEqual(float(reader.pages[0].mediabox.width), 595, delta=1)

    def test_it_keeps_line_breaks_inside_a_paragraph(self) -> None:
        text = _reader(render_letter_pdf(LETTER)).pages[0].extract_text()
        self.assertIn("Kind regards,\nIngrid Solberg", text)

    def test_it_flows_a_long_letter_onto_more_pages(self) -> None:
        long = dataclasses.replace(LETTER, body="\n\n".join(["A sentence that fills the page. " * 12] * 20))
        self.assertGreater(len(_reader(render_letter_pdf(long)).pages), 1)

    def test_it_renders_a_letter_with_empty_parts_and_an_odd_language(self) -> None:
        bare = LetterDocument(
            sender_name="",
            sender_lines=(),
            recipient_lines=(),
            place_and_date="",
            subject="",
            body="\r\n\r\nOnly a body.\r\n",
            language="not a language!",
        )
        pdf = render_letter_pdf(bare)
        self.assertIn("Only a body.", _text(pdf))
        self.assertEqual(_lang(pdf), "en")
