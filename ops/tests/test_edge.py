"""The TLS edge, for real: Debian's HAProxy with deploy/haproxy/haproxy.cfg in front of two app hosts that run
the production profile over deploy/gunicorn.conf.py, on loopback ports. `make test-edge` runs this file."""

from __future__ import annotations

import re
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ops import serving

pytestmark = [
    pytest.mark.edge,
    pytest.mark.skipif(serving.haproxy_binary() is None, reason="haproxy is not installed"),
]

PASSWORD = "edge test password 1234"
SPOOFED = "203.0.113.77"


@dataclass
class Stack:
    folder: Path
    ca_file: Path
    http_port: int
    https_port: int
    app_env: dict[str, str]
    app_ports: list[int]
    apps: list[serving.Process]
    edge: serving.Process
    edge_env: dict[str, str]

    def get(self, path: str = "/", **kwargs: object) -> tuple[int, dict[str, str], bytes]:
        return serving.https_request(self.https_port, serving.tls_context(self.ca_file), path=path, **kwargs)  # type: ignore[arg-type]


def _healthy(stack_port: int, ca_file: Path) -> bool:
    status, _, _ = serving.https_request(stack_port, serving.tls_context(ca_file), path="/healthz/live")
    return status == 200


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with tempfile.TemporaryDirectory(prefix="omoikane-edge-") as tmp:
        folder = Path(tmp)
        names = [serving.CANONICAL_HOST, *serving.redirect_domains()]
        ca_file = serving.make_certificates(folder, names)
        http_port, https_port, app1, app2 = serving.free_ports(4, low=21100, high=21999)
        app_env = serving.production_env(folder / "var")
        serving.prepare_database(app_env)
        _create_account(app_env)
        edge_env = serving.edge_env(
            folder, http_port=http_port, https_port=https_port, app_ports=[app1, app2]
        )
        apps = [
            serving.start_app(app_env, port, folder, name=f"app{i}") for i, port in enumerate([app1, app2], 1)
        ]
        edge = serving.start_edge(edge_env, folder)
        # `apps` itself, not a copy: a test that restarts an app host puts the new process in it, and that one
        # is stopped here too.
        with serving.stopping([edge]), serving.stopping(apps):
            try:
                serving.wait_until(lambda: _healthy(https_port, ca_file), seconds=60, what="the edge")
                # Both app hosts in the pool before any test, as the edge sees them.
                run_dir = Path(edge_env["EDGE_RUN_DIR"])
                serving.wait_until(lambda: _all_up(run_dir), seconds=60, what="both app hosts up")
            except TimeoutError as error:
                logs = "\n".join(f"--- {p.name}\n{p.log.read_text()[-3000:]}" for p in [*apps, edge])
                raise AssertionError(f"{error}\n{logs}") from None
            yield Stack(folder, ca_file, http_port, https_port, app_env, [app1, app2], apps, edge, edge_env)


def _create_account(env: dict[str, str]) -> None:
    script = (
        "from allauth.account.models import EmailAddress\n"
        "from accounts.models import User\n"
        f"u = User.objects.create_user('edge@example.org', {PASSWORD!r}, name='Edge')\n"
        "EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)\n"
    )
    completed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        env=env,
        cwd=serving.BASE_DIR,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()


def test_it_passes_haproxys_own_check(stack: Stack) -> None:
    binary = serving.haproxy_binary()
    assert binary is not None
    completed = subprocess.run(
        [binary, "-c", "-f", str(serving.HAPROXY_CFG)],
        env=stack.edge_env,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    assert "Configuration file is valid" in completed.stdout.decode()


def test_it_refuses_tls_1_2(stack: Stack) -> None:
    context = serving.tls_context(stack.ca_file, maximum=ssl.TLSVersion.TLSv1_2)
    with pytest.raises(ssl.SSLError, match=r"(?i)protocol.version"):
        serving.https_request(stack.https_port, context)


def test_it_speaks_tls_1_3_and_offers_http2(stack: Stack) -> None:
    context = serving.tls_context(stack.ca_file)
    context.set_alpn_protocols(["h2", "http/1.1"])
    raw = socket.create_connection(("127.0.0.1", stack.https_port), timeout=10)
    with context.wrap_socket(raw, server_hostname=serving.CANONICAL_HOST) as conn:
        assert conn.version() == "TLSv1.3"
        assert conn.selected_alpn_protocol() == "h2"


def test_it_serves_the_home_page_with_hsts(stack: Stack) -> None:
    status, headers, body = stack.get("/")
    assert status == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert b"Omoikane" in body


def test_it_adds_hsts_to_its_own_answers_too(stack: Stack) -> None:
    status, headers, _ = stack.get("/", host="www.omoikane.eu")
    assert status == 301
    assert "max-age=31536000" in headers["strict-transport-security"]


def test_it_redirects_every_redirect_domain_to_the_canonical_host_keeping_the_path(stack: Stack) -> None:
    domains = serving.redirect_domains()
    assert domains, "deploy/redirect-domains.txt lists no domain"
    for name, canonical in domains.items():
        status, headers, _ = stack.get("/applications/?page=2", host=name)
        assert (name, status) == (name, 301)
        assert headers["location"] == f"https://{canonical}/applications/?page=2"


def test_it_never_redirects_the_canonical_host(stack: Stack) -> None:
    assert serving.CANONICAL_HOST not in serving.redirect_domains()
    for path in ("/", "/security/", "/healthz"):
        status, headers, _ = stack.get(path)
        assert status != 301 or not headers["location"].startswith("https://" + serving.CANONICAL_HOST), path


def test_it_sends_plain_http_to_https(stack: Stack) -> None:
    status, headers, _ = serving.http_request(stack.http_port, host=serving.CANONICAL_HOST, path="/x?y=1")
    assert (status, headers["location"]) == (301, f"https://{serving.CANONICAL_HOST}/x?y=1")
    status, headers, _ = serving.http_request(stack.http_port, host="omoikane.eu", path="/x")
    assert (status, headers["location"]) == (301, f"https://{serving.CANONICAL_HOST}/x")


def test_it_refuses_unknown_host_names(stack: Stack) -> None:
    status, _, _ = stack.get("/", host="omoikane.example", headers={"X-Ignored": "1"})
    assert status == 200
    context = serving.tls_context(stack.ca_file)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    status, _, _ = serving.https_request(stack.https_port, context, host="attacker.example")
    assert status == 421


def test_it_records_the_real_client_not_a_spoofed_forwarded_for(stack: Stack) -> None:
    status, headers, body = stack.get("/account/login/")
    assert status == 200
    cookie = headers["set-cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token is not None
    form = f"csrfmiddlewaretoken={token.group(1).decode()}&login=edge%40example.org&password=wrong+password"
    status, _, _ = stack.get(
        "/account/login/",
        method="POST",
        body=form.encode(),
        headers={
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{serving.CANONICAL_HOST}/account/login/",
            "X-Forwarded-For": SPOOFED,
            "Forwarded": f"for={SPOOFED}",
        },
    )
    assert status == 200  # the form again, with its error
    with sqlite3.connect(stack.folder / "var" / "omoikane.sqlite3") as db:
        rows = db.execute("SELECT ip FROM privacy_auditevent WHERE event = 'account.login_failed'").fetchall()
    assert rows == [("127.0.0.1",)]


def test_it_stops_an_oversize_upload_at_the_edge(stack: Stack) -> None:
    # The edge answers from the announced length alone: the client has sent no byte of the body yet.
    app_logs_before = [p.log.stat().st_size for p in stack.apps]
    raw = socket.create_connection(("127.0.0.1", stack.https_port), timeout=10)
    with serving.tls_context(stack.ca_file).wrap_socket(raw, server_hostname=serving.CANONICAL_HOST) as conn:
        conn.sendall(
            b"POST /materials/new/ HTTP/1.1\r\nHost: omoikane.example\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            + f"Content-Length: {serving.MAX_BODY_BYTES + 1}\r\n\r\n".encode()
        )
        assert conn.recv(64).startswith(b"HTTP/1.1 413")
    assert [p.log.stat().st_size for p in stack.apps] == app_logs_before


def test_it_refuses_a_body_without_a_length(stack: Stack) -> None:
    raw = socket.create_connection(("127.0.0.1", stack.https_port), timeout=10)
    context = serving.tls_context(stack.ca_file)
    with context.wrap_socket(raw, server_hostname=serving.CANONICAL_HOST) as conn:
        conn.sendall(
            b"POST /materials/new/ HTTP/1.1\r\nHost: omoikane.example\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        )
        assert conn.recv(64).startswith(b"HTTP/1.1 400")


def test_it_serves_static_files_with_hashed_names_and_far_future_caching(stack: Stack) -> None:
    _, _, body = stack.get("/")
    found = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body)
    assert found is not None, "no hashed stylesheet on the home page"
    status, headers, _ = stack.get(found.group(1).decode(), headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert "immutable" in headers["cache-control"]
    assert "max-age=315360000" in headers["cache-control"]
    assert headers.get("content-encoding") == "gzip"


def test_it_logs_nothing_to_a_file(stack: Stack) -> None:
    config = serving.HAPROXY_CFG.read_text()
    targets = [line.split()[1] for line in config.splitlines() if re.match(r"\s*log\s+(?!global)\S", line)]
    assert targets == ["stdout"]
    assert "ipmask(24,64)" in config
    # What the running edge wrote: truncated networks only, never a full address or a path.
    log = stack.edge.log.read_text()
    assert "127.0.0.0 " in log
    assert "127.0.0.1" not in log and "/account/login/" not in log


def _all_up(run_dir: Path) -> bool:
    return _server_states(run_dir) == {"app1": "UP", "app2": "UP"}


def _server_states(run_dir: Path) -> dict[str, str]:
    with socket.socket(socket.AF_UNIX) as admin:
        admin.settimeout(10)
        admin.connect(str(run_dir / "admin.sock"))
        admin.sendall(b"show stat\n")
        data = b""
        while chunk := admin.recv(65536):
            data += chunk
    rows = [line.split(",") for line in data.decode().splitlines() if line.startswith("app,")]
    return {row[1]: row[17] for row in rows if row[1] in {"app1", "app2"}}


def test_it_runs_unchanged_on_a_second_edge_node_checking_both_app_hosts(stack: Stack) -> None:
    http_port, https_port = serving.free_ports(2, low=21800, high=21999)
    second_folder = stack.folder / "edge2"
    env = serving.edge_env(
        second_folder, http_port=http_port, https_port=https_port, app_ports=stack.app_ports
    )
    env["EDGE_CERTS"] = stack.edge_env["EDGE_CERTS"]  # the same certificate, as on the real pair
    second = serving.start_edge(env, stack.folder, name="haproxy-node2")
    with serving.stopping([second]):
        serving.wait_until(lambda: _healthy(https_port, stack.ca_file), seconds=30, what="the second edge")
        for run_dir in (Path(stack.edge_env["EDGE_RUN_DIR"]), Path(env["EDGE_RUN_DIR"])):
            serving.wait_until(
                lambda run_dir=run_dir: _all_up(run_dir),  # type: ignore[misc]
                seconds=30,
                what=f"both app hosts up as seen from {run_dir}",
            )


def test_it_moves_requests_to_the_other_host_when_one_goes_down(stack: Stack) -> None:
    first = stack.apps[0]
    first.stop(signal.SIGKILL)
    try:
        statuses = [stack.get("/")[0] for _ in range(20)]
        assert statuses == [200] * 20
    finally:
        stack.apps[0] = serving.start_app(stack.app_env, stack.app_ports[0], stack.folder, name="app1-again")
