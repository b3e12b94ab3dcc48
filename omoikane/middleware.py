from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.csp import CSP, build_policy

from omoikane.db import WriteOutcomeUnknown, connection_lost

# Django's debug pages (development only) style and script themselves inline and opt out of the site's
# policy; this one lets them work and still loads nothing, frames nothing and sends no form anywhere.
DEBUG_PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# How long a browser or client is told to wait before trying again; a failover takes about 10 s.
RETRY_AFTER_SECONDS = 30


class PermissionsPolicyMiddleware:
    """Django sets every other security header itself; Permissions-Policy it does not know."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SecurityHeadersMiddleware:
    """The outermost middleware: every response leaves with the security headers, whatever made it.

    Django's own middleware add them on the way out, but a response made when one of them raises (a
    disallowed Host, a body the CSRF check cannot read) skips those further in, and Django's debug pages opt
    out of the CSP. This only fills in what is missing, so a view's own stricter header (a download's
    sandbox) stays.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        headers = response.headers
        if CSP.HEADER_ENFORCE not in headers:
            debug_page = settings.DEBUG and getattr(response, "_csp_config", None) == {}
            headers[CSP.HEADER_ENFORCE] = DEBUG_PAGE_CSP if debug_page else build_policy(settings.SECURE_CSP)  # type: ignore[arg-type]
        headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        headers.setdefault("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)
        headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if settings.SECURE_HSTS_SECONDS and request.is_secure():
            hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                hsts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                hsts += "; preload"
            headers.setdefault("Strict-Transport-Security", hsts)
        return response


class DatabaseUnavailableMiddleware:
    """A request whose database went away (a failover that outlasted the write's own wait) gets a 503 that
    says what happened to the user's change, not a generic error page.

    The page is rendered without the request: the usual context (the signed-in user, the session) would ask
    the database that has just gone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DatabaseError) or not connection_lost(exception):
            return None
        unknown = isinstance(exception, WriteOutcomeUnknown)
        response = HttpResponse(
            render_to_string("database_unavailable.html", {"outcome_unknown": unknown}), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class TrustedProxyMiddleware:
    """Only the edge (HAProxy, deploy/haproxy/) may say who the client is and that it came over TLS.

    A request from one of `TRUSTED_PROXIES` gets the client address HAProxy appended to X-Forwarded-For as
    its REMOTE_ADDR, so the audit log records the real client. From anyone else, X-Forwarded-For and
    X-Forwarded-Proto are dropped: a client talking to an app server directly cannot spoof an address into
    the audit log nor pass for HTTPS. It runs first, before SecurityMiddleware reads the scheme.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies = [ipaddress.ip_network(net) for net in settings.TRUSTED_PROXIES]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        forwarded = meta.pop("HTTP_X_FORWARDED_FOR", "")
        if self._from_edge(meta.get("REMOTE_ADDR", "")):
            # HAProxy deletes whatever the client sent and appends the address it saw: the last entry.
            client = forwarded.rsplit(",", 1)[-1].strip()
            if _is_address(client):
                meta["REMOTE_ADDR"] = client
        else:
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)

    def _from_edge(self, peer: str) -> bool:
        if not self.proxies or not _is_address(peer):
            return False
        address = ipaddress.ip_address(peer)
        return any(address in network for network in self.proxies)


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
