"""Reading an employer's reply: a saved mail (.eml) or text pasted from a mail program.

Everything in a reply is untrusted. Its text comes out as plain text; its HTML only as `sanitize_html`
leaves it; its attachments as names and sizes, never their content. The quoted history under a reply is
removed from `body_text` where the mail marks it clearly, and kept in `full_text` so nothing is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications.replies.dates import parse_date
from applications.replies.markup import html_to_text, sanitize_html
from applications.replies.quotes import strip_quoted
from applications.replies.text import decode_bytes, normalize_text, one_line, unsurrogate
from materials.language import detect_language
from omoikane.errors import Refused

__all__ = ["ParsedReply", "ReplyRefused", "parse_eml", "parse_pasted", "sanitize_html"]

MESSAGES: dict[str, Promise] = {
    "too_large": _(
        "This email is too large for us to read. Save it without its attachments, or paste the text of "
        "the reply instead."
    ),
    "not_an_email": _(
        "This file doesn't look like a saved email. Choose the .eml file your mail program saves, or "
        "paste the text of the reply instead."
    ),
    "unreadable": _("We couldn't make sense of this email's structure. Paste the text of the reply instead."),
    "empty": _(
        "We found no text in this reply. If the employer's answer is in an attachment, open it and paste "
        "its text instead."
    ),
}


class ReplyRefused(Refused):
    """A reply we will not read."""

    messages = MESSAGES


@dataclass(frozen=True)
class ParsedReply:
    sender: str  # the display name, "" when the mail gives none
    sender_email: str
    sent_at: datetime | None  # timezone-aware; None when missing or unreadable
    subject: str
    body_text: str  # the reply itself, quoted history removed
    body_html_safe: str  # sanitised HTML to show with |safe; "" when the mail had no HTML part
    language: str  # "en", "nl", "nb", "de", "el", or "" (another language, or we could not tell)
    attachments: list[tuple[str, int]]  # (file name, size in bytes); the content is never kept
    full_text: str  # the whole text as received, quoted history included


# --- .eml -----------------------------------------------------------------------------------------------

# Headers that any mail has at least one of. A file with none of them is not a mail.
_MAIL_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "mime-version", "return-path")
_HEADER_LINE_RE = re.compile(rb"^(?:From |[!-9;-~]+:)")
# Control bytes other than tab, line breaks, form feed and escape (which ISO-2022-JP headers use): a text
# format has none of them in its header section, a binary file soon has some.
_BINARY_RE = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_MAX_DEPTH = 20  # real mails nest three or four levels; hostile ones nest thousands
_MAX_PARTS = 500
_MAX_NAME = 200
_HTML_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]+)", re.IGNORECASE)


# The reply form's limit too: one number, so a mail the form accepts is never "too large" here.
MAX_EML_BYTES = 5 * 1024 * 1024


def parse_eml(data: bytes, *, max_bytes: int = MAX_EML_BYTES) -> ParsedReply:
    """A saved mail read into a ParsedReply, or ReplyRefused saying why not."""
    if len(data) > max_bytes:
        raise ReplyRefused("too_large")
    # Some Windows programs save a byte order mark before the first header.
    data = data.removeprefix(b"\xef\xbb\xbf")
    header_section = re.split(rb"\r?\n\r?\n", data.lstrip(b"\r\n"), maxsplit=1)[0]
    if not _HEADER_LINE_RE.match(header_section) or _BINARY_RE.search(header_section):
        raise ReplyRefused("not_an_email")
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except RecursionError:
        raise ReplyRefused("unreadable") from None
    if not isinstance(message, EmailMessage) or not any(name in message for name in _MAIL_HEADERS):
        raise ReplyRefused("not_an_email")

    plain, html, attachments = _read_parts(message)
    html_text = html_to_text(html) if html else ""
    # Some senders put a stub in the text part ("View this mail in your browser"): the HTML then has more.
    full_text = plain if len(plain) >= len(html_text) / 3 and plain else html_text
    if not full_text:
        raise ReplyRefused("empty")
    sender, sender_email = _sender(message)
    subject = one_line(_header(message, "subject"))
    body_text = strip_quoted(full_text)
    return ParsedReply(
        sender=sender,
        sender_email=sender_email,
        sent_at=parse_date(_header(message, "date"), UTC),
        subject=subject,
        body_text=body_text,
        body_html_safe=sanitize_html(html) if html else "",
        language=detect_language(f"{subject}\n{body_text}"),
        attachments=attachments,
        full_text=full_text,
    )


def _header(message: Message, name: str) -> str:
    try:
        value = message[name]
        return unsurrogate(str(value)) if value is not None else ""
    except Exception:  # the header parser fails in many ways on hostile input; a bad header is no header
        return ""


def _sender(message: Message) -> tuple[str, str]:
    """The display name and address of the first sender, each "" when the header does not say."""
    return split_address(_header(message, "from"))


# "Jane Doe <jane@example.com>", and Outlook's unquoted "Jansen, Pieter <p.jansen@example.nl>", which the
# address list parsers split at the comma.
_NAME_AND_ADDRESS_RE = re.compile(r"^(.*?)\s*<\s*([^<>\s]+@[^<>\s]+?)\s*>\s*$")


def split_address(value: str) -> tuple[str, str]:
    """("Name", "address@example.com") from a From value; "" for whichever part is missing."""
    value = one_line(value)
    if match := _NAME_AND_ADDRESS_RE.match(value):
        name, address = match[1], match[2]
    elif "@" in value:
        name, address = next(iter(getaddresses([value])), ("", ""))
    else:
        name, address = value, ""  # "From: Jansen, Pieter" (Outlook within a company): a name only
    return one_line(name).strip("\"' "), address if "@" in address else ""


def _read_parts(message: Message) -> tuple[str, str, list[tuple[str, int]]]:
    """The first text/plain and text/html body parts, decoded, and every other leaf part as an attachment."""
    plain = html = ""
    attachments: list[tuple[str, int]] = []
    for part, depth in _leaves(message):
        if depth > _MAX_DEPTH or len(attachments) >= _MAX_PARTS:
            break
        content_type = part.get_content_type()
        is_body = content_type in ("text/plain", "text/html") and not _is_attachment(part)
        if is_body and content_type == "text/plain" and not plain:
            plain = _plain_text(part)
        elif is_body and content_type == "text/html" and not html:
            html = _decoded(part)
        elif not is_body:
            attachments.append((_attachment_name(part), _size(part)))
    return plain, html, attachments


def _leaves(message: Message) -> list[tuple[Message, int]]:
    """The non-multipart parts, depth first, without recursion (hostile mails nest deeply)."""
    leaves: list[tuple[Message, int]] = []
    stack: list[tuple[Message, int]] = [(message, 0)]
    while stack and len(leaves) < _MAX_PARTS:
        part, depth = stack.pop()
        payload = part.get_payload()
        # An attached mail (message/rfc822) is an attachment like any other: its text is not this reply's.
        nested = part.is_multipart() and part.get_content_maintype() == "multipart"
        if nested and isinstance(payload, list) and depth < _MAX_DEPTH:
            stack.extend((child, depth + 1) for child in reversed(payload) if isinstance(child, Message))
        else:
            leaves.append((part, depth))
    return leaves


def _is_attachment(part: Message) -> bool:
    # A named text part is a file the sender attached (a .txt, a .html), even when marked inline.
    return part.get_content_disposition() == "attachment" or bool(part.get_filename())


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    declared = str(part.get_param("charset") or "")
    if not declared and part.get_content_type() == "text/html":
        match = _HTML_CHARSET_RE.search(data[:4096])
        declared = match[1].decode("ascii") if match else ""
    return decode_bytes(data, declared)


def _plain_text(part: Message) -> str:
    text = _decoded(part).replace("\r\n", "\n")
    if str(part.get_param("format") or "").lower() == "flowed":
        # Before normalising: the trailing spaces that normalize_text removes are what marks a soft break.
        text = _unflow(text, delete_space=str(part.get_param("delsp") or "").lower() == "yes")
    return normalize_text(text)


def _unflow(text: str, *, delete_space: bool) -> str:
    """RFC 3676 format=flowed: a line ending in a space continues on the next one (quotes stay apart)."""
    lines: list[str] = []
    joining = False
    for line in text.split("\n"):
        if joining and lines and not line.startswith(">"):
            lines[-1] += line
        else:
            lines.append(line)
        joining = line.endswith(" ") and line.strip() != "--"
        if joining and delete_space:
            lines[-1] = lines[-1][:-1]
    return "\n".join(lines)


def _attachment_name(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # a garbled file name parameter leaves the attachment unnamed
        name = ""
    # Only ever shown, never used as a path; still, a path or control characters in it say nothing useful.
    name = one_line(unsurrogate(name)).replace("\\", "/").rsplit("/", 1)[-1][:_MAX_NAME]
    return name or part.get_content_type()


def _size(part: Message) -> int:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return len(payload)
    try:
        return len(part.as_bytes())  # an attached mail (message/rfc822) has no payload of its own
    except Exception:  # the size of an attached mail we cannot serialise is unknown
        return 0


# --- pasted text ----------------------------------------------------------------------------------------

# The header labels mail programs print above a message, in our five languages. "Sent" is what Outlook
# prints for the date. Labels we recognise but do not use (To, Cc) are still part of the header block.
_LABELS = {
    "from": "from", "van": "from", "fra": "from", "von": "from", "από": "from", "απο": "from",
    "date": "date", "sent": "date", "datum": "date", "verzonden": "date", "dato": "date", "sendt": "date",
    "gesendet": "date", "ημερομηνία": "date", "ημερομηνια": "date", "στάλθηκε": "date", "σταλθηκε": "date",
    "subject": "subject", "onderwerp": "subject", "emne": "subject", "betreff": "subject",
    "θέμα": "subject", "θεμα": "subject",
    "to": "to", "aan": "to", "til": "to", "an": "to", "προς": "to",
    "cc": "cc", "kopie": "cc", "kopi": "cc", "κοιν.": "cc", "κοιν": "cc", "bcc": "cc",
    "reply-to": "reply-to", "antwoord aan": "reply-to", "svar til": "reply-to", "antwort an": "reply-to",
}  # fmt: skip
# "From: …", "**From:** …" (Markdown copies), "From:\t…"; the value may be empty on this line.
_LABEL_ALTERNATIVES = "|".join(sorted(map(re.escape, _LABELS), key=len, reverse=True))
_LABEL_LINE_RE = re.compile(rf"^\s*\**\s*({_LABEL_ALTERNATIVES})\s*\**\s*:\**\s*(.*)$", re.IGNORECASE)
# What some programs print above a forwarded or copied message.
_PRELUDE_RE = re.compile(
    r"^\s*(?:[-=_*]{2,}.*[-=_*]{2,}|begin forwarded message:|begin doorgestuurd bericht:"
    r"|videresendt melding:|anfang der weitergeleiteten nachricht:|έναρξη προωθημένου μηνύματος:)\s*$",
    re.IGNORECASE,
)
_MAILTO_RE = re.compile(r"\[mailto:([^\]\s]+)\]", re.IGNORECASE)
_MAX_HEADER_LINES = 12


def parse_pasted(text: str, *, max_chars: int = 1_000_000, tz: tzinfo | None = None) -> ParsedReply:
    """A reply pasted from a mail program, with or without the header lines above it.

    A date without a zone is read in `tz`, by default the current time zone (the user's, where the
    request activated it).
    """
    if len(text) > max_chars:
        raise ReplyRefused("too_large")
    # Kept whole, but tidied: control characters (a NUL cannot even be stored in PostgreSQL) and invisible
    # ones go, line breaks become "\n".
    full_text = normalize_text(text)
    if not full_text.strip():
        raise ReplyRefused("empty")
    headers, body_lines = _split_headers(full_text.split("\n"))
    body = normalize_text("\n".join(body_lines))
    if not body:
        raise ReplyRefused("empty")
    name, address = split_address(_MAILTO_RE.sub(r"<\1>", headers.get("from", "")))
    subject = one_line(headers.get("subject", ""))
    body_text = strip_quoted(body)
    date = headers.get("date", "")
    return ParsedReply(
        sender=name,
        sender_email=address,
        sent_at=parse_date(date, tz or timezone.get_current_timezone()) if date else None,
        subject=subject,
        body_text=body_text,
        body_html_safe="",
        language=detect_language(f"{subject}\n{body_text}"),
        attachments=[],
        full_text=full_text,
    )


def _split_headers(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The header lines at the top of a pasted reply (by their meaning: "from", "date", …), and the rest."""
    index = 0
    while index < len(lines) and (not lines[index].strip() or _PRELUDE_RE.match(lines[index])):
        index += 1
    headers: dict[str, str] = {}
    last = ""
    start = index
    while index < len(lines) and index - start < _MAX_HEADER_LINES:
        line = lines[index]
        match = _LABEL_LINE_RE.match(line)
        if match:
            last = _LABELS[match[1].lower()]
            headers.setdefault(last, match[2].strip())
        elif last and line[:1] in (" ", "\t") and line.strip():
            headers[last] = (headers[last] + " " + line.strip()).strip()  # a long value wrapped
        else:
            break
        index += 1
    # One label alone ("To: you") is how a letter may start too; a header block names the sender, the date
    # or the subject.
    if not headers.keys() & {"from", "date", "subject"}:
        return {}, lines
    return headers, lines[index:]
