"""fetch() on pages it should read: a real local server, reached only through the checked address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from applications.importing.fetch import USER_AGENT, ImportRefused, fetch
from applications.tests.importing.conftest import LOOPBACK, Authority, Site, resolver_for


def test_it_fetches_a_page(site: Site) -> None:
    before = datetime.now(tz=UTC)
    fetched = site.fetch(site.url("/posting"))
    assert fetched.status == 200
    assert fetched.content_type == "text/html"
    assert fetched.final_url == site.url("/posting")
    assert "Platform Engineer (m/w/d)" in fetched.text
    assert "Ökostrom" in fetched.text
    assert before <= fetched.fetched_at <= datetime.now(tz=UTC)
    assert site.requests[-1]["User-Agent"] == USER_AGENT


def test_it_connects_to_the_checked_address_and_keeps_the_name(site: Site) -> None:
    # jobs.example exists in no DNS: the request can only arrive if fetch() dials the address it checked,
    # and the server must still be told which site was asked for.
    resolved: list[str] = []
    resolve = resolver_for({"jobs.example": ["127.0.0.1"]})

    def recording(host: str, port: int) -> list[tuple[object, object, object, object, tuple[object, ...]]]:
        resolved.append(host)
        return resolve(host, port)

    fetched = site.fetch(site.url("/echo", host="jobs.example"), resolver=recording)
    assert fetched.text == f"Host: jobs.example:{site.port}"
    assert fetched.final_url == f"http://jobs.example:{site.port}/echo"
    assert resolved == ["jobs.example"]


def test_it_resolves_once_per_hop_so_a_changing_answer_cannot_redirect_it(site: Site) -> None:
    # DNS rebinding: the first answer passes the check, a later one would point inside the network.
    answers = iter([["127.0.0.1"], ["10.0.0.1"], ["10.0.0.1"]])

    def rebinding(host: str, port: int) -> list[tuple[object, object, object, object, tuple[object, ...]]]:
        return [(None, None, None, "", (address, port)) for address in next(answers)]

    fetched = site.fetch(site.url("/echo", host="jobs.example"), resolver=rebinding)
    assert fetched.text == f"Host: jobs.example:{site.port}"


def test_it_follows_redirects_and_checks_each_hop(site: Site) -> None:
    resolver = resolver_for({"jobs.example": ["127.0.0.1"], "careers.example": ["127.0.0.1"]})
    target = f"http://careers.example:{site.port}/posting#apply"
    fetched = site.fetch(site.url(f"/redirect?to={target}", host="jobs.example"), resolver=resolver)
    assert fetched.final_url == f"http://careers.example:{site.port}/posting"
    assert [request["Host"] for request in site.requests] == [
        f"jobs.example:{site.port}",
        f"careers.example:{site.port}",
    ]


def test_it_follows_a_relative_redirect(site: Site) -> None:
    fetched = site.fetch(site.url("/redirect?to=/posting&status=301"))
    assert fetched.final_url == site.url("/posting")
    assert "Platform Engineer" in fetched.text


def test_it_reads_a_compressed_page(site: Site) -> None:
    fetched = site.fetch(site.url("/gzip-posting"))
    assert "Platform Engineer (m/w/d)" in fetched.text
    assert site.requests[-1]["Accept-Encoding"] == "gzip"


def test_it_decodes_the_declared_charset(site: Site) -> None:
    assert site.fetch(site.url("/latin1")).text == "<p>Ökostrom für Haushalte</p>"


def test_it_decodes_the_charset_the_page_declares_itself(site: Site) -> None:
    assert "Grüße – €" in site.fetch(site.url("/meta-charset")).text


def test_it_accepts_json_ld(site: Site) -> None:
    fetched = site.fetch(site.url("/json-ld"))
    assert fetched.content_type == "application/ld+json"
    assert '"JobPosting"' in fetched.text


def test_it_needs_the_test_allowlist_to_reach_the_local_server(site: Site) -> None:
    with pytest.raises(ImportRefused) as caught:
        fetch(site.url("/posting"), allow_ports={site.port})
    assert caught.value.code == "private_address"
    with pytest.raises(ImportRefused) as caught:
        fetch(site.url("/posting"), allow_addresses={LOOPBACK})
    assert caught.value.code == "port"
    assert site.requests == []


def test_it_verifies_tls_for_the_name_while_connecting_to_the_address(
    tls_site_for: Callable[[str], Site], authority: Authority
) -> None:
    tls = tls_site_for("jobs.example")
    resolver = resolver_for({"jobs.example": ["127.0.0.1"]})
    fetched = tls.fetch(
        tls.url("/echo", host="jobs.example"), resolver=resolver, ssl_context=authority.client_context()
    )
    assert fetched.text == f"Host: jobs.example:{tls.port}"
    assert tls.requests[-1]["sni"] == "jobs.example"


def test_it_refuses_a_certificate_for_another_name(
    tls_site_for: Callable[[str], Site], authority: Authority
) -> None:
    tls = tls_site_for("other.example")
    resolver = resolver_for({"jobs.example": ["127.0.0.1"]})
    with pytest.raises(ImportRefused) as caught:
        tls.fetch(
            tls.url("/echo", host="jobs.example"), resolver=resolver, ssl_context=authority.client_context()
        )
    assert caught.value.code == "tls"
    assert tls.requests == []


def test_it_refuses_a_certificate_from_an_unknown_authority(tls_site_for: Callable[[str], Site]) -> None:
    # The default context trusts the public authorities only, not the test's own.
    tls = tls_site_for("jobs.example")
    resolver = resolver_for({"jobs.example": ["127.0.0.1"]})
    with pytest.raises(ImportRefused) as caught:
        tls.fetch(tls.url("/echo", host="jobs.example"), resolver=resolver)
    assert caught.value.code == "tls"
