"""The encrypted-volume check, on fake /sys trees shaped like the kernel's: LUKS, LVM on LUKS, bare disks."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.checks import Error
from django.test import SimpleTestCase, override_settings

from omoikane.checks import check_encrypted_volumes
from omoikane.volumes import unencrypted


def _fake_sys(root: Path, data: Path, stack: list[tuple[str, str]]) -> Path:
    """A /sys where `data`'s device is the first of `stack` ((name, dm uuid or "")), each one mapped
    onto the next, the last a plain disk partition."""
    sys_root = root / "sys"
    block = sys_root / "devices" / "virtual" / "block"
    for index, (name, uuid) in enumerate(stack):
        device = block / name
        device.mkdir(parents=True)
        if uuid:
            (device / "dm").mkdir()
            (device / "dm" / "uuid").write_text(uuid + "\n")
        (device / "slaves").mkdir()
        if index + 1 < len(stack):
            (device / "slaves" / stack[index + 1][0]).symlink_to(block / stack[index + 1][0])
    st_dev = data.stat().st_dev
    (sys_root / "dev" / "block").mkdir(parents=True)
    (sys_root / "dev" / "block" / f"{os.major(st_dev)}:{os.minor(st_dev)}").symlink_to(block / stack[0][0])
    return sys_root


class EncryptedVolumeTests(SimpleTestCase):
    def setUp(self) -> None:
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.data = self.tmp / "data"
        self.data.mkdir()

    def test_it_accepts_a_luks_volume(self) -> None:
        sys_root = _fake_sys(self.tmp, self.data, [("dm-0", "CRYPT-LUKS2-1f2e-cryptdata"), ("sda2", "")])
        self.assertEqual(unencrypted([self.data], declared=[], sys_root=sys_root), [])

    def test_it_accepts_lvm_on_luks(self) -> None:
        stack = [("dm-1", "LVM-abc"), ("dm-0", "CRYPT-LUKS2-1f2e-pv"), ("nvme0n1p3", "")]
        sys_root = _fake_sys(self.tmp, self.data, stack)
        self.assertEqual(unencrypted([self.data], declared=[], sys_root=sys_root), [])

    def test_it_refuses_lvm_on_a_bare_disk(self) -> None:
        sys_root = _fake_sys(self.tmp, self.data, [("dm-1", "LVM-abc"), ("sdb1", "")])
        self.assertEqual(
            unencrypted([self.data], declared=[], sys_root=sys_root),
            [(self.data, "is on dm-1, which is not dm-crypt")],
        )

    def test_it_refuses_a_plain_partition(self) -> None:
        sys_root = _fake_sys(self.tmp, self.data, [("sda1", "")])
        problems = unencrypted([self.data], declared=[], sys_root=sys_root)
        self.assertEqual(problems, [(self.data, "is on sda1, which is not dm-crypt")])

    def test_it_refuses_a_path_on_no_block_device(self) -> None:
        sys_root = self.tmp / "empty-sys"
        (sys_root / "dev" / "block").mkdir(parents=True)
        [(path, reason)] = unencrypted([self.data], declared=[], sys_root=sys_root)
        self.assertEqual(path, self.data)
        self.assertIn("not on a block device", reason)

    def test_it_refuses_a_missing_directory(self) -> None:
        missing = self.tmp / "spool"
        problems = unencrypted([missing], declared=[], sys_root=self.tmp)
        self.assertEqual(problems, [(missing, "does not exist")])

    def test_it_passes_what_is_declared_encrypted_otherwise(self) -> None:
        sys_root = _fake_sys(self.tmp, self.data, [("sda1", "")])
        self.assertEqual(unencrypted([self.data / "x"], declared=[self.data], sys_root=sys_root), [])

    def test_the_check_reports_every_unencrypted_volume_in_production(self) -> None:
        sys_root = _fake_sys(self.tmp, self.data, [("sda1", "")])
        spool = self.tmp / "spool"
        with override_settings(
            PRODUCTION=True,
            VAR_DIR=self.data,
            VOLUME_CHECK_PATHS=[str(spool)],
            VOLUMES_ENCRYPTED_OTHERWISE=[],
            VOLUME_SYS_ROOT=str(sys_root),
        ):
            errors = check_encrypted_volumes(None)
        self.assertEqual([e.id for e in errors], ["omoikane.E010", "omoikane.E010"])
        self.assertTrue(all(isinstance(e, Error) for e in errors))
        self.assertIn(f"{self.data} is on sda1", errors[0].msg)
        self.assertIn(f"{spool} does not exist", errors[1].msg)

    def test_the_check_is_quiet_outside_production(self) -> None:
        with override_settings(PRODUCTION=False, VOLUME_SYS_ROOT=str(self.tmp)):
            self.assertEqual(check_encrypted_volumes(None), [])
