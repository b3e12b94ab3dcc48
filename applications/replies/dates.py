"""Reading the date of a reply: RFC 2822 from a mail's Date header, or as mail programs print it.

Pasted replies carry dates the way each program and language shows them: "Mon, Mar 3, 2025 at 10:14 AM",
"maandag 3 maart 2025 10:14", "mandag 3. mars 2025 kl. 10.14", "Montag, 3. März 2025 um 10:14",
"Δευτέρα, 3 Μαρτίου 2025 10:14 π.μ.", "2025-03-03 10:14", "03.03.2025 10:14". Anything we cannot read
with confidence is None: a wrong date is worse than none.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

from applications.replies.text import one_line
from omoikane.text import fold

# Month names by their folded beginnings (see text.fold), in the five languages. Four letters where three
# would be ambiguous (Greek June and July); "maa" and "mrt" are Dutch March, "des" and "dez" December.
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "maa": 3, "mrt": 3, "apr": 4, "may": 5, "mei": 5, "mai": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "des": 12, "dez": 12,
    "ιαν": 1, "φεβ": 2, "μαρ": 3, "απρ": 4, "μαι": 5, "ιουν": 6, "ιουλ": 7, "αυγ": 8, "σεπ": 9,
    "οκτ": 10, "νοε": 11, "δεκ": 12,
}  # fmt: skip
_MAX_MONTH_WORD = 12
# Zones mail programs print by name, for the countries we serve; other names are not guessed.
_ZONES = {
    "utc": 0, "gmt": 0, "z": 0, "ut": 0, "wet": 0, "bst": 60, "west": 60, "cet": 60, "mez": 60,
    "cest": 120, "mesz": 120, "eet": 120, "eest": 180,
}  # fmt: skip
_MIN_YEAR = 1970
_MAX_YEAR = 2200

_WORD = r"([^\W\d_]{3,12})"
_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC_RE = re.compile(r"(?<![\d.])(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\d])")
_DAY_MONTH_RE = re.compile(rf"(?<!\d)(\d{{1,2}})\.?\s+{_WORD}\.?,?\s+(\d{{4}})(?!\d)")
_MONTH_DAY_RE = re.compile(rf"{_WORD}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\.?,?\s+(\d{{4}})(?!\d)")
_TIME_RE = re.compile(
    r"(?<![\d:.])(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?![\d:])"
    r"(?:\s*(a\.?m\.?|p\.?m\.?|π\.?\s?μ\.?|μ\.?\s?μ\.?)(?!\w))?"
)
_HOUR_ONLY_RE = re.compile(r"(?<![\d:.])(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)(?!\w)")
_OFFSET_RE = re.compile(r"\s*(?:(?:gmt|utc)\s*)?([+-])(\d{1,2}):?(\d{2})?(?!\d)")
# The stdlib's RFC 2822 reader is lenient: it also accepts "March 3, 2025 10:14 PM" and silently drops the
# "PM". It only gets strings of the RFC's own shape (weekday, day, month, year, time, zone).
_RFC_SHAPE_RE = re.compile(
    r"^(?:[a-z]{2,9}\.?,?\s+)?\d{1,2}\s+[a-z]{3,9}\.?\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*(?:[+-]\d{4}|(?!(?:am|pm)\b)[a-z]{1,5}))?(?:\s*\(.*\))?$"
)
_ZONE_NAME_RE = re.compile(r"\b(" + "|".join(sorted(_ZONES, key=len, reverse=True)) + r")\b")


def parse_date(value: str, default_tz: tzinfo) -> datetime | None:
    """A timezone-aware datetime, or None. A date printed without a zone is read in `default_tz`."""
    value = one_line(value)
    if not value:
        return None
    folded = fold(value)
    parsed: datetime | None = None
    if _RFC_SHAPE_RE.match(folded):
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed = None  # not English names ("maandag 3 maart 2025 10:14"), or an impossible day or hour
    if parsed is None:
        parsed = _parse_loose(folded, default_tz)
    if parsed is None or not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    # RFC 2822's "-0000" means "UTC, local zone unknown"; the stdlib gives it as a naive datetime.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=default_tz)


def _parse_loose(folded: str, default_tz: tzinfo) -> datetime | None:
    found = _find_date(folded)
    if found is None:
        return None
    (year, month, day), (start, end) = found
    rest = folded[:start] + " " + folded[end:]
    hour, minute, second, time_end = _find_time(rest)
    zone = _find_zone(rest[time_end:]) if time_end else None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone or default_tz)
    except ValueError:
        return None


def _find_date(folded: str) -> tuple[tuple[int, int, int], tuple[int, int]] | None:
    if match := _ISO_RE.search(folded):
        return (int(match[1]), int(match[2]), int(match[3])), match.span()
    if match := _DAY_MONTH_RE.search(folded):
        month = _month(match[2])
        if month:
            return (int(match[3]), month, int(match[1])), match.span()
    if match := _MONTH_DAY_RE.search(folded):
        month = _month(match[1])
        if month:
            return (int(match[3]), month, int(match[2])), match.span()
    if match := _NUMERIC_RE.search(folded):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if year < 100:
            year += 2000 if year < 70 else 1900
        # Day first, as in every language we serve (and British English); month first only when the
        # second number cannot be a month, as in the American "3/14/2025".
        day, month = (second, first) if second > 12 >= first else (first, second)
        return (year, month, day), match.span()
    return None


def _month(word: str) -> int:
    if len(word) > _MAX_MONTH_WORD:
        return 0
    return _MONTHS.get(word[:4]) or _MONTHS.get(word[:3]) or 0


def _find_time(text: str) -> tuple[int, int, int, int]:
    """Hour, minute, second and where the time ends in `text`; midnight and 0 when there is no time."""
    if match := _TIME_RE.search(text):
        hour = _twelve_hour(int(match[1]), match[4] or "")
        return hour, int(match[2]), int(match[3] or 0), match.end()
    if match := _HOUR_ONLY_RE.search(text):
        return _twelve_hour(int(match[1]), match[2]), 0, 0, match.end()
    return 0, 0, 0, 0


def _twelve_hour(hour: int, marker: str) -> int:
    letters = re.sub(r"[.\s]", "", marker)
    if letters in ("pm", "μμ") and hour < 12:
        return hour + 12
    if letters in ("am", "πμ") and hour == 12:
        return 0
    return hour


def _find_zone(text: str) -> tzinfo | None:
    if match := _OFFSET_RE.match(text):
        minutes = int(match[2]) * 60 + int(match[3] or 0)
        if minutes < 24 * 60:
            return timezone(timedelta(minutes=minutes if match[1] == "+" else -minutes))
    if match := _ZONE_NAME_RE.search(text[:20]):
        return timezone(timedelta(minutes=_ZONES[match[1]]))
    return None
