"""TLS to the database, for real: a throwaway PostgreSQL with a throwaway CA on a loopback port. The
production profile connects with sslmode=verify-full, and refuses a server whose certificate names another
host."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops import serving

RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
pytestmark = [
    pytest.mark.edge,
    pytest.mark.skipif(PG_BIN is None or shutil.which("runuser") is None, reason="no PostgreSQL server here"),
]
PROBE = (
    "from django.db import connection\n"
    "connection.ensure_connection()\n"
    "cursor = connection.cursor()\n"
    "cursor.execute('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()')\n"
    "print(connection.settings_dict['OPTIONS']['sslmode'], *cursor.fetchone())\n"
)


def _as_postgres(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RUNUSER, "-u", "postgres", "--", *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Path, int]]:
    """A PostgreSQL that speaks only TLS, with a certificate for "localhost" signed by its own CA."""
    assert PG_BIN is not None
    with tempfile.TemporaryDirectory(prefix="omoikane-dbtls-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)
        serving.make_certificates(folder / "good", ["localhost"])
        # The same CA signs the second certificate: only the name is wrong, so verify-full alone catches it.
        bad = folder / "bad"
        bad.mkdir()
        for name in ("ca.pem", "ca.key"):
            shutil.copy(folder / "good" / name, bad / name)
        serving.make_certificates(bad, ["db.elsewhere.example"], reuse_ca=True)
        data = folder / "data"
        for path in [folder / "good", bad]:
            shutil.chown(path / "site.key", "postgres")
            (path / "site.key").chmod(0o600)
        data.mkdir(mode=0o700)
        shutil.chown(data, "postgres")
        initdb = _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "reject", "--no-sync")
        assert initdb.returncode == 0, initdb.stderr
        (data / "pg_hba.conf").write_text("hostssl all postgres 127.0.0.1/32 trust\n")
        (port,) = serving.free_ports(1, low=21600, high=21700)
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{data}'\n"
                f"ssl = on\nssl_min_protocol_version = 'TLSv1.3'\n"
                f"ssl_cert_file = '{folder / 'good' / 'site.crt'}'\n"
                f"ssl_key_file = '{folder / 'good' / 'site.key'}'\n"
            )
        started = _as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "start"
        )
        assert started.returncode == 0, started.stderr + (data / "server.log").read_text()
        try:
            yield folder, port
        finally:
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")


def _connect(folder: Path, port: int) -> subprocess.CompletedProcess[str]:
    url = f"postgres://postgres@localhost:{port}/postgres"
    env = serving.production_env(
        folder / "var",
        DATABASE_URL=url,
        TRACES_DATABASE_URL=url,
        DATABASE_SSLROOTCERT=str(folder / "good" / "ca.pem"),
    )
    env.pop("DATABASE_SSLMODE", None)  # the production profile's own default must be verify-full
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        env=env,
        cwd=serving.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _serve_certificate(folder: Path, which: str) -> None:
    conf = folder / "data" / "postgresql.conf"
    text = conf.read_text()
    for kind in ("crt", "key"):
        text = text.replace(f"/good/site.{kind}", f"/{which}/site.{kind}").replace(
            f"/bad/site.{kind}", f"/{which}/site.{kind}"
        )
    conf.write_text(text)
    assert PG_BIN is not None
    reloaded = _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(folder / "data"), "reload")
    assert reloaded.returncode == 0, reloaded.stderr


def test_it_connects_with_verify_full_over_tls_1_3(server: tuple[Path, int]) -> None:
    folder, port = server
    _serve_certificate(folder, "good")
    result = _connect(folder, port)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-3:] == ["verify-full", "True", "TLSv1.3"]


def test_it_refuses_a_server_whose_certificate_names_another_host(server: tuple[Path, int]) -> None:
    folder, port = server
    _serve_certificate(folder, "bad")
    try:
        result = _connect(folder, port)
    finally:
        _serve_certificate(folder, "good")
    assert result.returncode != 0
    assert "does not match host name" in result.stderr
