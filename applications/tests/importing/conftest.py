"""A real web server on 127.0.0.1 for the import tests: no test reaches any other address."""

from __future__ import annotations

import datetime
import gzip
import ipaddress
import ssl
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from applications.importing.fetch import AddressInfo, Fetched, fetch

FIXTURES = Path(__file__).parent / "fixtures"
LOOPBACK = ipaddress.ip_address("127.0.0.1")


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def resolver_for(answers: dict[str, Sequence[str]]) -> Callable[[str, int], list[AddressInfo]]:
    """A resolver with fixed answers, shaped like socket.getaddrinfo; an unknown name fails the test."""

    def resolve(host: str, port: int) -> list[AddressInfo]:
        assert host in answers, f"the test did not expect {host} to be resolved"
        return [(None, None, None, "", (address, port)) for address in answers[host]]

    return resolve


def no_resolver(host: str, port: int) -> list[AddressInfo]:
    raise AssertionError(f"{host} should have been refused before it was resolved")


@dataclass
class Site:
    server: ThreadingHTTPServer
    scheme: str = "http"
    stop: threading.Event = field(default_factory=threading.Event)
    # Each request as the server saw it: the path, the headers, and the TLS server name if any.
    requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def fetch(self, url: str, **options: Any) -> Fetched:
        """fetch() with this server's address and port allowed, as only a test may."""
        return fetch(url, allow_addresses={LOOPBACK}, allow_ports={self.port}, **options)


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest's output for failures

    def do_GET(self) -> None:
        site = self.server.site
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        site.requests.append({"path": self.path, "sni": getattr(self.connection, "sni", ""), **self.headers})
        route = getattr(self, "page_" + parts.path.strip("/").replace("-", "_"), None)
        if route is None:
            self.respond(404, "text/html", b"<h1>Not found</h1>")
        else:
            route(query)

    def respond(self, status: int, content_type: str | None, body: bytes, **headers: str) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", headers.pop("length", str(len(body))))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def page_posting(self, query: dict[str, str]) -> None:
        self.respond(200, "text/html; charset=utf-8", fixture_text("p06_platform_de.html").encode())

    def page_plain_page(self, query: dict[str, str]) -> None:
        self.respond(
            200, "text/html; charset=utf-8", fixture_text("p06_without_structured_data.html").encode()
        )

    def page_echo(self, query: dict[str, str]) -> None:
        self.respond(200, "text/plain; charset=utf-8", f"Host: {self.headers['Host']}".encode())

    def page_redirect(self, query: dict[str, str]) -> None:
        self.respond(int(query.get("status", "302")), "text/html", b"", Location=query["to"])

    def page_loop(self, query: dict[str, str]) -> None:
        self.respond(302, "text/html", b"", Location="/loop")

    def page_big(self, query: dict[str, str]) -> None:
        # No Content-Length: the size is only known by reading, as with a chunked or streamed answer.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"x" * 16_000 + b"</p>"
        for _ in range(int(query["kb"]) // 16):
            self.wfile.write(chunk)

    def page_declared_big(self, query: dict[str, str]) -> None:
        self.respond(200, "text/html", b"<p>short</p>", length="3000000")

    def page_gzip_bomb(self, query: dict[str, str]) -> None:
        body = gzip.compress(b"<p>" + b"\0" * 20_000_000, compresslevel=9)
        self.respond(200, "text/html", body, Content_Encoding="gzip")

    def page_gzip_posting(self, query: dict[str, str]) -> None:
        body = gzip.compress(fixture_text("p06_platform_de.html").encode())
        self.respond(200, "text/html; charset=utf-8", body, Content_Encoding="gzip")

    def page_slow(self, query: dict[str, str]) -> None:
        site = self.server.site
        site.stop.wait(5)
        self.respond(200, "text/html", b"<p>late</p>")

    def page_drip(self, query: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        # A byte every 50 ms, for at most 5 seconds whatever the client does.
        for _ in range(100):
            if self.server.site.stop.wait(0.05):
                break
            self.wfile.write(b"x")
            self.wfile.flush()

    def page_pdf(self, query: dict[str, str]) -> None:
        self.respond(200, "application/pdf", b"%PDF-1.7\n%%EOF\n")

    def page_png(self, query: dict[str, str]) -> None:
        self.respond(200, "image/png", b"\x89PNG\r\n\x1a\n")

    def page_no_type(self, query: dict[str, str]) -> None:
        self.respond(200, None, b"<p>what am I?</p>")

    def page_latin1(self, query: dict[str, str]) -> None:
        body = "<p>Ökostrom für Haushalte</p>".encode("latin-1")
        self.respond(200, "text/html; charset=ISO-8859-1", body)

    def page_meta_charset(self, query: dict[str, str]) -> None:
        body = '<meta charset="windows-1252"><p>Grüße – €</p>'.encode("cp1252")
        self.respond(200, "text/html", body)

    def page_json_ld(self, query: dict[str, str]) -> None:
        body = b'{"@type": "JobPosting", "title": "Nurse", "hiringOrganization": "St Olav"}'
        self.respond(200, "application/ld+json", body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    site: Site


def _serve(tls: ssl.SSLContext | None = None) -> Iterator[Site]:
    server = _Server(("127.0.0.1", 0), Handler)
    site = Site(server, scheme="https" if tls else "http")
    server.site = site
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stop.set()  # releases the slow and dripping pages
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def site() -> Iterator[Site]:
    yield from _serve()


@dataclass(frozen=True)
class Authority:
    """A certificate authority of our own, so a test can serve HTTPS for any name on 127.0.0.1."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @classmethod
    def create(cls) -> Authority:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Omoikane test CA")])
        certificate = (
            _builder(name, name, key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(certificate, key)

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(
            cadata=self.certificate.public_bytes(serialization.Encoding.PEM).decode()
        )
        return context

    def server_context(self, hostname: str, directory: Path) -> ssl.SSLContext:
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = (
            _builder(
                x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]),
                self.certificate.subject,
                key.public_key(),
            )
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False
            )
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        chain = directory / f"{hostname}.pem"
        chain.write_bytes(
            certificate.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(chain)

        def remember_server_name(connection: ssl.SSLObject | ssl.SSLSocket, name: str | None, _: Any) -> None:
            connection.sni = name or ""  # type: ignore[union-attr]

        context.sni_callback = remember_server_name
        return context


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(tz=datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )


@pytest.fixture(scope="session")
def authority() -> Authority:
    return Authority.create()


@pytest.fixture
def tls_site_for(authority: Authority, tmp_path: Path) -> Iterator[Callable[[str], Site]]:
    """Starts HTTPS servers on 127.0.0.1 with a certificate for the given name."""
    stack: list[Iterator[Site]] = []

    def start(hostname: str) -> Site:
        serving = _serve(authority.server_context(hostname, tmp_path))
        stack.append(serving)
        return next(serving)

    yield start
    for serving in stack:
        next(serving, None)
