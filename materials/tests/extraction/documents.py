"""Realistic documents built in the tests: a CV as Markdown, DOCX, ODT and PDF, and hostile files.

Everything is generated here, so the tests read nothing outside the repository and need no network.
"""

# CVs and letters are written with en dashes and in Greek: the look-alike characters are meant.

from __future__ import annotations

import io
import struct
import textwrap
import zipfile
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

# One CV, written once, rendered into every format. Kinds: title, section, role, para, bullet.
CV: list[tuple[str, str]] = [
    ("title", "Ingrid Solberg"),
    ("para", "Backend engineer · Trondheim, Norway · ingrid.solberg@example.org · +47 400 00 000"),
    ("section", "Summary"),
    (
        "para",
        "Backend engineer with seven years of experience building payment and health-data services in "
        "Python. I like boring, well-tested systems, careful data modelling and on-call rotations that stay "
        "quiet.",
    ),
    ("section", "Experience"),
    ("role", "Senior Backend Engineer — Fjordpay AS, Trondheim (2021–present)"),
    (
        "bullet",
        "Led a team of four engineers that rebuilt the card-settlement pipeline in Python and Django; "
        "settlement lag fell from 6 hours to 12 minutes.",
    ),
    (
        "bullet",
        "Designed the PostgreSQL schema and partitioning for 400 million ledger rows; p95 query time dropped "
        "from 900 ms to 40 ms.",
    ),
    ("bullet", "Mentored two junior engineers; both were promoted within 18 months."),
    ("role", "Backend Engineer — Helsepunkt, Oslo (2018–2021)"),
    (
        "bullet",
        "Implemented GDPR data-export and deletion flows across six services, including audit logging.",
    ),
    ("bullet", "On-call for a 99.95% availability SLO; wrote most of the runbooks."),
    ("section", "Skills"),
    (
        "para",
        "Python, Django, FastAPI, PostgreSQL, Redis, Kafka, Docker, Kubernetes, Terraform, AWS, GitLab CI, "
        "Hypothesis, pytest, OpenTelemetry, GDPR.",
    ),
    ("section", "Education"),
    (
        "para",
        "MSc Computer Science — NTNU, Trondheim (2017). Thesis: consistency models for replicated ledgers.",
    ),
]

ROLE_1 = "Experience › Senior Backend Engineer — Fjordpay AS, Trondheim (2021–present)"
ROLE_2 = "Experience › Backend Engineer — Helsepunkt, Oslo (2018–2021)"

# Greek, Cyrillic, Chinese, an emoji with a zero-width joiner, and Arabic (right to left).
MIXED_SCRIPTS = [
    "Ελληνικά: Αθήνα",
    "Русский: Москва",
    "中文：北京",
    "Emoji: 😀 👩\u200d💻",
    "العربية: القاهرة",
]


def cv_markdown() -> str:
    marks = {"title": "# ", "section": "## ", "role": "### ", "bullet": "- ", "para": ""}
    lines: list[str] = []
    for kind, text in CV:
        if kind != "bullet" or (lines and not lines[-1].startswith("- ")):
            lines.append("")
        lines.append(marks[kind] + text)
    return "\n".join(lines).strip() + "\n"


def cv_docx() -> bytes:
    import docx

    document = docx.Document()
    for kind, text in CV:
        if kind == "title":
            document.add_heading(text, 0)
        elif kind == "section":
            document.add_heading(text, 1)
        elif kind == "role":
            document.add_heading(text, 2)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    return docx_bytes(document)


def docx_bytes(document: object) -> bytes:
    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
)


def cv_odt() -> bytes:
    body: list[str] = []
    for kind, text in CV:
        content = escape(text)
        if kind == "title":
            body.append(f'<text:p text:style-name="P1">{content}</text:p>')
        elif kind == "section":
            body.append(f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{content}</text:h>')
        elif kind == "role":
            body.append(f'<text:h text:style-name="Heading_20_2" text:outline-level="2">{content}</text:h>')
        elif kind == "bullet":
            item = f"<text:list-item><text:p>{content}</text:p></text:list-item>"
            if body and body[-1].startswith("<text:list>"):
                body[-1] = body[-1].replace("</text:list>", item + "</text:list>")
            else:
                body.append(f"<text:list>{item}</text:list>")
        else:
            # Pretty-printed XML: the newline and indentation inside must not reach the text.
            body.append(f"<text:p>\n    {content}\n</text:p>")
    automatic = '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/>'
    return odt_bytes("\n".join(body), automatic_styles=automatic)


def odt_bytes(body: str, *, automatic_styles: str = "", mimetype: bytes | None = None) -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS} office:version="1.3">'
        f"<office:automatic-styles>{automatic_styles}</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # The mimetype entry comes first and uncompressed, as the OpenDocument format requires.
        archive.writestr(
            "mimetype", mimetype or b"application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@dataclass(frozen=True)
class PdfText:
    x: float
    y: float
    size: float
    text: str
    bold: bool = False
    # Drawn with a CID font whose ToUnicode map covers any character (Greek, Chinese, emoji).
    unicode: bool = False


def _pdf_literal(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def build_pdf(
    pages: list[list[PdfText]],
    *,
    catalog_extra: bytes = b"",
    page_extra: bytes = b"",
    extra_content: bytes = b"",
) -> bytes:
    """A small valid PDF with a text layer, its cross-reference offsets computed here."""
    characters = sorted({ch for page in pages for item in page if item.unicode for ch in item.text})
    cids = {ch: index + 1 for index, ch in enumerate(characters)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    catalog = add(b"")
    page_tree = add(b"")
    regular = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    fonts = b"/F1 %d 0 R /F2 %d 0 R" % (regular, bold)
    if characters:
        mappings = b"\n".join(
            b"<%04X> <%s>" % (cid, ch.encode("utf-16-be").hex().upper().encode()) for ch, cid in cids.items()
        )
        cmap = (
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Uni def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            b"%d beginbfchar\n%s\nendbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
            % (len(cids), mappings)
        )
        to_unicode = add(stream(cmap))
        descriptor = add(
            b"<< /Type /FontDescriptor /FontName /Uni /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
            b"/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>"
        )
        cid_font = add(
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Uni /CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 >>" % descriptor
        )
        unicode_font = add(
            b"<< /Type /Font /Subtype /Type0 /BaseFont /Uni /Encoding /Identity-H "
            b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode)
        )
        fonts += b" /F3 %d 0 R" % unicode_font
    kids: list[int] = []
    for page in pages:
        operations = []
        for item in page:
            if item.unicode:
                shown = b"<" + b"".join(b"%04X" % cids[ch] for ch in item.text) + b">"
                font = b"/F3"
            else:
                shown, font = _pdf_literal(item.text), (b"/F2" if item.bold else b"/F1")
            operations.append(b"BT %s %g Tf %g %g Td %s Tj ET" % (font, item.size, item.x, item.y, shown))
        content = add(stream(b"\n".join([*operations, extra_content])))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << %s >> >> "
                b"/Contents %d 0 R %s>>" % (page_tree, fonts, content, page_extra)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R %s>>" % (page_tree, catalog_extra)
    objects[page_tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


class PdfLayout:
    """Lays out lines top to bottom the way a word processor would, starting new pages as needed."""

    def __init__(self) -> None:
        self.pages: list[list[PdfText]] = [[]]
        self.y = 790.0

    def line(self, text: str, *, size: float = 10, bold: bool = False, x: float = 56, gap: float = 0) -> None:
        self.y -= gap
        if self.y < 60:
            self.pages.append([])
            self.y = 790.0
        self.pages[-1].append(PdfText(x, self.y, size, text, bold=bold))
        self.y -= size * 1.25

    def paragraph(self, text: str, *, width: int = 95) -> None:
        for index, line in enumerate(textwrap.wrap(text, width)):
            self.line(line, gap=6 if index == 0 else 0)

    def bullet(self, text: str, *, width: int = 90) -> None:
        for index, line in enumerate(textwrap.wrap(text, width)):
            # The bullet glyph hangs in the margin; wrapped lines align with the text, not the glyph.
            self.line(
                ("• " if index == 0 else "") + line, x=56 if index == 0 else 66.5, gap=2 if index == 0 else 0
            )

    def pdf(self) -> bytes:
        return build_pdf(self.pages)


def cv_pdf() -> bytes:
    layout = PdfLayout()
    for kind, text in CV:
        if kind == "title":
            layout.line(text, size=20, bold=True)
        elif kind == "section":
            layout.line(text, size=14, bold=True, gap=10)
        elif kind == "role":
            layout.line(text, size=11.5, bold=True, gap=6)
        elif kind == "bullet":
            layout.bullet(text)
        else:
            layout.paragraph(text)
    return layout.pdf()


def long_pdf(pages: int) -> bytes:
    """A CV-like document of `pages` full pages: headings, bullets and wrapped paragraphs."""
    layout = PdfLayout()
    number = 0
    while len(layout.pages) <= pages:
        number += 1
        layout.line(f"Project {number} — Example Client AS (20{number % 25:02d})", size=12, bold=True, gap=8)
        layout.paragraph(
            "Delivered a payment service in Python and Django with careful data modelling, contract tests "
            "and a quiet on-call rotation; the team shipped weekly and kept the error budget intact."
        )
        for bullet in range(3):
            layout.bullet(
                f"Result {bullet + 1}: reduced latency by {10 + bullet}% and cut infrastructure cost by "
                f"{5 + bullet}% across {number} services, measured over a full quarter."
            )
    layout.pages = layout.pages[:pages]
    return layout.pdf()


@dataclass(frozen=True)
class RawEntry:
    name: str
    data: bytes  # already deflated
    crc: int
    size: int  # what the central directory declares


def deflated(content: bytes) -> RawEntry:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return RawEntry("", compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content))


def zeros(size_mb: int) -> RawEntry:
    """`size_mb` megabytes of zeros, deflated without ever holding them: the stream repeats itself."""
    piece = bytes(1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(piece) + compressor.flush(zlib.Z_FULL_FLUSH)
    # After a full flush the window holds only zeros, so every further megabyte deflates the same.
    repeat = compressor.compress(piece) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(piece)
    for _ in range(size_mb - 1):
        crc = zlib.crc32(piece, crc)
    return RawEntry("", first + repeat * (size_mb - 1) + compressor.flush(), crc, size_mb * 1024 * 1024)


def raw_zip(entries: dict[str, RawEntry]) -> bytes:
    """A ZIP written byte by byte, so a test can make it declare whatever sizes it likes."""
    out = bytearray()
    central = bytearray()
    for name, entry in entries.items():
        encoded = name.encode()
        offset = len(out)
        header = (zlib.DEFLATED, 0, 33, entry.crc, len(entry.data), entry.size, len(encoded))
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, *header, 0) + encoded + entry.data
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, *header, 0, 0, 0, 0, 0, offset
        )
        central += encoded
    start = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), start, 0)
    return bytes(out)


CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def docx_bomb(size_mb: int = 200) -> bytes:
    """Looks like a DOCX; its document part inflates to `size_mb` megabytes of zeros."""
    return raw_zip({"[Content_Types].xml": deflated(CONTENT_TYPES_XML), "word/document.xml": zeros(size_mb)})
