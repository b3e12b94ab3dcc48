"""A letter as an A4 PDF, laid out by Typst (a pip package: no system libraries, no browser).

The letter's text goes to Typst as JSON data, never spliced into the markup: a body that says
`#import` or `$x$` is printed as written. Only the fonts that ship inside the typst package are used
(Libertinus Serif: Latin with Nordic and German letters, and Greek), so the PDF looks the same on every
host and embeds its fonts.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import typst

from applications.letters.document import LetterDocument

TEMPLATE = (Path(__file__).parent / "letter.typ").read_bytes()
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")

# A compiler keeps its loaded fonts between letters, which makes the second letter several times faster.
# One per thread: the binding makes no promise about sharing one between threads.
_local = threading.local()


def _compiler() -> typst.Compiler:
    compiler: typst.Compiler | None = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(ignore_system_fonts=True)
        _local.compiler = compiler
    return compiler


def _paragraphs(body: str) -> list[list[str]]:
    """Blank lines separate paragraphs; a single line break (a signature under the sign-off) stays one."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [block.strip("\n") for block in re.split(r"\n[ \t]*\n", text)]
    return [[line.strip() for line in block.split("\n")] for block in paragraphs if block.strip()]


def letter_data(letter: LetterDocument) -> dict[str, object]:
    language = letter.language.lower().split("-")[0]
    return {
        "sender_name": letter.sender_name.strip(),
        "sender_lines": [line.strip() for line in letter.sender_lines if line.strip()],
        "recipient_lines": [line.strip() for line in letter.recipient_lines if line.strip()],
        "place_and_date": letter.place_and_date.strip(),
        "subject": letter.subject.strip(),
        "paragraphs": _paragraphs(letter.body),
        # Typst refuses a language tag it cannot parse; hyphenation then falls back to English.
        "language": language if _LANGUAGE_RE.match(language) else "en",
        "justify": letter.justify,
    }


def render_letter_pdf(letter: LetterDocument) -> bytes:
    data = json.dumps(letter_data(letter), ensure_ascii=False)
    pdf = _compiler().compile(TEMPLATE, format="pdf", sys_inputs={"letter": data})
    if not isinstance(pdf, bytes):  # a list of images is what the png and svg formats give
        raise TypeError("Typst returned pages rather than one PDF.")
    return pdf
