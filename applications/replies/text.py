"""Text helpers shared by the reply parser and classifier: decoding bytes, tidying text, folding case."""

from __future__ import annotations

import codecs
import re
import unicodedata

# Zero-width characters, soft hyphens, byte order marks and control characters: invisible in a mail client,
# but they split words (so cues stop matching) and newsletters pad their preview text with them.
_INVISIBLE_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u200b-\u200f\u2060-\u2064\ufeff]"
)
_HORIZONTAL_SPACE_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_RUN_RE = re.compile(r"\n{3,}")
# Labels mail programs put in a charset parameter that Python's codecs do not know, and what they mean.
_CHARSET_ALIASES = {
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "x-unknown": "",
    "unknown-8bit": "",
    "x-user-defined": "",
    "ansi_x3.4-1968": "ascii",
}
# A label that promises ASCII or Latin-1 very often hides Windows-1252 (curly quotes, the euro sign): the
# WHATWG encoding standard reads these labels as Windows-1252 for the same reason.
_READ_AS_WINDOWS_1252 = {"ascii", "latin-1", "iso8859-1"}


def decode_bytes(data: bytes, declared: str = "") -> str:
    """Text from bytes whatever their charset label says: never raises, never loses the whole text.

    The declared charset first (when Python knows it and the bytes fit it), then UTF-8, then Windows-1252.
    UTF-8 with replacement characters only comes last, for bytes that fit nothing: a strict UTF-8 attempt
    stands in for "UTF-8 with replacement" so that Windows-1252, which reads nearly every byte, still gets
    its turn when the text is clearly not UTF-8.
    """
    for charset in _candidates(declared):
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def _candidates(declared: str) -> list[str]:
    label = declared.strip().strip("\"'").lower()
    label = _CHARSET_ALIASES.get(label, label)
    candidates: list[str] = []
    if label:
        try:
            name = codecs.lookup(label).name
        except LookupError:
            name = ""
        if name in _READ_AS_WINDOWS_1252:
            # Plain ASCII is also valid UTF-8 and Windows-1252, so the order only matters for 8-bit bytes.
            candidates.append("utf-8" if name == "ascii" else "windows-1252")
        elif name:
            candidates.append(name)
    candidates += ["utf-8", "windows-1252"]
    return candidates


def unsurrogate(value: str) -> str:
    """A header value with raw 8-bit bytes (smuggled in by the email package as surrogates) made readable."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    return decode_bytes(value.encode("utf-8", errors="surrogateescape"))


def normalize_text(text: str) -> str:
    """Line breaks as "\\n", NFC, no invisible characters, no trailing spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE_RE.sub("", text)
    lines = [_HORIZONTAL_SPACE_RE.sub(" ", line).rstrip() for line in text.split("\n")]
    return _BLANK_RUN_RE.sub("\n\n", "\n".join(lines)).strip()


def one_line(text: str) -> str:
    """A header value (a subject, a name) on one line with its spaces collapsed."""
    return _HORIZONTAL_SPACE_RE.sub(" ", _INVISIBLE_RE.sub(" ", unicodedata.normalize("NFC", text))).strip()
