"""How the sent letter's PDF sets its paragraphs, checked on the rendered page: product codes and names
with capitals inside are never hyphenated, and the user's choice of justified or ragged-right paragraphs
shows in the line widths of the page as pdftoppm draws it."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.test import SimpleTestCase
from pypdf import PdfReader

from applications.letters.document import LetterDocument
from applications.letters.pdf import render_letter_pdf

CODES = (
    "I ran PostgreSQL15 and Kubernetes clusters under ISO27001 controls, and built the DevOps pipeline for "
    "the SettlementEngineV2, CardAuthorisationService45 and LedgerReconciliationJob2026 services, "
    "with OpenTelemetry tracing across the WebSocketGateway and the PaymentInitiationAPI. "
)
PROSE = (
    "My work is mostly about making systems that handle money quietly dependable: careful migrations, "
    "understandable monitoring, and documentation that newcomers actually read and keep up to date. "
)
LETTER = LetterDocument(
    sender_name="Ingrid Solberg",
    sender_lines=("Trondheim",),
    recipient_lines=("Krone Pay",),
    place_and_date="Trondheim, 3 December 2026",
    subject="Application: Platform Engineer",
    body="Dear hiring team,\n\n" + (CODES + PROSE) * 3 + "\n\nKind regards,\nIngrid Solberg",
    language="en",
)
# A word is a code when it has a digit, or a capital after its first letter.
CODE_RE = re.compile(r"\S*(\d|\S[A-Z])\S*")


def page_rows(pdf: bytes) -> list[bytes]:
    """The first page as greyscale pixel rows (pdftoppm's PGM at 100 dpi)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise AssertionError("pdftoppm is missing: install poppler-utils (.ci/run does).")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "letter.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [pdftoppm, "-gray", "-r", "100", "-f", "1", "-l", "1", str(source), str(Path(folder) / "page")],
            check=True,
            timeout=60,
        )
        data = next(Path(folder).glob("page*.pgm")).read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert header is not None
    width, height = int(header[1]), int(header[2])
    pixels = data[header.end() :]
    return [pixels[row * width : (row + 1) * width] for row in range(height)]


def line_right_edges(rows: list[bytes]) -> list[int]:
    """The right end of every line of text on the page: runs of rows with ink, and their rightmost ink."""
    edges: list[int] = []
    current = -1
    for row in rows:
        inked = [x for x, value in enumerate(row) if value < 128]
        if inked:
            current = max(current, inked[-1])
        elif current >= 0:
            edges.append(current)
            current = -1
    return edges


class TypesettingTests(SimpleTestCase):
    def test_it_never_hyphenates_codes_or_names_with_capitals_inside(self) -> None:
        broken: list[str] = []
        hyphenated = 0
        # The paragraph shifted word by word, so that every code comes to the end of a line somewhere.
        words = (CODES + PROSE).split()
        for shift in range(0, 24, 2):
            body = " ".join(["x" * (shift % 7 + 1), *words[shift:], *words[:shift]] * 2)
            for justify in (False, True):
                pdf = render_letter_pdf(dataclasses.replace(LETTER, body=body, justify=justify))
                for line in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines():
                    last = line.split()[-1] if line.split() else ""
                    # Typst's hyphen comes out of the PDF as a soft hyphen.
                    if last.endswith(("\xad", "-")):
                        hyphenated += 1
                        if CODE_RE.fullmatch(last.rstrip("\xad-")):
                            broken.append(last)
        self.assertEqual(broken, [])
        # Ordinary words still break: the rule is about codes, not hyphenation as such.
        self.assertGreater(hyphenated, 0)

    def test_it_sets_justified_or_ragged_right_paragraphs_as_chosen(self) -> None:
        spreads = {}
        for justify in (False, True):
            edges = line_right_edges(
                page_rows(render_letter_pdf(dataclasses.replace(LETTER, justify=justify)))
            )
            # The long paragraph's lines: the ones reaching near the right margin's area, without the short
            # lines (greeting, last line of a paragraph, sign-off, the header).
            body = sorted(edges)[-12:]
            spreads[justify] = max(body) - min(body)
        # Justified: the lines end together (within a few pixels at 100 dpi). Ragged right: they do not.
        self.assertLessEqual(spreads[True], 3, spreads)
        self.assertGreater(spreads[False], 3 * max(spreads[True], 1), spreads)
