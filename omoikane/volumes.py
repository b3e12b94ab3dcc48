"""Is a directory on an encrypted block device? Read from sysfs, the kernel's own account of its devices.

A path's device (st_dev) is looked up in /sys/dev/block/<major>:<minor>. A device-mapper device whose
dm/uuid starts with "CRYPT-" is dm-crypt (LUKS or plain); any other mapped device (LVM, RAID) is encrypted
when every device under it (its `slaves/`) is, so LVM on LUKS counts and LVM across one bare disk does not.
`sys_root` lets the tests hand in a fake /sys tree.
"""

from __future__ import annotations

import os
from pathlib import Path


def device_of(path: Path, sys_root: Path) -> Path | None:
    """The sysfs directory of the block device that holds `path`, or None (tmpfs, overlay, network)."""
    st_dev = path.stat().st_dev
    link = sys_root / "dev" / "block" / f"{os.major(st_dev)}:{os.minor(st_dev)}"
    return link.resolve() if link.exists() else None


def is_encrypted_device(device: Path, *, depth: int = 0) -> bool:
    if depth > 8:  # a loop in a broken tree; real stacks are two or three deep
        return False
    uuid_file = device / "dm" / "uuid"
    if uuid_file.exists() and uuid_file.read_text().strip().startswith("CRYPT-"):
        return True
    slaves = sorted((device / "slaves").glob("*")) if (device / "slaves").is_dir() else []
    return bool(slaves) and all(is_encrypted_device(slave.resolve(), depth=depth + 1) for slave in slaves)


def unencrypted(paths: list[Path], *, declared: list[Path], sys_root: Path) -> list[tuple[Path, str]]:
    """The paths not on an encrypted device, each with the reason; paths under a `declared` one pass."""
    problems: list[tuple[Path, str]] = []
    for path in paths:
        if any(path == d or d in path.parents for d in declared):
            continue
        if not path.exists():
            problems.append((path, "does not exist"))
            continue
        device = device_of(path, sys_root)
        if device is None:
            problems.append((path, "is not on a block device (tmpfs, overlay or network file system)"))
        elif not is_encrypted_device(device):
            problems.append((path, f"is on {device.name}, which is not dm-crypt"))
    return problems
