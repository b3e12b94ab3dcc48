"""The systemd units in deploy/systemd: they parse, point at what exists, and keep the promised hardening."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ops import serving

UNITS = serving.DEPLOY_DIR / "systemd"
SERVICES = sorted(UNITS.glob("*.service"))
TIMERS = sorted(UNITS.glob("*.timer"))
HARDENING = {
    "User": "omoikane",
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "PrivateTmp": "yes",
    "ReadWritePaths": "/var/lib/omoikane",
    "CapabilityBoundingSet": "",
}
ANALYZE = shutil.which("systemd-analyze")
needs_systemd = pytest.mark.skipif(ANALYZE is None, reason="no systemd-analyze")


def _analyze(*args: str) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    return subprocess.run([ANALYZE, *args], capture_output=True, text=True, timeout=120, check=False)


def _service_section(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return dict(parser["Service"])


def _here(folder: Path) -> list[Path]:
    """The units with /opt/omoikane (where the guide installs the code) pointing at this checkout."""
    copies = []
    for unit in [*SERVICES, *TIMERS]:
        copy = folder / unit.name
        copy.write_text(unit.read_text().replace("/opt/omoikane", str(serving.BASE_DIR)))
        copies.append(copy)
    return copies


def test_it_ships_the_services_and_a_timer_for_every_periodic_job() -> None:
    assert {p.name for p in SERVICES} == {
        "omoikane-web.service",
        "omoikane-worker.service",
        "omoikane-manage@.service",
    }
    commands = {re.search(r"omoikane-manage@(\w+)\.service", t.read_text()).group(1) for t in TIMERS}  # type: ignore[union-attr]
    assert commands == {
        "backup", "restore_drill", "send_follow_up_digests", "purge_traces", "audit_archive",
        "expire_exports", "sync_calendars",
    }  # fmt: skip


@pytest.mark.parametrize("unit", SERVICES, ids=lambda p: p.name)
def test_it_hardens_every_service(unit: Path) -> None:
    service = _service_section(unit)
    for key, value in HARDENING.items():
        assert service.get(key) == value, f"{unit.name}: {key}"


@needs_systemd
def test_it_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    completed = _analyze("verify", "--man=no", *map(str, _here(tmp_path)))
    # verify only warns on an unknown value; any line it prints is a fault in a unit.
    assert (completed.returncode, completed.stderr.strip()) == (0, "")


@needs_systemd
def test_it_catches_a_broken_unit(tmp_path: Path) -> None:
    broken = tmp_path / "broken.service"
    broken.write_text((UNITS / "omoikane-web.service").read_text().replace("/opt/omoikane/.venv", "/nowhere"))
    completed = _analyze("verify", "--man=no", str(broken))
    assert completed.returncode != 0
    assert "/nowhere/bin/gunicorn is not executable" in completed.stderr


@needs_systemd
@pytest.mark.parametrize("name", ["omoikane-web.service", "omoikane-worker.service"])
def test_it_keeps_the_exposure_of_the_long_running_services_low(tmp_path: Path, name: str) -> None:
    _here(tmp_path)
    completed = _analyze("security", "--offline=true", "--threshold=40", str(tmp_path / name))
    assert completed.returncode == 0, completed.stdout[-2000:]
    exposure = re.search(r"Overall exposure level for \S+: ([0-9.]+)", completed.stdout)
    assert exposure is not None and float(exposure.group(1)) <= 4.0
