"""The interview time in an invitation: the first date in the reply's own text (quoted lines left out) that
lies after the reply came in, read by the reply reader's date parser. A suggestion for the form, which the
user checks before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from applications.models import Reply
from applications.replies.dates import parse_date

_PIECES = re.compile(r"(?<=[.!?])\s+|\n")
# Replies carry the letter they answer below them; its dates are not the interview's.
_QUOTE_START = re.compile(r"^\s*(>|-{2,}|_{5,}|on .{5,80} wrote:|op .{5,80} schreef)", re.IGNORECASE)


def suggested_time(reply: Reply, zone: ZoneInfo) -> dt.datetime | None:
    received = reply.sent_at or reply.received_at
    for piece in _PIECES.split(reply.body_text):
        if _QUOTE_START.match(piece):
            break
        found = parse_date(piece, zone)
        if found is not None and found > received:
            return found.astimezone(zone)
    return None
