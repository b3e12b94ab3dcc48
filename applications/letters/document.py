"""A letter as it is printed: who writes, to whom, where and when, and the body.

`LetterDocument` is what the PDF renderer (applications.letters.pdf) takes. The place-and-date line
follows the conventions of the letter's language, not of the interface: a Norwegian letter reads
"Oslo, 27. november 2026" whatever language the user reads Omoikane in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Month names as they stand in a date line (German, Dutch and Norwegian write them in full; Greek uses
# the genitive, "27 Νοεμβρίου 2026").
_MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ),
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
        "november", "december",
    ),
    "nb": (
        "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
        "november", "desember",
    ),
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
        "November", "Dezember",
    ),
    "el": (
        "Ιανουαρίου", "Φεβρουαρίου", "Μαρτίου", "Απριλίου", "Μαΐου", "Ιουνίου", "Ιουλίου", "Αυγούστου",
        "Σεπτεμβρίου", "Οκτωβρίου", "Νοεμβρίου", "Δεκεμβρίου",
    ),
}  # fmt: skip
# Norwegian Nynorsk and the bare "no" write dates as Bokmål does.
_ALIASES = {"no": "nb", "nn": "nb"}
# Languages that put a full stop after the day: "27. november", "27. November".
_ORDINAL_DOT = frozenset({"nb", "de"})


def format_date(day: dt.date, language: str) -> str:
    """The date as a letter in `language` writes it; English for a language we have no names for."""
    code = _ALIASES.get(language, language)
    months = _MONTHS.get(code, _MONTHS["en"])
    dot = "." if code in _ORDINAL_DOT else ""
    return f"{day.day}{dot} {months[day.month - 1]} {day.year}"


def place_and_date(place: str, day: dt.date, language: str) -> str:
    """ "Oslo, 27. november 2026"; only the date when the place is unknown."""
    date = format_date(day, language)
    return f"{place.strip()}, {date}" if place.strip() else date


@dataclass(frozen=True)
class LetterDocument:
    sender_name: str
    # Address and contact lines under the name: email, phone, city.
    sender_lines: tuple[str, ...]
    # Company and location.
    recipient_lines: tuple[str, ...]
    # Already formatted in the letter's language (place_and_date()).
    place_and_date: str
    subject: str
    # Paragraphs separated by blank lines.
    body: str
    # ISO 639-1.
    language: str
    # Justified paragraphs, or ragged right (the default: no wide gaps between words).
    justify: bool = False


# The subject line's lead word, in the letter's language.
_SUBJECT = {"en": "Application", "nl": "Sollicitatie", "nb": "Søknad", "de": "Bewerbung", "el": "Αίτηση"}


def subject_line(title: str, language: str) -> str:
    """ "Søknad: Backendutvikler"."""
    lead = _SUBJECT.get(_ALIASES.get(language, language), _SUBJECT["en"])
    return f"{lead}: {title}"
