"""Only the edge may name the client and the scheme; anyone else's forwarding headers are dropped."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings

from omoikane.env import env_networks
from omoikane.middleware import TrustedProxyMiddleware
from privacy_kernel.audit import client_ip


def _seen(request: HttpRequest) -> HttpResponse:
    scheme = "https" if request.is_secure() else "http"
    return HttpResponse(f"{client_ip(request)} {scheme}")


def _through(peer: str, **headers: str) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=peer)
    request.META.update(headers)
    return TrustedProxyMiddleware(_seen)(request).content.decode()


@override_settings(
    TRUSTED_PROXIES=["10.8.0.0/24", "::1"], SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
class TrustedProxyTests(SimpleTestCase):
    def test_it_takes_the_client_address_the_edge_appended(self) -> None:
        seen = _through("10.8.0.3", HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
        self.assertEqual(seen, "203.0.113.9 https")

    def test_it_takes_the_last_entry_when_several_arrive(self) -> None:
        seen = _through("::1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
        self.assertEqual(seen, "203.0.113.9 http")

    def test_it_ignores_forwarding_headers_from_anyone_else(self) -> None:
        seen = _through("192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
        self.assertEqual(seen, "192.0.2.50 http")

    def test_it_keeps_the_edge_address_when_the_forwarded_value_is_garbage(self) -> None:
        seen = _through("10.8.0.3", HTTP_X_FORWARDED_FOR="not-an-address")
        self.assertEqual(seen, "10.8.0.3 http")

    @override_settings(TRUSTED_PROXIES=[])
    def test_it_trusts_nobody_when_no_edge_is_configured(self) -> None:
        seen = _through("127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
        self.assertEqual(seen, "127.0.0.1 http")


def test_it_refuses_a_malformed_proxy_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.8.0.3,edge.example")
    with pytest.raises(ImproperlyConfigured, match=r"'edge\.example' is neither"):
        env_networks("TRUSTED_PROXIES", [])


def test_it_reads_addresses_and_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.8.0.3, 10.8.0.0/24,::1")
    assert env_networks("TRUSTED_PROXIES", []) == ["10.8.0.3", "10.8.0.0/24", "::1"]
