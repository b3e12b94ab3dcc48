"""Real servers for the calendar tests: Radicale (a CalDAV server, the `radicale` package) on 127.0.0.1 and a
free port, in a temporary folder, with htpasswd sign-in so that credentials are really checked; and a small
HTTP server that misbehaves on purpose (slow, 401, 500, a huge or broken ICS file).

Tests let calendar connections reach these servers with CALENDAR_TEST_LOOPBACK_PORTS (override_settings);
production refuses 127.0.0.1 like any private address.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import caldav

START_TIMEOUT_SECONDS = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Radicale:
    url: str
    port: int
    username: str
    password: str = field(repr=False)
    folder: Path

    def client(self) -> Any:
        """A real CalDAV client, as the user's phone or laptop would be: the other side of every sync."""
        # caldav loads its classes lazily: the type checker sees objects, so the client is typed Any here.
        client: Any = caldav.DAVClient
        return client(url=self.url, username=self.username, password=self.password)

    def make_calendar(self, name: str = "Work") -> Any:
        principal = self.client().principal()
        return principal.make_calendar(name=name, cal_id=f"{name.lower()}-{secrets.token_hex(4)}")


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Radicale exited at start:\n{log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"Radicale did not start within {START_TIMEOUT_SECONDS} s:\n{log.read_text()}")


@contextlib.contextmanager
def radicale(username: str = "alice", password: str | None = None) -> Iterator[Radicale]:
    """A Radicale server for the duration of the block; its process group is killed afterwards."""
    password = password or secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory(prefix="radicale-") as tmp:
        folder = Path(tmp)
        users = folder / "users"
        users.write_text(f"{username}:{password}\n")
        log = folder / "radicale.log"
        port = free_port()
        command = [
            sys.executable, "-m", "radicale",
            "--config", "",
            "--server-hosts", f"127.0.0.1:{port}",
            "--auth-type", "htpasswd",
            "--auth-htpasswd-filename", str(users),
            "--auth-htpasswd-encryption", "plain",
            "--auth-delay", "0",
            "--rights-type", "owner_only",
            "--storage-filesystem-folder", str(folder / "collections"),
            "--logging-level", "warning",
        ]  # fmt: skip
        with log.open("wb") as out:
            # Our own command line: the venv's python, fixed arguments, paths in our temporary folder.
            process = subprocess.Popen(  # noqa: S603
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            _wait_until_listening(port, process, log)
            yield Radicale(f"http://127.0.0.1:{port}/", port, username, password, folder)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)


# --- A server that misbehaves ----------------------------------------------------------------------------

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Misbehaving:
    port: int
    # What each path answers: (status, headers, body); a callable for answers that take their time.
    routes: dict[str, Reply | Callable[[], Reply]]
    seen: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextlib.contextmanager
def misbehaving_server(routes: dict[str, Reply | Callable[[], Reply]]) -> Iterator[Misbehaving]:
    state = Misbehaving(port=0, routes=dict(routes))

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            state.seen.append(f"{self.command} {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            route = state.routes.get(self.path, (404, {}, b"not here"))
            status, headers, body = route() if callable(route) else route
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout, a size cap): what the test wanted

        do_GET = do_PROPFIND = do_REPORT = do_PUT = _answer

        def log_message(self, format: str, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
