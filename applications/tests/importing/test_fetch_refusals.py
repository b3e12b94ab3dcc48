"""What fetch() refuses, and that it refuses before connecting anywhere it should not."""

from __future__ import annotations

import ipaddress
import threading

import pytest

from applications.importing.fetch import ImportRefused, _timeout, fetch, is_public_address
from applications.tests.importing.conftest import LOOPBACK, Site, no_resolver, resolver_for


def refusal(url: str, **options: object) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        fetch(url, **options)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.53:80/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://[::1]/",
        "http://[::]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://[fe80::1%25eth0]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[64:ff9b::a00:1]/",
        "http://[2002:a00:1::]/",
        "http://localhost/",
        "http://LOCALHOST./",
        "http://api.localhost/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://metadata.goog/",
        "http://printer.local/",
        "http://intranet/",
        "http://2130706433/",
        "http://127。0。0。1/",
    ],
)
def test_it_refuses_addresses_inside_a_private_network(url: str) -> None:
    refused = refusal(url, resolver=no_resolver)
    assert refused.code == "private_address"
    assert str(refused.message) == (
        "That address points inside a private network; only public web pages can be imported."
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://0x7f.1/",
        "http://1.2.3/",
        "http://127.1/",
        "http://1.2.3.0x4/",
        "http://0177.0.0.1/",
        "http://%31%32%37.0.0.1/",
        "http://jobs.example\\@127.0.0.1/",
        "http://jobs .example/",
        "http://-jobs.example/",
        "http://",
        "jobs.example/posting",
        "",
    ],
)
def test_it_refuses_hosts_that_are_ambiguous_or_malformed(url: str) -> None:
    refused = refusal(url, resolver=no_resolver)
    assert refused.code in ("invalid_url", "scheme")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://jobs.example/posting.txt",
        "gopher://jobs.example:70/",
        "data:text/html,<h1>Job</h1>",
        "javascript:alert(1)",
        "ws://jobs.example/",
    ],
)
def test_it_refuses_schemes_other_than_http(url: str) -> None:
    refused = refusal(url, resolver=no_resolver)
    assert refused.code == "scheme"
    assert "https://" in str(refused.message)


def test_it_refuses_credentials_in_the_url() -> None:
    assert refusal("https://user:secret@jobs.example/", resolver=no_resolver).code == "credentials"
    assert refusal("https://user@jobs.example/", resolver=no_resolver).code == "credentials"


@pytest.mark.parametrize(
    "url", ["http://jobs.example:8080/", "https://jobs.example:22/", "http://[2606:4700::1]:6379/"]
)
def test_it_refuses_non_standard_ports(url: str) -> None:
    assert refusal(url, resolver=no_resolver).code == "port"


def test_it_refuses_a_public_name_that_resolves_to_a_private_address() -> None:
    refused = refusal("https://jobs.example/posting", resolver=resolver_for({"jobs.example": ["10.0.0.1"]}))
    assert refused.code == "private_address"


def test_it_refuses_a_name_when_any_of_its_addresses_is_private() -> None:
    # One public answer beside a private one is the classic way to slip past a check of the first only.
    resolver = resolver_for({"jobs.example": ["127.0.0.1", "169.254.169.254"]})
    refused = refusal("http://jobs.example/", resolver=resolver, allow_addresses={LOOPBACK})
    assert refused.code == "private_address"


def test_it_refuses_ipv6_answers_that_embed_a_private_ipv4() -> None:
    resolver = resolver_for({"jobs.example": ["::ffff:10.1.2.3"]})
    assert refusal("https://jobs.example/", resolver=resolver).code == "private_address"


def test_it_says_when_a_name_does_not_resolve() -> None:
    def nowhere(host: str, port: int) -> list[tuple[object, object, object, object, tuple[object, ...]]]:
        raise OSError("Name or service not known")

    refused = refusal("https://jobs.example/", resolver=nowhere)
    assert refused.code == "not_found"


def test_it_refuses_a_redirect_to_a_private_address(site: Site) -> None:
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/redirect?to=http://10.0.0.1/admin"))
    assert caught.value.code == "private_address"
    assert [request["path"] for request in site.requests] == ["/redirect?to=http://10.0.0.1/admin"]


def test_it_refuses_a_redirect_to_cloud_metadata(site: Site) -> None:
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/redirect?to=http://169.254.169.254/latest/meta-data/&status=307"))
    assert caught.value.code == "private_address"


def test_it_refuses_a_redirect_to_a_name_that_resolves_privately(site: Site) -> None:
    resolver = resolver_for({"internal.example": ["192.168.0.10"]})
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/redirect?to=http://internal.example/"), resolver=resolver)
    assert caught.value.code == "private_address"


def test_it_refuses_a_redirect_to_another_scheme(site: Site) -> None:
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/redirect?to=file:///etc/passwd"))
    assert caught.value.code == "scheme"


def test_it_stops_after_too_many_redirects(site: Site) -> None:
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/loop"), max_redirects=3)
    assert caught.value.code == "too_many_redirects"
    assert len(site.requests) == 4
    assert "more than 3 times" in str(caught.value.message)


def test_it_refuses_a_body_over_the_cap_while_streaming(site: Site) -> None:
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/big?kb=512"), max_bytes=100_000)
    assert caught.value.code == "too_large"
    assert str(caught.value.message) == "The page is larger than 0.1 MB. Paste the posting's text instead."


def test_it_refuses_a_declared_length_over_the_cap_before_reading(site: Site) -> None:
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/declared-big"))
    assert caught.value.code == "too_large"
    assert str(caught.value.message) == "The page is larger than 2 MB. Paste the posting's text instead."


def test_it_refuses_a_compressed_body_that_unpacks_past_the_cap(site: Site) -> None:
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/gzip-bomb"), max_bytes=1_000_000)
    assert caught.value.code == "too_large"


def test_it_gives_up_on_a_server_that_does_not_answer(site: Site) -> None:
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/slow"), timeout=0.3)
    assert caught.value.code == "timeout"
    assert str(caught.value.message).startswith("The site did not answer within 1 second.")


def test_it_gives_up_on_a_server_that_drips_its_page(site: Site) -> None:
    # Every read gets a byte in time; only the budget for the whole fetch stops this one.
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/drip"), timeout=0.5)
    assert caught.value.code == "timeout"


def test_it_states_the_timeout_in_seconds() -> None:
    assert str(_timeout(10.0).message).startswith("The site did not answer within 10 seconds.")


@pytest.mark.parametrize("path", ["/pdf", "/png", "/no-type"])
def test_it_refuses_content_that_is_not_a_web_page(site: Site, path: str) -> None:
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url(path))
    assert caught.value.code == "unsupported_type"
    assert "not a web page" in str(caught.value.message)


def test_it_refuses_an_error_page(site: Site) -> None:
    with pytest.raises(ImportRefused) as caught:
        site.fetch(site.url("/missing"))
    assert caught.value.code == "http_error"
    assert "(404)" in str(caught.value.message)


def test_it_says_when_nothing_listens(site: Site) -> None:
    port = site.port
    site.server.shutdown()
    site.server.server_close()
    with pytest.raises(ImportRefused) as caught:
        fetch(f"http://127.0.0.1:{port}/", allow_addresses={LOOPBACK}, allow_ports={port})
    assert caught.value.code == "unreachable"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("1.1.1.1", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.255.255.255", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("172.31.255.255", False),
        ("192.0.0.192", False),
        ("192.168.255.255", False),
        ("198.18.0.1", False),
        ("203.0.113.7", False),
        ("224.0.0.251", False),
        ("240.0.0.1", False),
        ("0.1.2.3", False),
        ("::1", False),
        ("::", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:8.8.8.8", False),  # a mapped address is never what a public DNS answer looks like
        ("64:ff9b::7f00:1", False),
        ("64:ff9b::808:808", False),  # NAT64 can reach any IPv4 address: refused outright
        ("2002:c0a8:101::1", False),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
        ("fc00::1", False),
        ("fd00:ec2::254", False),
        ("fe80::1", False),
        ("ff02::1", False),
        ("2001:db8::1", False),
    ],
)
def test_it_tells_public_addresses_from_the_rest(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_it_gives_up_on_a_resolver_that_does_not_answer() -> None:
    released = threading.Event()

    def hanging(host: str, port: int) -> list[tuple[object, object, object, object, tuple[object, ...]]]:
        released.wait(5)
        return []

    try:
        refused = refusal("https://jobs.example/", resolver=hanging, timeout=0.2)
    finally:
        released.set()
    assert refused.code == "timeout"
