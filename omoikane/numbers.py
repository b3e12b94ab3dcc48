"""Whole numbers that come from outside: query strings, path parts, headers, attributes of uploaded files.

`str.isdigit()` is the wrong test for them: it accepts "²" and "٣", which `int()` then refuses or reads, and
it accepts 4,301 digits, which `int()` refuses. One strict reader, used everywhere, so a request with an odd
number is answered like any other wrong value (no match, the first page, a 404), never with a 500.

It imports nothing from Django: the sandboxed extraction worker reads numbers in documents with it too.
"""

from __future__ import annotations

import re

# The largest key PostgreSQL's bigint and SQLite's integer can hold: a larger number cannot name a row.
MAX_ID = 2**63 - 1
# ASCII digits only, at most as many as MAX_ID has: no sign, no spaces, no other scripts' digits.
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_int(value: str | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The number `value` spells in ASCII digits when it lies in [minimum, maximum], else None.

    None, "", "-1", " 1", "1.0", "²", "٣" and "9" * 4301 are all None, never an exception.
    """
    if value is None or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


class IdConverter:
    """The `<id:pk>` path part: a row's key, so a URL with anything else does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_int(value)
        if number is None:
            raise ValueError(value)  # Django's resolver reads a ValueError as "this route does not match"
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))
