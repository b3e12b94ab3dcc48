"""A backup killed halfway is never listed as good, and retention removes it later; which backups
retention keeps; /healthz and the age of the last restore drill; `manage.py restore` into a database that
is not empty."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from ops.actions import do_record_drill
from ops.backup.retention import to_remove
from ops.backup.targets import FolderTarget, complete_backups
from ops.models import RestoreDrill

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


class KilledBackupTests(SimpleTestCase):
    def test_it_never_lists_a_backup_killed_halfway(self) -> None:
        with tempfile.TemporaryDirectory(prefix="killed-backup-") as temp:
            root = Path(temp)
            env = {
                **os.environ,
                "OMOIKANE_PROFILE": "development",
                "VAR_DIR": str(root / "var"),
                "DATABASE_URL": f"sqlite:///{root / 'db.sqlite3'}",
                "TRACES_DATABASE_URL": f"sqlite:///{root / 'traces.sqlite3'}",
                "STORAGE_BACKEND": "filesystem",
                "BACKUP_TARGET": str(root / "backups"),
            }
            for alias in ("default", "traces"):
                subprocess.run(
                    [sys.executable, MANAGE, "migrate", "--database", alias, "-v0"], env=env, check=True
                )
            # Enough incompressible bytes that the objects part takes a while after the database part.
            media = root / "var" / "media" / "materials"
            media.mkdir(parents=True)
            (media / "big.pdf").write_bytes(os.urandom(96 * 2**20))
            backup = subprocess.Popen([sys.executable, MANAGE, "backup"], env=env, start_new_session=True)
            target = FolderTarget(root / "backups")
            deadline = time.monotonic() + 60
            while not any((root / "backups").glob("backup-*/db.age")):
                self.assertIsNone(backup.poll(), "the backup finished before it could be killed")
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.01)
            os.killpg(backup.pid, signal.SIGKILL)
            backup.wait()
            names = target.names()
            self.assertEqual(len(names), 1)
            self.assertEqual(complete_backups(target), [])
            self.assertNotIn("manifest.sig", target.keys(names[0]))
            # A day later, retention removes what the killed run left.
            later = datetime.now(UTC) + timedelta(days=2)
            self.assertEqual(to_remove(names, set(), later), names)


@override_settings(BACKUP_KEEP_DAILY_DAYS=7, BACKUP_KEEP_MONTHLY_MONTHS=3)
class RetentionTests(SimpleTestCase):
    def test_it_keeps_recent_dailies_and_the_first_of_each_month(self) -> None:
        now = datetime(2026, 12, 7, 12, tzinfo=UTC)
        names = [
            "backup-20260801T010000Z-aaaaaa",  # beyond three months: removed
            "backup-20261001T010000Z-bbbbbb",  # first of October: kept
            "backup-20261002T010000Z-cccccc",  # second of October: removed
            "backup-20261101T010000Z-dddddd",  # first of November: kept
            "backup-20261115T010000Z-eeeeee",  # removed
            "backup-20261201T010000Z-ffffff",  # first of December, and within 7 days: kept
            "backup-20261206T010000Z-gggggg",  # within 7 days: kept
            "backup-20261207T010000Z-hhhhhh",  # today, unfinished: kept until it is a day old
        ]
        complete = set(names[:-1])
        self.assertEqual(
            to_remove(names, complete, now),
            [
                "backup-20260801T010000Z-aaaaaa",
                "backup-20261002T010000Z-cccccc",
                "backup-20261115T010000Z-eeeeee",
            ],
        )

    def test_it_leaves_folders_that_are_not_backups_alone(self) -> None:
        self.assertEqual(to_remove(["notes", "backup-garbage"], set(), datetime.now(UTC)), [])


class DrillHealthTests(TestCase):
    def test_it_passes_in_development_without_backups(self) -> None:
        check = self.client.get("/healthz").json()["checks"]["restore_drill"]
        self.assertEqual(check["configured"], False)
        self.assertTrue(check["ok"])

    @override_settings(PRODUCTION=True)
    def test_it_fails_in_production_without_a_backup_target(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertFalse(response.json()["checks"]["restore_drill"]["ok"])

    @override_settings(BACKUP_TARGET="/srv/backups", RESTORE_DRILL_MAX_AGE_HOURS=24)
    def test_it_fails_until_a_drill_succeeds_and_again_when_it_is_old(self) -> None:
        self.assertEqual(self.client.get("/healthz").status_code, 503)
        do_record_drill("", started_at=timezone.now(), ok=False, error="BackupError")
        self.assertEqual(self.client.get("/healthz").status_code, 503)
        drill = do_record_drill("backup-x", started_at=timezone.now(), ok=True, rows=1, objects=1)
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        RestoreDrill.objects.filter(pk=drill.pk).update(finished_at=timezone.now() - timedelta(hours=25))
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertGreater(response.json()["checks"]["restore_drill"]["last_success_seconds"], 24 * 3600)


class RestoreCommandTests(TransactionTestCase):
    databases = {"default", "traces"}

    def test_it_refuses_to_restore_into_a_database_that_is_not_empty(self) -> None:
        with tempfile.TemporaryDirectory(prefix="restore-command-") as temp:
            folder = Path(temp)
            with override_settings(VAR_DIR=folder / "var", BACKUP_TARGET=str(folder / "backups")):
                call_command("backup")
                with self.assertRaisesMessage(CommandError, "The default database is not empty"):
                    call_command("restore")

    def test_it_says_when_there_is_nothing_to_restore(self) -> None:
        with (
            tempfile.TemporaryDirectory(prefix="restore-command-") as temp,
            override_settings(BACKUP_TARGET=str(Path(temp) / "backups")),
            self.assertRaisesMessage(CommandError, "There is no complete backup"),
        ):
            call_command("restore")
