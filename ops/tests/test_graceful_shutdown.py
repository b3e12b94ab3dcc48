"""Graceful shutdown, for real: the production application server and the task worker in their own processes,
stopped with SIGTERM as systemd stops them (KillMode=mixed: the main process first). `make test-edge` runs it.

- The app server lets an in-flight request (an open draft stream) finish, and refuses new connections
  meanwhile, so the edge sends them to the other app host.
- The worker finishes the task it runs; stopped a second time inside a task, it gives the task back to the
  queue, and the next worker runs it.
"""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ops import serving

pytestmark = [pytest.mark.edge]

SEED = """
import json
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from accounts.models import User
from applications.models import Application, DraftGeneration

user = User.objects.create_user("shutdown@example.org", "shutdown password 1234", name="Shutdown")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
application = Application.objects.create(user=user, title="Engineer", company="Fjordpay")
generation = DraftGeneration.objects.create(
    application=application, status=DraftGeneration.Status.RUNNING, partial_text="Dear hiring team,"
)
client = Client()
client.force_login(user)
print(json.dumps({
    "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
    "stream": f"/applications/{application.pk}/letter/drafts/{generation.pk}/stream/",
    "generation": generation.pk,
}))
"""

ENQUEUE = """
from ops.tests.shutdown_tasks import hold_then_write
print(hold_then_write.enqueue({path!r}).id)
"""


@dataclass
class Site:
    folder: Path
    env: dict[str, str]
    seeded: dict[str, str]

    @property
    def database(self) -> Path:
        return self.folder / "var" / "omoikane.sqlite3"

    def sql(self, query: str, *params: object) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.database, timeout=30) as db:
            return db.execute(query, params).fetchall()


def manage_shell(env: dict[str, str], script: str) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        env=env,
        cwd=serving.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with tempfile.TemporaryDirectory(prefix="omoikane-shutdown-") as tmp:
        folder = Path(tmp)
        env = serving.production_env(folder / "var")
        serving.prepare_database(env)
        yield Site(folder, env, json.loads(manage_shell(env, SEED)))


def _live(port: int) -> bool:
    https = {"X-Forwarded-Proto": "https"}
    host = serving.CANONICAL_HOST
    status, _, _ = serving.http_request(port, host=host, path="/healthz/live", headers=https)
    return status == 200


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def _read_until(conn: socket.socket, marker: bytes, *, seconds: float) -> bytes:
    received = b""
    conn.settimeout(seconds)
    while marker not in received:
        chunk = conn.recv(4096)
        if not chunk:
            break
        received += chunk
    return received


def test_the_app_server_finishes_an_open_stream_and_refuses_new_connections(site: Site) -> None:
    (port,) = serving.free_ports(1, low=21600, high=21700)
    app = serving.start_app(site.env, port, site.folder, name="app-shutdown")
    try:
        serving.wait_until(lambda: _live(port), seconds=60, what="the app server")
        conn = socket.create_connection(("127.0.0.1", port), timeout=30)
        conn.sendall(
            (
                f"GET {site.seeded['stream']} HTTP/1.1\r\nHost: {serving.CANONICAL_HOST}\r\n"
                f"X-Forwarded-Proto: https\r\nCookie: {site.seeded['cookie']}\r\n\r\n"
            ).encode()
        )
        opened = _read_until(conn, b"event: text", seconds=30)
        assert opened.startswith(b"HTTP/1.1 200"), opened[:300]

        # As systemd stops the unit: SIGTERM to the main process only.
        app.popen.send_signal(signal.SIGTERM)
        serving.wait_until(lambda: _refused(port), seconds=15, what="new connections refused")
        assert app.popen.poll() is None, "the server stopped without waiting for the open stream"

        # The draft finishes while the server is stopping: the stream still gets its end.
        done = "UPDATE applications_draftgeneration SET status = 'done' WHERE id = ?"
        site.sql(done, site.seeded["generation"])
        rest = _read_until(conn, b"0\r\n\r\n", seconds=30)
        assert b"event: done" in rest, rest
        assert rest.endswith(b"0\r\n\r\n"), rest  # the chunked body ended, not cut
        conn.close()
        assert app.popen.wait(timeout=30) == 0, app.log.read_text()[-3000:]
    finally:
        app.stop()


def _task_row(site: Site, task_id: str) -> tuple[str, object]:
    # SQLite keeps a UUID as its 32 hex digits.
    query = f"SELECT status, started_at FROM {_task_table(site)} WHERE id = ?"  # noqa: S608
    (row,) = site.sql(query, task_id.replace("-", ""))
    return str(row[0]), row[1]


def _task_table(site: Site) -> str:
    ((name,),) = site.sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%dbtaskresult'")
    return str(name)


def _start_worker(site: Site, name: str) -> serving.Process:
    options = ["--interval", "0.2", "--no-startup-delay", "--no-reload"]
    return serving.start(name, [sys.executable, "manage.py", "worker", *options], site.env, site.folder)


def _enqueue(site: Site, name: str) -> tuple[str, Path]:
    done = site.folder / f"{name}.done"
    Path(f"{done}.hold").touch()
    return manage_shell(site.env, ENQUEUE.format(path=str(done))), done


def test_the_worker_finishes_its_task_on_sigterm(site: Site) -> None:
    task_id, done = _enqueue(site, "finish")
    worker = _start_worker(site, "worker-finish")
    try:
        serving.wait_until(lambda: _task_row(site, task_id)[0] == "RUNNING", seconds=60, what="task running")
        worker.popen.send_signal(signal.SIGTERM)
        time.sleep(1)
        assert worker.popen.poll() is None, "the worker left its task"
        Path(f"{done}.hold").unlink()  # the task's work ends now
        assert worker.popen.wait(timeout=30) == 0, worker.log.read_text()[-3000:]
        assert done.read_text() == "done"
        assert _task_row(site, task_id)[0] == "SUCCESSFUL"
    finally:
        worker.stop()


def test_a_worker_stopped_twice_gives_its_task_back(site: Site) -> None:
    task_id, done = _enqueue(site, "give-back")
    worker = _start_worker(site, "worker-stopped")
    try:
        serving.wait_until(lambda: _task_row(site, task_id)[0] == "RUNNING", seconds=60, what="task running")
        worker.popen.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        worker.popen.send_signal(signal.SIGTERM)  # "press Ctrl+C again to force"
        assert worker.popen.wait(timeout=30) != 0
    finally:
        worker.stop()
    assert not done.exists()
    assert _task_row(site, task_id) == ("READY", None), worker.log.read_text()[-3000:]
    # The next worker runs it at once, not after TASK_RECLAIM_AFTER_SECONDS.
    Path(f"{done}.hold").unlink()
    again = _start_worker(site, "worker-again")
    try:
        serving.wait_until(lambda: _task_row(site, task_id)[0] == "SUCCESSFUL", seconds=60, what="task rerun")
    finally:
        again.stop()
    assert done.read_text() == "done"
