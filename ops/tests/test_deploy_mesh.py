"""The database mesh in deploy/: the WireGuard template makes a config wg-quick reads, the firewall parses,
and the database ports are open only on the mesh interface."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ops import serving

TEMPLATE = serving.DEPLOY_DIR / "wireguard" / "wg-db.conf.template"
FIREWALL = serving.DEPLOY_DIR / "nftables" / "db-node.nft"
WG, WG_QUICK, NFT = shutil.which("wg"), shutil.which("wg-quick"), shutil.which("nft")


def _run(*command: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), input=stdin, capture_output=True, text=True, timeout=60, check=False)


def _keypair() -> tuple[str, str]:
    assert WG is not None
    private = _run(WG, "genkey").stdout.strip()
    return private, _run(WG, "pubkey", stdin=private + "\n").stdout.strip()


@pytest.mark.skipif(WG is None or WG_QUICK is None, reason="wireguard-tools is not installed")
def test_it_renders_a_config_wg_quick_accepts(tmp_path: Path) -> None:
    private, _ = _keypair()
    values = {"MESH_ADDRESS": "10.77.0.11", "PRIVATE_KEY": private}
    for peer, (address, endpoint) in enumerate(
        [("10.77.0.12", "192.0.2.12"), ("10.77.0.13", "192.0.2.13")], 1
    ):
        values |= {
            f"PEER_{peer}_NAME": f"db{peer + 1}",
            f"PEER_{peer}_PUBLIC_KEY": _keypair()[1],
            f"PEER_{peer}_ENDPOINT": endpoint,
            f"PEER_{peer}_MESH_ADDRESS": address,
        }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    assert re.findall(r"@[A-Z0-9_]+@", text) == []  # every placeholder filled
    config = tmp_path / "wg-db.conf"
    config.write_text(text)
    config.chmod(0o600)
    stripped = _run(WG_QUICK, "strip", str(config))  # type: ignore[arg-type]
    assert stripped.returncode == 0, stripped.stderr
    assert "Address" not in stripped.stdout  # wg-quick's own keys are gone; what is left is for `wg setconf`
    assert stripped.stdout.count("[Peer]") == 2
    assert re.findall(r"AllowedIPs = (\S+)", stripped.stdout) == ["10.77.0.12/32", "10.77.0.13/32"]


@pytest.mark.skipif(NFT is None, reason="nftables is not installed")
def test_it_ships_a_firewall_nft_accepts() -> None:
    checked = _run(NFT, "-c", "-f", str(FIREWALL))  # type: ignore[arg-type]
    if "Operation not permitted" in checked.stderr:
        pytest.skip("nft -c needs CAP_NET_ADMIN")
    assert checked.returncode == 0, checked.stderr


def test_it_opens_the_database_ports_only_on_the_mesh() -> None:
    rules = [line.strip() for line in FIREWALL.read_text().splitlines() if "$database_ports" in line]
    assert rules == ['iifname "wg-db" ip saddr $mesh tcp dport $database_ports accept']
    assert "policy drop;" in FIREWALL.read_text().split("chain input", 1)[1].split("}", 1)[0]
