"""docs/deploy.md, run: every shell command in the guide is either run here, in a temporary directory with a
clone of this checkout, or named with why it cannot run on a development machine and which test covers what
it sets up. A command added to the guide without either fails `test_every_command_is_run_or_accounted_for`.
`make test-edge` runs this file (a minute or two: it makes a virtualenv and installs the project into it).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ops import serving
from ops.tests.test_database_tls import PG_BIN, server  # noqa: F401  (the TLS PostgreSQL fixture)

pytestmark = [pytest.mark.edge]

GUIDE = serving.BASE_DIR / "docs" / "deploy.md"
INSTALL_PREFIXES = ("install ", "cp deploy/")

# What the guide runs that this machine cannot (it changes the host itself, or needs systemd as PID 1, or a
# user that does not exist), with the test that covers what the step sets up.
NOT_HERE = {
    "apt-get install": "installs Debian packages on the host; .ci/run installs the same ones",
    "adduser ": "makes a system user; the units' User= is checked by ops/tests/test_deploy_units.py",
    "systemctl ": "needs systemd as PID 1; the units pass `systemd-analyze verify` (test_deploy_units.py)",
    "runuser -u omoikane": "the user does not exist here; its `sh -c` commands run in "
    "test_the_preparation_passes_on_tls_postgresql, as this user",
    "install -d -m 0700 -o omoikane": "owned by the omoikane user; made without the owner in "
    "test_the_files_go_where_the_guide_puts_them",
    "nft -c -f /etc/nftables.conf": "the same check on deploy/nftables/db-node.nft: test_deploy_mesh.py",
    "make serve": "runs in test_make_serve_answers_through_the_edge",
}


def guide_commands() -> list[str]:
    """The commands of the guide's ```sh blocks: continued lines, multi-line quotes and loops kept together,
    comments and blank lines dropped."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", GUIDE.read_text(), re.S):
        pending: list[str] = []
        for line in re.sub(r"\\\n\s*", " ", block).splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            if not line or line.startswith("#"):
                continue
            pending.append(line)
            joined = "\n".join(pending)
            words = re.findall(r"\b(do|done)\b", joined)
            if joined.count("'") % 2 or words.count("do") > words.count("done"):
                continue  # inside a quoted argument or a loop
            commands.append(joined)
            pending = []
    return commands


def _kind(command: str) -> str:
    if command.startswith(INSTALL_PREFIXES) and "-o omoikane" not in command:
        return "files"
    for prefix in NOT_HERE:
        if command.startswith(prefix):
            return "not here"
    for prefix, kind in RUN_HERE.items():
        if command.startswith(prefix):
            return kind
    return "unaccounted"


RUN_HERE = {
    "git clone": "clone",
    "python3.13 -m venv": "clone",
    "cd /opt/omoikane": "clone",
    "umask 077; wg genkey": "files",
    "grep -v '^#' deploy/redirect-domains.txt": "dns",
}


def test_every_command_is_run_or_accounted_for() -> None:
    commands = guide_commands()
    assert len(commands) > 20, commands
    unaccounted = [command for command in commands if _kind(command) == "unaccounted"]
    assert unaccounted == [], "commands in docs/deploy.md neither run by this file nor listed in NOT_HERE"


def test_the_guide_says_where_each_step_is_proven() -> None:
    text = GUIDE.read_text()
    for test in ("test_deploy_guide.py", "test_deploy_units.py", "test_deploy_mesh.py", "test_edge.py"):
        assert test in text


@dataclass
class Clone:
    root: Path  # stands for /opt/omoikane
    python: Path


@pytest.fixture(scope="module")
def clone() -> Iterator[Clone]:
    """Section 1's first commands: the repository cloned, a virtualenv made in it, the project installed."""
    with tempfile.TemporaryDirectory(prefix="omoikane-guide-") as tmp:
        root = Path(tmp) / "opt" / "omoikane"
        _run(["git", "clone", "--quiet", str(serving.BASE_DIR), str(root)], cwd=Path(tmp))
        _run([_python313(), "-m", "venv", ".venv"], cwd=root)
        # Wheels come from pip's cache when this machine installed them before; the guide's command as it is.
        _run([".venv/bin/pip", "install", "--quiet", "-e", "."], cwd=root, timeout=900)
        yield Clone(root, root / ".venv" / "bin" / "python")


def _python313() -> str:
    found = shutil.which("python3.13")
    # The guide's `python3.13` is Debian's; a machine that has it elsewhere uses the one running here.
    return found or sys.executable


def _run(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert completed.returncode == 0, f"{command}: {completed.stdout[-2000:]}{completed.stderr[-2000:]}"
    return completed


def test_the_clone_installs_the_project(clone: Clone) -> None:
    imported = _run(
        [str(clone.python), "-c", "import django, gunicorn, psycopg, uvloop; print(django.get_version())"],
        cwd=clone.root,
    )
    assert imported.stdout.startswith("6.")


def test_the_files_go_where_the_guide_puts_them(tmp_path: Path) -> None:
    """The guide's `install` and `cp` commands, with / moved to a temporary directory."""
    root = tmp_path / "host"
    for directory in ("etc/systemd/system", "etc/haproxy", "var/lib", "etc/wireguard"):
        (root / directory).mkdir(parents=True)
    ran = 0
    for command in guide_commands():
        if _kind(command) != "files" and not command.startswith("install -d -m 0700 -o omoikane"):
            continue
        command = command.replace("-o omoikane -g omoikane ", "")
        if command.startswith("umask 077; wg genkey") and shutil.which("wg") is None:
            continue
        rooted = re.sub(r"(?<=\s)/(etc|var)/", lambda m: f"{root}/{m.group(1)}/", command)
        _run(["sh", "-c", rooted], cwd=serving.BASE_DIR)
        ran += 1
    assert ran >= 8
    assert (root / "etc/haproxy/haproxy.cfg").read_text() == serving.HAPROXY_CFG.read_text()
    assert (root / "etc/systemd/system/omoikane-web.service").exists()
    assert (root / "etc/systemd/system/haproxy.service.d/omoikane.conf").exists()
    assert (root / "etc/systemd/journald.conf.d/omoikane-edge.conf").exists()
    assert (root / "var/lib/omoikane").stat().st_mode & 0o777 == 0o700
    if shutil.which("wg"):
        assert (root / "etc/wireguard/wg-db.key").stat().st_mode & 0o077 == 0


def test_the_dns_records_come_from_the_redirect_list() -> None:
    (command,) = [c for c in guide_commands() if _kind(c) == "dns"]
    printed = _run(["sh", "-c", command], cwd=serving.BASE_DIR).stdout.splitlines()
    domains = serving.redirect_domains()
    assert domains
    assert printed == [
        line for d in domains for line in (f"{d} A <anycast IPv4>", f"{d} AAAA <anycast IPv6>")
    ]


def test_the_edge_environment_names_what_haproxy_cfg_needs() -> None:
    (block,) = re.findall(r"```env\n(.*?)```", GUIDE.read_text(), re.S)
    names = {line.split("=", 1)[0] for line in block.splitlines() if line.strip()}
    example = serving.edge_env(Path("/nonexistent"), http_port=1, https_port=2, app_ports=[3, 4])
    assert names == set(example) - {"PATH"}
    used = set(re.findall(r'"\$\{?([A-Z_0-9]+)\}?"|\$\{?([A-Z_0-9]+)\}?', serving.HAPROXY_CFG.read_text()))
    assert names <= {name for pair in used for name in pair if name}


@pytest.mark.skipif(PG_BIN is None or shutil.which("runuser") is None, reason="no PostgreSQL server here")
def test_the_preparation_passes_on_tls_postgresql(clone: Clone, server: tuple[Path, int]) -> None:  # noqa: F811
    """The `sh -c` of "Database, static files, services", in the clone, with the production profile on a
    PostgreSQL that speaks only TLS (verify-full): `check --deploy` passes, migrations and static files
    run."""
    folder, port = server
    (runuser,) = [c for c in guide_commands() if c.startswith("runuser -u omoikane")]
    script = re.search(r"sh -c '(.*)'", runuser, re.S).group(1)  # type: ignore[union-attr]
    from pyrage import x25519  # the archive's key pair, as sops would hold it

    identity = x25519.Identity.generate()
    url = f"postgres://postgres@localhost:{port}/postgres"
    env = serving.production_env(
        folder / "guide-var",
        DATABASE_URL=url,
        TRACES_DATABASE_URL=url,
        DATABASE_SSLROOTCERT=str(folder / "good" / "ca.pem"),
        AUDIT_ARCHIVE_SERVER_KEY=str(identity),
        AUDIT_ARCHIVE_RECIPIENT=str(identity.to_public()),
        # Not a LUKS volume here: declared, as the guide's note on VOLUMES_ENCRYPTED_OTHERWISE says.
        VOLUMES_ENCRYPTED_OTHERWISE=str(folder),
    )
    env.pop("VIRTUAL_ENV", None)
    done = _run(["sh", "-c", script], cwd=clone.root, env=env, timeout=600)
    assert "System check identified no issues" in done.stdout + done.stderr
    assert (folder / "guide-var" / "static" / "staticfiles.json").exists()  # hashed names, collected


def test_make_serve_answers_through_the_edge(clone: Clone) -> None:
    """`make serve` in the clone (the project installed by the guide's commands): the production profile over
    the production server, the worker, and the edge when haproxy is installed; SIGTERM stops all of them."""
    app, http, https = serving.free_ports(3, low=21700, high=21800)
    (clone.root / ".venv" / ".installed").touch()  # installed above, by the guide's own command
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "TRACES", "VIRTUAL_ENV"))}
    make = subprocess.Popen(
        [
            shutil.which("make") or "/usr/bin/make",
            "serve",
            f"SERVE_ARGS=--app-port {app} --http-port {http} --https-port {https}",
        ],
        cwd=clone.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        if serving.haproxy_binary() is not None:
            ca = clone.root / "var" / "serve" / "ca.pem"

            def up() -> bool:
                context = serving.tls_context(ca)
                return serving.https_request(https, context, host="localhost", path="/healthz/live")[0] == 200

            serving.wait_until(lambda: ca.exists() and up(), seconds=240, what="make serve through the edge")
        else:
            live = serving.http_request(app, host="localhost", path="/healthz/live")
            assert live[0] == 200
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        output = make.communicate(timeout=90)[0].decode()
    assert make.returncode in (0, 2, -signal.SIGTERM), output[-3000:]
    assert "Omoikane (production profile) on https://localhost" in output or "app server alone" in output
