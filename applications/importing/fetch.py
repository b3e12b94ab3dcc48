"""Fetching the web page of a job posting, without letting the user's URL reach into our own network.

The URL comes from a user, so it is treated as a server-side request forgery attempt until it has
passed every check below, at every redirect hop:

- only http and https; no user name or password in the URL; only ports 80 and 443;
- the host is a DNS name or a plain IP literal. Numbers in other spellings ("2130706433", "0x7f.1",
  "127.1", "0177.0.0.1") are refused rather than interpreted: libraries disagree on what they mean,
  and a check that reads them differently from the connection is a bypass;
- every address the name resolves to must be public (see `is_public_address`), and the connection
  goes to the address we checked, not to the name: a DNS answer that changes between our check and
  the connection (DNS rebinding) therefore cannot send us elsewhere. The Host header, TLS SNI and
  certificate verification still use the name;
- the body is streamed and refused (never silently cut) past a size cap, compressed bodies included;
  only a few text types are read.

`allow_addresses` and `allow_ports` exist for tests, which serve pages on 127.0.0.1 and a random port.
No setting feeds them: production callers never pass them.
"""

from __future__ import annotations

import codecs
import concurrent.futures
import functools
import ipaddress
import math
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from omoikane.errors import Refused
from omoikane.numbers import parse_int

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# The shape of socket.getaddrinfo's answer; only the address (first item of the last field) is read.
AddressInfo = tuple[Any, Any, Any, Any, tuple[Any, ...]]
Resolver = Callable[[str, int], Sequence[AddressInfo]]

USER_AGENT = "OmoikaneBot/1.0 (+https://omoikane.example/security/)"
ACCEPTED_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "application/ld+json"})
# Job pages live on the standard ports. Anything else (an admin panel on 8080, Redis on 6379, a
# database on 5432) is what an attacker hopes to reach through us, and no real posting needs it.
ALLOWED_PORTS = frozenset({80, 443})

_ACCEPT = "text/html,application/xhtml+xml;q=0.9,application/ld+json;q=0.8,text/plain;q=0.7"

# Refused whatever the resolver says: cloud metadata services and local-network zones. Most of them would
# also fail the address check, but a resolver inside a cloud answers them, so we never ask it.
_BLOCKED_NAMES = frozenset({"localhost", "metadata.google.internal", "metadata.goog", "instance-data"})
_BLOCKED_SUFFIXES = (
    ".localhost", ".local", ".localdomain", ".internal", ".intranet", ".lan", ".home.arpa", ".arpa",
)  # fmt: skip

# Spelled out although `ipaddress` knows most of them: this list is the promise, the library's flags
# are the belt and braces (and the library does not count 100.64.0.0/10 or multicast as private).
BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT, and Alibaba Cloud's metadata service (100.100.100.200)
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, and the metadata service of AWS, GCP, Azure (169.254.169.254)
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments, and Oracle Cloud's metadata (192.0.0.192)
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
        "::/128",
        "::1/128",
        "::ffff:0:0/96",  # IPv4-mapped: the embedded IPv4 is checked as well
        # NAT64: would reach any IPv4 address, ours included. Refused outright (DNS64 networks, where
        # every IPv4-only site gets such an address, would need this revisited).
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001:db8::/32",
        "fc00::/7",  # unique local, and AWS's IPv6 metadata service (fd00:ec2::254)
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)

# A dotted quad in its one unambiguous spelling: four decimal numbers, no leading zeros.
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4_RE = re.compile(rf"^{_OCTET}(?:\.{_OCTET}){{3}}$")
_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# The last label must start with a letter: "0x7f.1", "127.1" and "1.2.3.0x4" are numbers to some parsers.
_TLD_RE = re.compile(r"^[a-z][a-z0-9-]*$")
_CHARSET_RE = re.compile(r"^[A-Za-z0-9._:-]{1,40}$")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
# The WHATWG Encoding standard reads these labels as windows-1252, and so does every browser.
_WINDOWS_1252_LABELS = frozenset({"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1"})

# getaddrinfo has no timeout of its own; a few threads let us stop waiting for it.
_RESOLVER_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="import-dns")


MESSAGES: dict[str, Promise] = {
    "invalid_url": _(
        "This doesn't look like a web address. Copy the full address from your browser's address bar "
        "(it starts with https://)."
    ),
    "scheme": _("Only web addresses that start with https:// or http:// can be imported."),
    "credentials": _(
        "Addresses with a user name or password in them can't be imported. Remove them, or paste the "
        "posting's text instead."
    ),
    "port": _(
        "Only web pages on the standard ports can be imported (addresses without a “:number” after the "
        "site's name). Paste the posting's text instead."
    ),
    "private_address": _(
        "That address points inside a private network; only public web pages can be imported."
    ),
    "not_found": _(
        "We could not find that site. Check the address for typos, or paste the posting's text instead."
    ),
    "unreachable": _(
        "We could not connect to that site. Try again later, or paste the posting's text instead."
    ),
    "tls": _(
        "We could not open a secure connection to that site (its security certificate is not valid, or "
        "its encryption is outdated), so we did not open the page. Paste the posting's text instead."
    ),
    "broken_response": _(
        "The site sent an answer we could not read. Try again later, or paste the posting's text instead."
    ),
    "bad_redirect": _(
        "The site sent us on to an address we can't follow. Open the page in your browser and import the "
        "address it ends on, or paste the posting's text instead."
    ),
}


class ImportRefused(Refused):
    """A URL or a page we will not import."""

    messages = MESSAGES


@dataclass(frozen=True)
class Fetched:
    final_url: str  # after redirects, with the host name (never the address we connected to)
    status: int
    content_type: str  # the media type only, lower case: "text/html"
    text: str
    fetched_at: datetime


def fetch(
    url: str,
    *,
    max_bytes: int = 2_000_000,
    timeout: float = 10.0,
    max_redirects: int = 5,
    resolver: Resolver = socket.getaddrinfo,
    allow_addresses: Collection[IPAddress] = frozenset(),
    allow_ports: Collection[int] = frozenset(),
    ssl_context: ssl.SSLContext | None = None,
) -> Fetched:
    """The page at `url`, or ImportRefused saying why not.

    `timeout` is the budget for the whole fetch, redirects included. Each connect and read waits at
    most what is left of it when the request starts, and the budget is checked again after every chunk
    of the body, so a server that drips its page byte by byte is stopped too.
    `allow_addresses`, `allow_ports` and `ssl_context` are for tests (a local server, its own CA).
    """
    too_many = ImportRefused(
        "too_many_redirects",
        format_lazy(
            ngettext_lazy(
                "The site sent us on more than {count} time. Open the page in your browser and import the "
                "address it ends on, or paste the posting's text instead.",
                "The site sent us on more than {count} times. Open the page in your browser and import "
                "the address it ends on, or paste the posting's text instead.",
                max_redirects,
            ),
            count=max_redirects,
        ),
    )
    return _exchange(
        "GET",
        url,
        follow=lambda response: response.is_redirect,
        read=lambda response, current, deadline: _read(response, current, max_bytes, deadline, timeout),
        too_many=too_many,
        timeout=timeout,
        max_redirects=max_redirects,
        resolver=resolver,
        allow_addresses=allow_addresses,
        allow_ports=allow_ports,
        ssl_context=ssl_context,
    )


@dataclass(frozen=True)
class Answer:
    """What a server answered to `request`: any status, the caller reads it."""

    url: str  # after redirects, with the host name
    status: int
    headers: httpx.Headers
    body: bytes


# Methods that change nothing on the server, so a redirect may be followed with them.
_SAFE_METHODS = frozenset({"GET", "HEAD", "PROPFIND", "REPORT", "OPTIONS"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    authorization: str | None = None,
    max_bytes: int = 2_000_000,
    timeout: float = 10.0,
    max_redirects: int = 3,
    resolver: Resolver = socket.getaddrinfo,
    allow_addresses: Collection[IPAddress] = frozenset(),
    allow_ports: Collection[int] = frozenset(),
    ssl_context: ssl.SSLContext | None = None,
) -> Answer:
    """One request of any method (a calendar's PROPFIND, REPORT, PUT), under the same rules as `fetch`: the
    URL and every redirect hop checked, the connection pinned to the checked address, the body capped.

    The answer's status is not judged: a 401 or a 404 is the caller's to explain. `authorization` is sent
    only to the origin of `url`: a redirect to another host, port or scheme goes there without it, so a
    server cannot hand the user's password on to a third party.
    """

    def read(response: httpx.Response, current: httpx.URL, deadline: float) -> Answer:
        body = _read_body(response, max_bytes, deadline, timeout)
        return Answer(url=str(current), status=response.status_code, headers=response.headers, body=body)

    return _exchange(
        method,
        url,
        # 304 Not Modified is an answer (to If-None-Match), not somewhere to go.
        follow=lambda response: response.status_code in _REDIRECTS and method in _SAFE_METHODS,
        read=read,
        too_many=ImportRefused("bad_redirect"),
        headers=headers,
        content=content,
        authorization=authorization,
        timeout=timeout,
        max_redirects=max_redirects,
        resolver=resolver,
        allow_addresses=allow_addresses,
        allow_ports=allow_ports,
        ssl_context=ssl_context,
    )


def _exchange[T](
    method: str,
    url: str,
    *,
    follow: Callable[[httpx.Response], bool],
    read: Callable[[httpx.Response, httpx.URL, float], T],
    too_many: ImportRefused,
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    authorization: str | None = None,
    timeout: float,
    max_redirects: int,
    resolver: Resolver,
    allow_addresses: Collection[IPAddress],
    allow_ports: Collection[int],
    ssl_context: ssl.SSLContext | None,
) -> T:
    """The one hop loop of `fetch` and `request`: each hop's URL checked, its name resolved and checked,
    the connection pinned to a checked address; `follow` says whether an answer is a hop, `read` reads the
    last one (it is given the URL with the host name and the deadline)."""
    deadline = time.monotonic() + timeout
    ports = ALLOWED_PORTS | frozenset(allow_ports)
    try:
        current = httpx.URL(_clean_input(url))
    except httpx.InvalidURL:
        raise ImportRefused("invalid_url") from None
    origin = (current.scheme, current.host, current.port)
    context = ssl_context if ssl_context is not None else _default_ssl_context()
    # No kept-alive connections: a connection is keyed by the address we dialled, and a second host on
    # the same address must not inherit a TLS session whose certificate was checked for the first one.
    transport = httpx.HTTPTransport(
        verify=context, trust_env=False, retries=0, limits=httpx.Limits(max_keepalive_connections=0)
    )
    # trust_env=False: a proxy from the environment would connect by name and undo the pinning below,
    # and ~/.netrc must not add credentials to a stranger's site.
    with httpx.Client(transport=transport, trust_env=False, follow_redirects=False) as client:
        for _hop in range(max_redirects + 1):
            host, port = _check_url(current, ports)
            addresses = _addresses(host, port, resolver, allow_addresses, deadline, timeout)
            sent = dict(headers or {})
            if authorization and (current.scheme, current.host, current.port) == origin:
                sent["Authorization"] = authorization
            response = _send(
                client, current, host, addresses, deadline, timeout,
                method=method, extra_headers=sent, content=content,
            )  # fmt: skip
            try:
                if follow(response):
                    current = _next_hop(current, response)
                    continue
                return read(response, current, deadline)
            finally:
                response.close()
                # Cookies from one hop are not sent to the next: we are not a browser keeping a session.
                client.cookies.clear()
    raise too_many


def check_url(url: str) -> None:
    """Refuse at once what fetch() would refuse before reaching the network: a malformed address, another
    scheme or port, credentials, a local name or a private address written as such. The form checks this
    while the user waits; the fetch itself, and the checks of what a name resolves to, run in the worker."""
    try:
        current = httpx.URL(_clean_input(url))
    except httpx.InvalidURL:
        raise ImportRefused("invalid_url") from None
    host, _port = _check_url(current, ALLOWED_PORTS)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # a name: what it resolves to is checked when it is fetched
    if not is_public_address(address):
        raise ImportRefused("private_address")


def is_public_address(address: IPAddress) -> bool:
    """Whether connecting to `address` can only reach the public internet, never us or our neighbours."""
    if any(address in network for network in BLOCKED_NETWORKS if network.version == address.version):
        return False
    if isinstance(address, ipaddress.IPv6Address):
        for embedded in _embedded_ipv4(address):
            if not is_public_address(embedded):
                return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses that an IPv6 address reaches through a translation mechanism."""
    found = [address.ipv4_mapped, address.sixtofour]
    if address.teredo is not None:
        found.extend(address.teredo)
    return [ipv4 for ipv4 in found if ipv4 is not None]


def _clean_input(url: str) -> str:
    url = url.strip()
    # Browsers read "\" as "/" and httpx does not: "http://a.example\@b.example" is a different host to
    # each. Whitespace and control characters inside a URL are mistakes or tricks; neither is imported.
    if not url or any(ch == "\\" or ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise ImportRefused("invalid_url")
    return url


def _check_url(url: httpx.URL, ports: frozenset[int]) -> tuple[str, int]:
    """The host (IDNA-encoded, lower case, no trailing dot) and port of a URL we are willing to fetch."""
    if url.scheme not in ("http", "https"):
        raise ImportRefused("scheme")
    if url.userinfo:
        raise ImportRefused("credentials")
    host = url.raw_host.decode("ascii").lower().removesuffix(".")
    if not host:
        raise ImportRefused("invalid_url")
    port = url.port if url.port is not None else (443 if url.scheme == "https" else 80)
    if port not in ports:
        raise ImportRefused("port")
    if ":" in host:  # httpx has removed the brackets of an IPv6 literal
        if "%" in host:  # a zone index names one of our own network interfaces
            raise ImportRefused("private_address")
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ImportRefused("invalid_url") from None
        return host, port
    if _IPV4_RE.match(host):
        return host, port
    labels = host.split(".")
    if len(labels) < 2 or len(host) > 253 or not all(_LABEL_RE.match(label) for label in labels):
        # One label ("intranet", "metadata") is completed by the resolver's search domains: a local name.
        raise ImportRefused(
            "private_address" if len(labels) == 1 and _LABEL_RE.match(host) else "invalid_url"
        )
    if not _TLD_RE.match(labels[-1]):
        raise ImportRefused("invalid_url")
    if host in _BLOCKED_NAMES or host.endswith(_BLOCKED_SUFFIXES):
        raise ImportRefused("private_address")
    return host, port


def _addresses(
    host: str,
    port: int,
    resolver: Resolver,
    allowed: Collection[IPAddress],
    deadline: float,
    timeout: float,
) -> list[IPAddress]:
    """Every address of `host`, each one checked; one bad address refuses the host."""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = _resolve(host, port, resolver, deadline, timeout)
    for address in addresses:
        if address not in allowed and not is_public_address(address):
            raise ImportRefused("private_address")
    return addresses


def _resolve(host: str, port: int, resolver: Resolver, deadline: float, timeout: float) -> list[IPAddress]:
    future = _RESOLVER_POOL.submit(resolver, host, port)
    try:
        answers = future.result(timeout=max(0.0, deadline - time.monotonic()))
    except TimeoutError:
        raise _timeout(timeout) from None
    except (OSError, UnicodeError):  # socket.gaierror is an OSError
        raise ImportRefused("not_found") from None
    addresses: list[IPAddress] = []
    for answer in answers:
        try:
            address = ipaddress.ip_address(str(answer[4][0]))
        except (ValueError, IndexError, TypeError):
            # An answer we cannot read is an answer we cannot check.
            raise ImportRefused("private_address") from None
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ImportRefused("not_found")
    return addresses


def _send(
    client: httpx.Client,
    url: httpx.URL,
    host: str,
    addresses: list[IPAddress],
    deadline: float,
    timeout: float,
    *,
    method: str = "GET",
    extra_headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    """Send the request to a checked address, keeping the name for Host, SNI and the certificate."""
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": _ACCEPT,
        # Only gzip, which we decompress ourselves within the size cap (see _read_body).
        "Accept-Encoding": "gzip",
        **(extra_headers or {}),
        # The Host header names the site, port included when it is not the scheme's default.
        "Host": url.netloc.decode("ascii"),
    }
    try:
        ipaddress.ip_address(host)
        is_literal = True
    except ValueError:
        is_literal = False
    failure: httpx.ConnectError | None = None
    for address in addresses:
        target = url.copy_with(host=str(address), fragment=None)
        extensions = {} if is_literal or url.scheme != "https" else {"sni_hostname": host}
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timeout(timeout)
        request = client.build_request(
            method,
            target,
            headers=headers,
            content=content,
            extensions=extensions,
            timeout=httpx.Timeout(remaining),
        )
        try:
            return client.send(request, stream=True)
        except httpx.TimeoutException:
            raise _timeout(timeout) from None
        except httpx.ConnectError as error:
            if _is_certificate_error(error):
                raise ImportRefused("tls") from None
            # The next address of the same host may answer (an IPv6 address without a route, say).
            failure = error
        except httpx.HTTPError:
            raise ImportRefused("broken_response") from None
    raise ImportRefused("unreachable") from failure


def _next_hop(current: httpx.URL, response: httpx.Response) -> httpx.URL:
    location = response.headers.get("location", "")
    try:
        # Relative to the URL with the host name, not the address we connected to.
        return current.join(_clean_input(location)).copy_with(fragment=None)
    except (httpx.InvalidURL, ImportRefused):
        raise ImportRefused("bad_redirect") from None


def _read(
    response: httpx.Response, url: httpx.URL, max_bytes: int, deadline: float, timeout: float
) -> Fetched:
    if response.status_code >= 400 or response.status_code < 200:
        raise ImportRefused(
            "http_error",
            format_lazy(
                _(
                    "The site answered with an error ({status}). Check the address, or paste the posting's "
                    "text instead."
                ),
                status=response.status_code,
            ),
        )
    if 300 <= response.status_code < 400:  # a 304 or 300 we did not ask for, with nowhere to go
        raise ImportRefused("bad_redirect")
    media_type, charset = _content_type(response.headers.get("content-type", ""))
    if media_type not in ACCEPTED_TYPES:
        raise ImportRefused(
            "unsupported_type",
            format_lazy(
                _("That address leads to a file ({type}), not a web page. Paste the posting's text instead."),
                type=media_type or _("of an unknown kind"),
            ),
        )
    body = _read_body(response, max_bytes, deadline, timeout)
    return Fetched(
        final_url=str(url),
        status=response.status_code,
        content_type=media_type,
        text=_decode(body, charset, media_type),
        fetched_at=datetime.now(tz=UTC),
    )


def _read_body(response: httpx.Response, max_bytes: int, deadline: float, timeout: float) -> bytes:
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        decompressor = None
    elif encoding in ("gzip", "x-gzip"):
        # Decompressed by hand with a cap on the output: a few kilobytes of gzip can unpack to gigabytes,
        # and httpx would unpack each chunk whole before we could count it.
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    else:
        raise ImportRefused("broken_response")  # we only asked for gzip
    # A length we cannot read is no reason to stop: the budget below counts what really arrives.
    declared = parse_int(response.headers.get("content-length"), minimum=0)
    if declared is not None and declared > max_bytes:
        raise _too_large(max_bytes)
    body = bytearray()
    received = 0
    try:
        # Chunks as they arrive (no re-chunking), so the budget is checked after every read.
        for chunk in response.iter_raw():
            received += len(chunk)
            if received > max_bytes:
                raise _too_large(max_bytes)
            if decompressor is not None:
                # At most one byte past the cap, enough to know the page is too large.
                chunk = decompressor.decompress(chunk, max_bytes - len(body) + 1)
            body += chunk
            if len(body) > max_bytes:
                raise _too_large(max_bytes)
            if time.monotonic() > deadline:
                raise _timeout(timeout)
        if decompressor is not None:
            body += decompressor.flush()
            if len(body) > max_bytes:
                raise _too_large(max_bytes)
    except httpx.TimeoutException:
        raise _timeout(timeout) from None
    except (httpx.HTTPError, zlib.error):
        raise ImportRefused("broken_response") from None
    return bytes(body)


def _content_type(header: str) -> tuple[str, str]:
    """The media type (lower case) and the charset parameter ("" when absent) of a Content-Type."""
    media_type, *parameters = header.split(";")
    charset = ""
    for parameter in parameters:
        name, _sep, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    media_type = media_type.strip().lower()
    if not re.fullmatch(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+", media_type):
        media_type = ""
    return media_type, charset


def _decode(body: bytes, declared: str, media_type: str) -> str:
    """Text from the body: a byte order mark first, then the declared charset, then the page's own
    <meta charset>, then UTF-8, then windows-1252 (the web's legacy default). Never an exception."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    candidates = [declared]
    if media_type in ("text/html", "application/xhtml+xml"):
        match = _META_CHARSET_RE.search(body[:4096])
        if match:
            candidates.append(match.group(1).decode("ascii"))
    for label in candidates:
        codec = _codec(label)
        if codec:
            return body.decode(codec, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def _codec(label: str) -> str:
    """A Python text codec for a charset label, or "" for a label we do not trust."""
    label = label.strip().lower()
    if not _CHARSET_RE.match(label):
        return ""
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return ""
    # Python also registers bytes-to-bytes codecs (zlib, base64) under codec names; those are not text.
    if not getattr(info, "_is_text_encoding", True):
        return ""
    # A page that says UTF-16 in a <meta> tag has already been read as ASCII to find it: it is not UTF-16.
    if info.name.startswith("utf-16") or info.name.startswith("utf-32"):
        return "utf-8"
    return info.name


def _is_certificate_error(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    # Verification on, TLS 1.2 at least, certifi's CA bundle; made once, it loads a few hundred certificates.
    return httpx.create_ssl_context(trust_env=False)


def _timeout(timeout: float) -> ImportRefused:
    seconds = max(1, math.ceil(timeout))
    return ImportRefused(
        "timeout",
        format_lazy(
            ngettext_lazy(
                "The site did not answer within {seconds} second. Try again later, or paste the posting's "
                "text instead.",
                "The site did not answer within {seconds} seconds. Try again later, or paste the posting's "
                "text instead.",
                seconds,
            ),
            seconds=seconds,
        ),
    )


def _too_large(max_bytes: int) -> ImportRefused:
    return ImportRefused(
        "too_large",
        format_lazy(
            _("The page is larger than {size}. Paste the posting's text instead."),
            size=f"{max_bytes / 1_000_000:g} MB",
        ),
    )
