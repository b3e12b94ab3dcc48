"""Every request to a calendar server goes through the posting import's guard (applications/importing/
fetch.py): http(s) only, the standard ports, every address public and the connection pinned to it, redirects
checked hop by hop, bodies capped. The refusals are said again here in a calendar's words.

CALENDAR_TEST_LOOPBACK_PORTS opens 127.0.0.1 on the given ports for the tests' Radicale server; it is not
read from the environment, and a system check refuses it in production (checks.py).
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Mapping

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications.importing.fetch import Answer, ImportRefused, request
from omoikane.errors import Refused

# A calendar file or a server answer larger than this is refused, not cut: half a calendar looks whole.
MAX_ICS_BYTES = 5_000_000
MAX_DAV_BYTES = 20_000_000

MESSAGES: dict[str, Promise] = {
    "invalid_url": _(
        "This doesn't look like a web address. Copy the full address (it starts with https://)."
    ),
    "scheme": _("Only addresses that start with https:// or http:// can be connected."),
    "credentials": _("Put the user name and password in their own fields, not in the address."),
    "port": _(
        "Only calendar servers on the standard ports can be connected (addresses without a “:number” after "
        "the server's name)."
    ),
    "private_address": _(
        "That address points inside a private network; only calendar servers on the public internet can be "
        "connected."
    ),
    "not_found": _("We could not find that server. Check the address for typos."),
    "unreachable": _("We could not connect to the calendar server. We will try again later."),
    "tls": _(
        "We could not open a secure connection to the calendar server (its certificate is not valid, or its "
        "encryption is outdated)."
    ),
    "broken_response": _("The calendar server sent an answer we could not read. We will try again later."),
    "bad_redirect": _("The calendar server sent us on to an address we can't follow."),
    "too_many_redirects": _("The calendar server sent us on too many times."),
    "timeout": _("The calendar server did not answer in time. We will try again later."),
    "too_large": _(
        "The calendar is larger than we read (5 MB for a calendar file). Connect a smaller calendar, or one "
        "with fewer old events."
    ),
    "unauthorized": _(
        "The calendar server did not accept the user name and password. Many servers need an app password "
        "made for this: create one in your calendar account and connect again."
    ),
    "forbidden": _("The calendar server refused us access to this calendar."),
    "server_error": _("The calendar server had an error. We will try again later."),
    "http_error": _("The calendar server answered with an error. Check the address."),
    "not_caldav": _(
        "We found no calendar at that address. Give the address of your CalDAV server or calendar (your "
        "provider's help pages list it)."
    ),
    "not_ics": _("That address does not lead to a calendar file (.ics)."),
    "malformed": _("The calendar file could not be read: it is not valid iCalendar."),
    "no_password": _("Connect the calendar again: its password could not be read."),
    "read_only": _("This calendar is read only."),
}


class CalendarRefused(Refused):
    """A calendar we cannot connect to, sync or write to, with why in plain words."""

    messages = MESSAGES


def _allowance() -> tuple[frozenset[ipaddress.IPv4Address], frozenset[int]]:
    ports = frozenset(int(p) for p in settings.CALENDAR_TEST_LOOPBACK_PORTS)
    if not ports:
        return frozenset(), frozenset()
    return frozenset({ipaddress.IPv4Address("127.0.0.1")}), ports


def basic_auth(username: str, password: str) -> str:
    raw = f"{username}:{password}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def send(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    authorization: str | None = None,
    max_bytes: int = MAX_DAV_BYTES,
) -> Answer:
    """The server's answer; CalendarRefused for anything the guard refuses or the network fails at, and for a
    401, 403 or 5xx (which no caller can do anything with but tell the user)."""
    addresses, ports = _allowance()
    try:
        answer = request(
            method,
            url,
            headers=headers,
            content=content,
            authorization=authorization,
            max_bytes=max_bytes,
            timeout=float(settings.CALENDAR_TIMEOUT_SECONDS),
            allow_addresses=addresses,
            allow_ports=ports,
        )
    except ImportRefused as refused:
        code = refused.code if refused.code in MESSAGES else "broken_response"
        raise CalendarRefused(code) from None
    if answer.status == 401:
        raise CalendarRefused("unauthorized")
    if answer.status == 403:
        raise CalendarRefused("forbidden")
    if answer.status >= 500:
        raise CalendarRefused("server_error")
    return answer
