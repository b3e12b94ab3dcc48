"""Start the production stack on loopback: the app server (deploy/gunicorn.conf.py) and the edge (HAProxy).

Used by the edge tests (ops/tests/test_edge.py) and the serving benchmark (bench/serving.py), so both run
exactly what production runs: the same gunicorn config, the same haproxy.cfg, the production profile.
Nothing here is imported by the app itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPResponse
from pathlib import Path

from pyrage import x25519

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY_DIR = BASE_DIR / "deploy"
HAPROXY_CFG = DEPLOY_DIR / "haproxy" / "haproxy.cfg"
GUNICORN_CFG = DEPLOY_DIR / "gunicorn.conf.py"
UVICORN_SERVER = BASE_DIR / "bench" / "uvicorn_server.py"
REDIRECT_DOMAINS = DEPLOY_DIR / "redirect-domains.txt"
CANONICAL_HOST = "omoikane.example"
# Same as the app's DATA_UPLOAD_MAX_MEMORY_SIZE: the edge stops what the app would refuse anyway.
MAX_BODY_BYTES = 12 * 1024 * 1024


def redirect_domains() -> dict[str, str]:
    """The redirect-only domains and the canonical host each sends to, from deploy/redirect-domains.txt."""
    domains: dict[str, str] = {}
    for line in REDIRECT_DOMAINS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, target = line.split()
            domains[name] = target
    return domains


def free_ports(count: int, *, low: int, high: int) -> list[int]:
    """Loopback ports nothing listens on, from the range this machine gave us."""
    ports: list[int] = []
    for port in range(low, high):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"fewer than {count} free ports between {low} and {high}")


def make_certificates(folder: Path, names: Sequence[str], *, reuse_ca: bool = False) -> Path:
    """A throwaway CA (or the one already in `folder`) and a server certificate for `names`; returns the CA
    file a client trusts."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = folder / "ca.key", folder / "ca.pem"
    key, csr, cert = folder / "site.key", folder / "site.csr", folder / "site.crt"
    ec: list[str | Path] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    ca_subject = ["-subj", "/CN=Omoikane test CA", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
    if not reuse_ca:
        _quiet_run(
            ["openssl", "req", "-x509", *ec, "-days", "2", *ca_subject, "-keyout", ca_key, "-out", ca_cert]
        )
    _quiet_run(["openssl", "req", *ec, "-subj", f"/CN={names[0]}", "-keyout", key, "-out", csr])
    extensions = folder / "san.ext"
    # Python verifies strictly (VERIFY_X509_STRICT): the leaf needs its key identifiers and usages.
    extensions.write_text(
        "subjectAltName=" + ",".join(f"DNS:{name}" for name in names) + "\n"
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n"
    )
    signer: list[str | Path] = ["-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial", "-days", "2"]
    _quiet_run(["openssl", "x509", "-req", "-in", csr, *signer, "-extfile", extensions, "-out", cert])
    certs = folder / "certs"
    certs.mkdir(exist_ok=True)
    (certs / "site.pem").write_text(cert.read_text() + key.read_text())
    return ca_cert


def _quiet_run(command: Sequence[str | Path], *, env: dict[str, str] | None = None) -> None:
    # Fixed programs with arguments made here; output is shown only when the command fails.
    completed = subprocess.run(  # noqa: S603
        [str(part) for part in command], capture_output=True, timeout=180, env=env, cwd=BASE_DIR, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {completed.stdout.decode()}{completed.stderr.decode()}")


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The production profile on SQLite files in `var_dir` (the two app hosts of a test share them)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "TRACES", "EMAIL", "DJANGO"))}
    env.update(
        OMOIKANE_PROFILE="production",
        SECRET_KEY="edge-test-" + "k" * 60,
        DELETION_LEDGER_KEY="edge-ledger-" + "l" * 60,
        CALENDAR_CREDENTIALS_KEY="ZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWU=",
        ALLOWED_HOSTS=CANONICAL_HOST,
        SITE_URL=f"https://{CANONICAL_HOST}",
        VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'omoikane.sqlite3'}",
        TRACES_DATABASE_URL=f"sqlite:///{var_dir / 'traces.sqlite3'}",
        EMAIL_URL="smtp+tls://mailer:secret@127.0.0.1:1",
        # A throwaway key: its identity is dropped at once, as an operator keeps it away from servers.
        AUDIT_ARCHIVE_RECIPIENT=str(x25519.Identity.generate().to_public()),
        TRUSTED_PROXIES="127.0.0.1,::1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def prepare_database(env: dict[str, str]) -> None:
    """What a deployment runs before starting the app: migrations, the cache table, static files."""
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    for command in (
        ["migrate", "--no-input"],
        ["migrate", "--no-input", "--database", "traces"],
        ["createcachetable"],
        ["collectstatic", "--no-input", "--verbosity", "0"],
    ):
        _quiet_run(manage + command, env=env)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def stop(self, sig: int = signal.SIGTERM, *, wait: float = 30) -> None:
        if self.popen.poll() is not None:
            return
        # Each server runs in its own process group: its workers go with it.
        os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)


def start(name: str, command: Sequence[str], env: dict[str, str], folder: Path) -> Process:
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(  # noqa: S603 - our own servers with fixed arguments
            list(command), env=env, cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(name, popen, log)


# The application servers bench/serving.py compares; PRODUCTION_SERVER is the one production runs
# (deploy/gunicorn.conf.py), chosen from that comparison (bench/README.md, "Serving").
SERVERS = ("gunicorn-asgi", "uvicorn", "gunicorn-gthread")
PRODUCTION_SERVER = "gunicorn-asgi"


def start_app(
    env: dict[str, str], port: int, folder: Path, *, name: str, server: str = PRODUCTION_SERVER
) -> Process:
    app_env = {**env, "OMOIKANE_BIND": f"127.0.0.1:{port}"}
    if server == "uvicorn":
        return start(name, [sys.executable, str(UVICORN_SERVER)], app_env, folder)
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "--config", str(GUNICORN_CFG)]
    if server == "gunicorn-gthread":
        # The WSGI app on threads, as production ran before the ASGI workers; for the comparison only.
        return start(
            name, [*gunicorn, "--worker-class", "gthread", "omoikane.wsgi:application"], app_env, folder
        )
    if server != PRODUCTION_SERVER:
        raise ValueError(f"unknown server {server!r}; one of {SERVERS}")
    return start(name, gunicorn, app_env, folder)


def edge_env(folder: Path, *, http_port: int, https_port: int, app_ports: Sequence[int]) -> dict[str, str]:
    run_dir = folder / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "OMOIKANE_CANONICAL_HOST": CANONICAL_HOST,
        "EDGE_HTTP_BIND": f"127.0.0.1:{http_port}",
        "EDGE_HTTPS_BIND": f"127.0.0.1:{https_port}",
        "EDGE_CERTS": str(folder / "certs"),
        "EDGE_REDIRECT_MAP": str(REDIRECT_DOMAINS),
        "EDGE_RUN_DIR": str(run_dir),
        "APP_HOST_1": f"127.0.0.1:{app_ports[0]}",
        "APP_HOST_2": f"127.0.0.1:{app_ports[1]}",
        "EDGE_MAX_BODY_BYTES": str(MAX_BODY_BYTES),
    }


def haproxy_binary() -> str | None:
    return shutil.which("haproxy") or next(
        (path for path in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if Path(path).exists()), None
    )


def start_edge(env: dict[str, str], folder: Path, *, name: str = "haproxy") -> Process:
    binary = haproxy_binary()
    if binary is None:
        raise RuntimeError("haproxy is not installed (apt-get install haproxy)")
    # -db: stay in the foreground, as under systemd (Type=notify there, with -Ws).
    return start(name, [binary, "-db", "-f", str(HAPROXY_CFG)], env, folder)


def tls_context(ca_file: Path, *, maximum: ssl.TLSVersion | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca_file))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if maximum is not None:
        context.maximum_version = maximum
    return context


def https_request(
    port: int,
    context: ssl.SSLContext,
    *,
    host: str = CANONICAL_HOST,
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    timeout: float = 15,
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 request over TLS to the edge on loopback, naming `host` in SNI and Host."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    with context.wrap_socket(raw, server_hostname=host) as conn:
        return _exchange(conn, host, method, path, headers or {}, body)


def http_request(
    port: int, *, host: str, path: str = "/", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=15) as conn:
        return _exchange(conn, host, "GET", path, headers or {}, b"")


def _exchange(
    conn: socket.socket, host: str, method: str, path: str, headers: dict[str, str], body: bytes
) -> tuple[int, dict[str, str], bytes]:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    response = HTTPResponse(conn)
    response.begin()
    payload = response.read()
    return response.status, {name.lower(): value for name, value in response.getheaders()}, payload


def wait_until(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    """Poll `condition()` until it is true; a deadline on every wait, so a broken stack fails fast."""
    end = time.monotonic() + seconds
    last_error: Exception | None = None
    while time.monotonic() < end:
        try:
            if condition():
                return
        except OSError as error:
            last_error = error
        time.sleep(0.2)
    raise TimeoutError(f"{what} not ready after {seconds} s (last error: {last_error})")


@contextmanager
def stopping(processes: list[Process]) -> Iterator[list[Process]]:
    try:
        yield processes
    finally:
        for process in reversed(processes):
            process.stop()
