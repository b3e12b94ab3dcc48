"""The small part of CalDAV (RFC 4791, with the CTag of calendarserver.org and RFC 6578's sync-token) that
syncing needs: discovery, a calendar's change markers, the ETags of its events in a time range, the events
themselves, and writing one event. Every request goes through net.send (the import's address checks).

Discovery follows RFC 6764 and what Nextcloud, Fastmail, iCloud and Radicale answer: the address the user
gave, else its /.well-known/caldav; then the current user's principal, its calendar home, and the first
calendar there that holds events. An address that is a calendar itself is used as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree  # type: ignore[import-untyped]

from calendars.net import CalendarRefused, send

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CS = "http://calendarserver.org/ns/"
_NS = {"d": DAV, "c": CALDAV, "cs": CS}
MULTIGET_BATCH = 200
# The parser refuses entities and network access: an answer is data, never instructions to fetch more.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


@dataclass(frozen=True)
class Server:
    """A calendar server as the user gave it, with the Authorization header for it."""

    authorization: str


@dataclass(frozen=True)
class FoundCalendar:
    url: str
    name: str


@dataclass(frozen=True)
class Markers:
    ctag: str
    sync_token: str


def _propfind(server: Server, url: str, props: str, depth: str) -> list[etree._Element]:
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><d:propfind {_xmlns()}><d:prop>{props}</d:prop></d:propfind>'
    )
    answer = send(
        "PROPFIND",
        url,
        headers={
            "Depth": depth,
            "Content-Type": "application/xml; charset=utf-8",
            "Accept": "application/xml",
        },
        content=body.encode(),
        authorization=server.authorization,
    )
    if answer.status != 207:
        raise CalendarRefused("not_caldav")
    return _responses(answer.body)


def _xmlns() -> str:
    return " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _NS.items())


def _responses(body: bytes) -> list[etree._Element]:
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError:
        raise CalendarRefused("broken_response") from None
    return list(root.iterfind("d:response", _NS))


def _href(response: etree._Element, base: str) -> str:
    return urljoin(base, (response.findtext("d:href", default="", namespaces=_NS) or "").strip())


def _ok_prop(response: etree._Element, path: str) -> etree._Element | None:
    """The property at `path` inside a propstat whose status is 200."""
    for propstat in response.iterfind("d:propstat", _NS):
        status = propstat.findtext("d:status", default="", namespaces=_NS) or ""
        if " 200 " not in f"{status} ":
            continue
        found = propstat.find(f"d:prop/{path}", _NS)
        if found is not None:
            return found
    return None


def _is_calendar(response: etree._Element) -> bool:
    kind = _ok_prop(response, "d:resourcetype")
    if kind is None or kind.find("c:calendar", _NS) is None:
        return False
    components = _ok_prop(response, "c:supported-calendar-component-set")
    if components is None:
        return True  # not every server lists them; a calendar without the list may hold events
    return any(comp.get("name", "").upper() == "VEVENT" for comp in components.iterfind("c:comp", _NS))


def _text(response: etree._Element, path: str) -> str:
    found = _ok_prop(response, path)
    return (found.text or "").strip() if found is not None else ""


def _linked(response: etree._Element, path: str, base: str) -> str:
    found = _ok_prop(response, path)
    href = found.findtext("d:href", default="", namespaces=_NS) if found is not None else ""
    return urljoin(base, href.strip()) if href else ""


def discover(server: Server, url: str) -> FoundCalendar:
    """The calendar to sync, found from the address the user gave."""
    props = "<d:resourcetype/><d:displayname/><d:current-user-principal/><c:calendar-home-set/>"
    props += "<c:supported-calendar-component-set/>"
    candidates = [url]
    parts = urlsplit(url)
    well_known = f"{parts.scheme}://{parts.netloc}/.well-known/caldav"
    if url.rstrip("/") != well_known:
        candidates.append(well_known)
    first_error: CalendarRefused | None = None
    for candidate in candidates:
        try:
            responses = _propfind(server, candidate, props, "0")
        except CalendarRefused as refused:
            if refused.code != "not_caldav":
                raise
            first_error = first_error or refused
            continue
        if not responses:
            continue
        here = responses[0]
        base = _href(here, candidate) or candidate
        if _is_calendar(here):
            return FoundCalendar(url=base, name=_text(here, "d:displayname"))
        home = _linked(here, "c:calendar-home-set", base)
        if not home:
            principal = _linked(here, "d:current-user-principal", base)
            if principal:
                found = _propfind(server, principal, "<c:calendar-home-set/>", "0")
                home = _linked(found[0], "c:calendar-home-set", principal) if found else ""
        if home:
            calendar = _first_calendar(server, home)
            if calendar is not None:
                return calendar
    raise first_error or CalendarRefused("not_caldav")


def _first_calendar(server: Server, home: str) -> FoundCalendar | None:
    props = "<d:resourcetype/><d:displayname/><c:supported-calendar-component-set/>"
    found = [
        FoundCalendar(url=_href(r, home), name=_text(r, "d:displayname"))
        for r in _propfind(server, home, props, "1")
        if _is_calendar(r)
    ]
    # Sorted by address: the same calendar every time, whatever order the server lists them in.
    return min(found, key=lambda c: c.url) if found else None


def markers(server: Server, calendar_url: str) -> Markers:
    """The calendar's change markers: when both are what we saw last time, nothing changed."""
    found = _propfind(server, calendar_url, "<cs:getctag/><d:sync-token/>", "0")
    if not found:
        return Markers("", "")
    return Markers(ctag=_text(found[0], "cs:getctag"), sync_token=_text(found[0], "d:sync-token"))


def etags(server: Server, calendar_url: str, start: str, end: str) -> dict[str, str]:
    """{href: ETag} of every event in the calendar that has an occurrence between `start` and `end` (UTC,
    "20260101T000000Z"): recurring events whose series started long ago included."""
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><c:calendar-query {_xmlns()}>'
        "<d:prop><d:getetag/></d:prop>"
        '<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">'
        f'<c:time-range start="{start}" end="{end}"/>'
        "</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"
    )
    answer = send(
        "REPORT",
        calendar_url,
        headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8", "Accept": "application/xml"},
        content=body.encode(),
        authorization=server.authorization,
    )
    if answer.status != 207:
        raise CalendarRefused("not_caldav")
    return {
        _href(r, calendar_url): _text(r, "d:getetag")
        for r in _responses(answer.body)
        if _ok_prop(r, "d:getetag") is not None
    }


def fetch_events(server: Server, calendar_url: str, hrefs: Iterable[str]) -> Iterator[tuple[str, str, bytes]]:
    """(href, ETag, iCalendar text) of each event named, a few hundred per request."""
    wanted = list(hrefs)
    for index in range(0, len(wanted), MULTIGET_BATCH):
        batch = wanted[index : index + MULTIGET_BATCH]
        refs = "".join(f"<d:href>{_escape(urlsplit(h).path)}</d:href>" for h in batch)
        body = (
            f'<?xml version="1.0" encoding="utf-8"?><c:calendar-multiget {_xmlns()}>'
            f"<d:prop><d:getetag/><c:calendar-data/></d:prop>{refs}</c:calendar-multiget>"
        )
        answer = send(
            "REPORT",
            calendar_url,
            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
            content=body.encode(),
            authorization=server.authorization,
        )
        if answer.status != 207:
            raise CalendarRefused("not_caldav")
        for response in _responses(answer.body):
            data = _text(response, "c:calendar-data")
            if data:
                yield _href(response, calendar_url), _text(response, "d:getetag"), data.encode("utf-8")


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def put_event(server: Server, calendar_url: str, uid: str, ics: bytes) -> tuple[str, str]:
    """Write a new event into the calendar; its (href, ETag). Never overwrites one (If-None-Match: *)."""
    href = urljoin(calendar_url if calendar_url.endswith("/") else calendar_url + "/", f"{uid}.ics")
    answer = send(
        "PUT",
        href,
        headers={"Content-Type": "text/calendar; charset=utf-8", "If-None-Match": "*"},
        content=ics,
        authorization=server.authorization,
    )
    if answer.status not in (200, 201, 204):
        raise CalendarRefused("http_error")
    return href, answer.headers.get("etag", "")


def same_resource(a: str, b: str) -> bool:
    return unquote(urlsplit(a).path) == unquote(urlsplit(b).path)
