"""Removing the quoted history under a reply, where the mail marks it clearly.

Only clear marks count, in English, Dutch, Norwegian, German and Greek, as the common mail programs write
them: an attribution line ("On … wrote:", "Op … schreef …:", "Den … skrev …:", "Am … schrieb …:",
"Στις … έγραψε:"), lines quoted with ">", a separator ("-----Original Message-----" and its translations,
Outlook's line of underscores) and a block of header lines ("From: … Sent: …", "Von: … Gesendet: …").
Text that merely looks old is kept: losing part of the employer's answer is worse than keeping a quote.
"""

from __future__ import annotations

import re

from applications.replies.text import normalize_text

_VERBS = r"(?:wrote|schreef|het volgende geschreven|skrev|schrieb|έγραψε|εγραψε)"
# "On Mon, 3 Mar 2025 at 10:14, Jane Doe <jane@example.com> wrote:"; Dutch, Norwegian and German put the
# writer after the verb ("schreef Jan <jan@example.nl>:"), so a name may come between the verb and colon.
_ATTRIBUTION_RE = re.compile(
    rf"^\s*(?:(?:on|op|den|am|le|στις)\s.{{0,300}}?|.{{0,300}}?[\d@].{{0,300}}?)"
    rf"\b{_VERBS}(?:\s[^:]{{0,160}})?\s*:\s*$",
    re.IGNORECASE,
)
_SEPARATOR_RE = re.compile(
    r"^\s*[-=_*]{2,}\s*(?:"
    r"original message|forwarded message|oorspronkelijk bericht|origineel bericht|doorgestuurd bericht"
    r"|opprinnelig melding|opprinnelig e-post|opprinneleg melding|videresendt melding"
    r"|urspr(?:ü|ue)ngliche nachricht|originalnachricht|weitergeleitete nachricht"
    r"|αρχικό μήνυμα|αρχικο μηνυμα|προωθημένο μήνυμα|προωθημενο μηνυμα"
    r")\s*[-=_*]{2,}\s*$",
    re.IGNORECASE,
)
_UNDERSCORES_RE = re.compile(r"^\s*_{10,}\s*$")
_FROM_RE = re.compile(r"^\s*\**\s*(?:from|van|fra|von|από|απο)\s*\**\s*:", re.IGNORECASE)
# Another header line of the same block saying when it was sent or what about. "To:" alone does not count:
# "From: 1 April / To: 30 June" in a letter is a period, not a quoted message.
_HEADER_AFTER_FROM_RE = re.compile(
    r"^\s*\**\s*(?:sent|date|subject|verzonden|datum|onderwerp|sendt|dato|emne|gesendet|betreff"
    r"|στάλθηκε|σταλθηκε|ημερομηνία|ημερομηνια|θέμα|θεμα)\s*\**\s*:",
    re.IGNORECASE,
)
_QUOTED_RE = re.compile(r"^\s*>")
# Mail programs wrap a long attribution line; its parts are joined back before matching. Longer lines are
# prose, and are not even tried (which also keeps the pattern's backtracking cheap).
_ATTRIBUTION_LINES = 3
_MAX_ATTRIBUTION_CHARS = 400
_HEADER_BLOCK_LINES = 4


def strip_quoted(text: str) -> str:
    """The reply without the history quoted under (or inside) it; the whole text if nothing else is left."""
    lines = text.split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _SEPARATOR_RE.match(line) or _starts_header_block(lines, index):
            break
        attribution = _attribution_length(lines, index)
        if attribution:
            after = index + attribution
            next_text = next((later for later in lines[after:] if later.strip()), "")
            if not _QUOTED_RE.match(next_text):
                # History that is not quoted line by line: everything below the attribution is old.
                break
            # Quoted with ">": the reply may answer between the quotes, so only the quoted lines go.
            index = after
            continue
        if not _QUOTED_RE.match(line):
            kept.append(line)
        index += 1
    stripped = normalize_text("\n".join(kept))
    return stripped or normalize_text(text)


def _attribution_length(lines: list[str], index: int) -> int:
    """How many lines (1 to 3) the attribution starting at `index` spans, or 0 when there is none."""
    if not lines[index].strip() or _QUOTED_RE.match(lines[index]):
        return 0
    for length in range(1, _ATTRIBUTION_LINES + 1):
        if index + length > len(lines):
            break
        joined = " ".join(line.strip() for line in lines[index : index + length])
        if len(joined) > _MAX_ATTRIBUTION_CHARS:
            break
        if joined.endswith(":") and _ATTRIBUTION_RE.match(joined):
            return length
        if not lines[index + length - 1].strip():
            break
    return 0


def _starts_header_block(lines: list[str], index: int) -> bool:
    """A "From:" line followed by another header line: a message included below the reply (Outlook)."""
    if _UNDERSCORES_RE.match(lines[index]):
        following = [line for line in lines[index + 1 : index + 3] if line.strip()]
        return bool(following) and _FROM_RE.match(following[0]) is not None
    if not _FROM_RE.match(lines[index]):
        return False
    following = lines[index + 1 : index + 1 + _HEADER_BLOCK_LINES]
    return any(_HEADER_AFTER_FROM_RE.match(line) for line in following)
