"""Backups and restores with real files: a folder target, SQLite databases, the age and Ed25519 keys of
development (made in a private var/ per test)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Any

import psycopg
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TransactionTestCase, override_settings

from materials.tests.factories import add_material
from omoikane.storage import filesystem_storages
from omoikane.testing import make_user
from ops.backup.drill import scratch_database
from ops.backup.keys import BackupError
from ops.backup.make import make_backup
from ops.backup.parts import pg_connect_kwargs
from ops.backup.restore import open_backup, restore
from ops.backup.targets import FolderTarget, complete_backups
from ops.models import BackupRun, RestoreDrill
from privacy_kernel.audit import Actor
from privacy_rights.actions import do_request_erasure
from privacy_rights.erasure import run_erasure

_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"


def _rows(db: dict[str, Any], query: str) -> list[tuple[Any, ...]]:
    """Run `query` on a restored database of either engine (the test's own SQL, no app code)."""
    if db["ENGINE"] == "django.db.backends.sqlite3":
        with closing(sqlite3.connect(db["NAME"])) as conn, conn:
            return conn.execute(query).fetchall()
    if query == _TABLES:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    with psycopg.connect(**pg_connect_kwargs(db)) as pg:
        cursor = pg.execute(query)
        return cursor.fetchall() if cursor.description else []


class BackupTests(TransactionTestCase):
    databases = {"default", "traces"}

    def setUp(self) -> None:
        self.temp = Path(tempfile.mkdtemp(prefix="backup-test-"))
        self.addCleanup(lambda: __import__("shutil").rmtree(self.temp, ignore_errors=True))
        self.target_dir = self.temp / "target"
        overrides = override_settings(
            VAR_DIR=self.temp / "var",
            MEDIA_ROOT=str(self.temp / "media"),
            STORAGES={
                **filesystem_storages(archive_root=self.temp / "archive"),
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            BACKUP_TARGET=str(self.target_dir),
        )
        overrides.enable()
        self.addCleanup(overrides.disable)
        self.alice = make_user("alice@example.org")
        self.material = add_material(self.alice, as_file=True)
        self.target = FolderTarget(self.target_dir)

    def _scratch(self) -> tuple[dict[str, dict[str, Any]], dict[str, FileSystemStorage]]:
        """Empty databases of the engine under test (the drill's own scratch databases) and folders."""
        scratch = self.temp / "scratch"
        scratch.mkdir(exist_ok=True)
        stack = ExitStack()
        self.addCleanup(stack.close)
        databases = {
            alias: stack.enter_context(scratch_database(alias, scratch)) for alias in ("default", "traces")
        }
        return databases, {
            "default": FileSystemStorage(location=scratch / "media"),
            "archive": FileSystemStorage(location=scratch / "archive"),
        }

    def test_it_round_trips_rows_and_files_encrypted(self) -> None:
        made = make_backup(self.target)
        self.assertEqual(complete_backups(self.target), [made.name])
        self.assertGreaterEqual(made.objects, 1)
        # Nothing in the target is readable: every part is age ciphertext.
        pdf = Path(self.material.original.path).read_bytes()
        self.assertIn(b"Fjordpay", pdf)
        for part in (self.target_dir / made.name).iterdir():
            data = part.read_bytes()
            self.assertNotIn(b"alice@example.org", data)
            self.assertNotIn(b"Fjordpay", data)
        databases, storages = self._scratch()
        with open_backup(self.target, made.name) as opened:
            restored = restore(opened, databases=databases, storages=storages)
        self.assertEqual(restored.objects, made.objects)
        self.assertEqual(
            _rows(databases["default"], "SELECT email FROM accounts_user"), [("alice@example.org",)]
        )
        self.assertEqual(storages["default"].open(str(self.material.original.name)).read(), pdf)

    def test_it_refuses_a_tampered_part_and_restores_nothing(self) -> None:
        made = make_backup(self.target)
        part = self.target_dir / made.name / "db.age"
        data = bytearray(part.read_bytes())
        data[-10] ^= 1
        part.write_bytes(bytes(data))
        databases, storages = self._scratch()
        with (
            self.assertRaisesMessage(BackupError, "db.age was changed"),
            open_backup(self.target, made.name) as opened,
        ):
            restore(opened, databases=databases, storages=storages)
        self.assertEqual(_rows(databases["default"], _TABLES), [])

    def test_it_refuses_a_truncated_part(self) -> None:
        made = make_backup(self.target)
        part = self.target_dir / made.name / "objects-default.age"
        part.write_bytes(part.read_bytes()[:-100])
        with (
            self.assertRaisesMessage(BackupError, "objects-default.age is truncated"),
            open_backup(self.target, made.name),
        ):
            pass

    def test_it_refuses_a_missing_part(self) -> None:
        made = make_backup(self.target)
        (self.target_dir / made.name / "traces.age").unlink()
        with (
            self.assertRaisesMessage(BackupError, "traces.age is missing"),
            open_backup(self.target, made.name),
        ):
            pass

    def test_it_refuses_a_changed_manifest(self) -> None:
        made = make_backup(self.target)
        manifest = self.target_dir / made.name / "manifest.age"
        manifest.write_bytes(manifest.read_bytes()[:-1] + b"\x00")
        with (
            self.assertRaisesMessage(BackupError, "signature does not verify"),
            open_backup(self.target, made.name),
        ):
            pass

    def test_it_refuses_a_wrong_key(self) -> None:
        made = make_backup(self.target)
        other = self.temp / "other-identity.txt"
        from pyrage import x25519  # only this test needs a second key

        other.write_text(str(x25519.Identity.generate()))
        with (
            override_settings(BACKUP_IDENTITY_FILE=str(other)),
            self.assertRaisesMessage(BackupError, "wrong key"),
            open_backup(self.target, made.name),
        ):
            pass

    def test_it_refuses_to_restore_into_a_non_empty_database(self) -> None:
        made = make_backup(self.target)
        databases, storages = self._scratch()
        _rows(databases["default"], "CREATE TABLE leftover (id INTEGER)")
        with (
            self.assertRaisesMessage(BackupError, "default database is not empty"),
            open_backup(self.target, made.name) as opened,
        ):
            restore(opened, databases=databases, storages=storages)

    def test_it_does_not_list_an_unfinished_backup(self) -> None:
        made = make_backup(self.target)
        (self.target_dir / made.name / "manifest.sig").unlink()
        self.assertEqual(complete_backups(self.target), [])
        with (
            self.assertRaisesMessage(BackupError, "not a complete backup"),
            open_backup(self.target, made.name),
        ):
            pass

    def test_it_reports_a_full_target_and_keeps_the_earlier_backup(self) -> None:
        if os.geteuid() != 0:
            self.skipTest("mounting a small file system for the target needs root (CI runs as root)")
        measured = make_backup(FolderTarget(self.temp / "measure"))
        small = self.temp / "small"
        small.mkdir()
        # Room for one backup and a half: the second one fills the disk part-way.
        size = (measured.size * 3 // 2 // 4096 + 4) * 4096
        subprocess.run(
            ["/usr/bin/mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(small)], check=True
        )
        self.addCleanup(subprocess.run, ["/usr/bin/umount", str(small)], check=False)
        target = FolderTarget(small / "backups")
        first = make_backup(target)
        with self.assertRaisesMessage(BackupError, "is full"):
            make_backup(target)
        self.assertEqual(complete_backups(target), [first.name])
        self.assertEqual(target.names(), [first.name])  # nothing of the failed one is left
        with open_backup(target, first.name) as opened:
            self.assertEqual(opened.name, first.name)

    def test_it_drills_and_keeps_an_erased_account_erased(self) -> None:
        call_command("backup")
        bob = make_user("bob@example.org")
        del bob
        erasure = do_request_erasure(self.alice, actor=Actor.system("test"))
        run_erasure(erasure.pk)
        call_command("restore_drill")
        drill = RestoreDrill.objects.get()
        self.assertTrue(drill.ok, drill.error)
        self.assertEqual(drill.accounts_erased_again, 1)
        self.assertGreater(drill.rows_verified, 0)
        self.assertGreaterEqual(drill.objects_verified, 1)
        self.assertTrue(BackupRun.objects.get().ok)

    def test_it_fails_the_drill_without_a_backup(self) -> None:
        with self.assertRaisesMessage(CommandError, "no complete backup"):
            call_command("restore_drill")
        self.assertFalse(RestoreDrill.objects.get().ok)
