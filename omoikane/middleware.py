from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    """Django sets every other security header itself; Permissions-Policy it does not know."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
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
