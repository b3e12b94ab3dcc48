"""Who the letter is from, as printed above it: read from the user's primary CV when it says, else the
account's name and email address."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.checks import emails, name_from_cv, phones, urls

# The separators a CV header puts between its facts: "Backend engineer · Trondheim, Norway · a@b.org".
_SEPARATORS = re.compile(r"\s*[·|•‧∙]\s*|\s{3,}")
# Only the top of a CV is its header: the name, a headline and the contact line.
_HEADER_LINES = 6


@dataclass(frozen=True)
class Sender:
    name: str
    lines: tuple[str, ...]
    city: str


def sender_from_cv(name: str, email: str, cv_text: str) -> Sender:
    """Contact lines and city from the CV's header, falling back to the account's email address."""
    header = [line.strip().lstrip("#").strip() for line in cv_text.strip().splitlines()[:_HEADER_LINES]]
    contact_line = next((line for line in header if emails(line) or phones(line)), "")
    found_email = next(iter(emails(contact_line)), "")
    found_phone = next(iter(phones(contact_line)), "")
    found_url = next(iter(urls(contact_line)), "")
    city = ""
    pieces = [piece for piece in _SEPARATORS.split(contact_line) if piece]
    # The headline comes first ("Backend engineer"), the contact details last; a place is what is left,
    # the first piece that is neither.
    for position, piece in enumerate(pieces):
        if emails(piece) or phones(piece) or urls(piece):
            continue
        if position == 0 and len(pieces) > 2:
            continue
        if piece[:1].isupper():
            city = piece
            break
    lines = [line for line in (city, found_email or email, found_phone, found_url) if line]
    return Sender(
        name=name or name_from_cv(cv_text) or email, lines=tuple(lines), city=city.split(",")[0].strip()
    )
