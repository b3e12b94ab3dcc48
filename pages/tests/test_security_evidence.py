"""The Security page shows each durability promise with its latest proof, and says so when one is missing."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import timezone

from omoikane.tests.test_security_headers import production_env
from ops.actions import do_record_audit_verify, do_record_backup, do_record_drill
from ops.models import RestoreDrill


class SecurityEvidenceTests(TestCase):
    def test_it_says_plainly_when_there_is_no_proof(self) -> None:
        page = self.client.get("/security/").content.decode()
        self.assertIn("No backup target is configured on this installation: nothing is backed up.", page)
        self.assertIn("No restore drill has succeeded yet: our backups are not proven to restore.", page)
        self.assertIn("The audit log has not been fully verified yet.", page)
        self.assertIn("No export in the last 30 days.", page)
        self.assertIn("No account deletion in the last 30 days.", page)

    @override_settings(BACKUP_TARGET="/srv/backups")
    def test_it_shows_the_latest_backup_drill_and_verification(self) -> None:
        started = timezone.now() - timedelta(minutes=5)
        do_record_backup("backup-x", started_at=started, ok=True, size=3 * 2**20, rows=10, objects=2)
        do_record_drill("backup-x", started_at=started, ok=True, rows=298, objects=7, chains=3)
        do_record_audit_verify(started_at=started, chains=4, events=120, broken=0)
        page = self.client.get("/security/").content.decode()
        self.assertIn("3.0\xa0MB, encrypted with age before it left the host", page)
        self.assertIn("rows verified: 298; files verified: 7", page)
        self.assertIn("chains: 4, entries: 120", page)
        self.assertIn("Every chain was intact.", page)
        self.assertNotIn("This is out of date.", page)
        self.assertNotIn("the proof is out of date", page)

    @override_settings(BACKUP_TARGET="/srv/backups", RESTORE_DRILL_MAX_AGE_HOURS=48)
    def test_it_calls_an_old_drill_out_of_date(self) -> None:
        drill = do_record_drill("backup-x", started_at=timezone.now(), ok=True, rows=1, objects=1)
        RestoreDrill.objects.filter(pk=drill.pk).update(finished_at=timezone.now() - timedelta(hours=49))
        page = self.client.get("/security/").content.decode()
        self.assertIn("This is older than 48 hours: the proof is out of date.", page)

    def test_it_does_not_show_a_failed_drill_as_proof(self) -> None:
        do_record_drill("", started_at=timezone.now(), ok=False, error="BackupError")
        page = self.client.get("/security/").content.decode()
        self.assertIn("No restore drill has succeeded yet", page)

    @override_settings(
        STORAGES={
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"endpoint_url": "https://s3.example.com", "region_name": "us-east-1"},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    def test_it_shows_a_failing_residency_check(self) -> None:
        page = self.client.get("/security/").content.decode()
        self.assertIn("The residency check fails for:", page)
        self.assertIn("object storage default (us-east-1)", page)


class SubProcessorRegisterTests(TestCase):
    @override_settings(
        RESIDENCY_REGIONS=["eu-central-1", "eu-north-1"], RESIDENCY_HOST_SUFFIXES=[".fsn1.example"]
    )
    def test_it_shows_the_residency_allowlist(self) -> None:
        page = self.client.get("/sub-processors/").content.decode()
        self.assertIn("Allowed regions: eu-central-1, eu-north-1.", page)
        self.assertIn("Allowed host names end with: .fsn1.example.", page)


PROBE = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
response = Client().get("/security/", secure=True, headers={"host": "omoikane.example"})
print(response.status_code)
print(response.content.decode())
"""


class EvidenceUnavailableTests(SimpleTestCase):
    def test_it_renders_the_promises_and_says_the_proof_could_not_be_read(self) -> None:
        # The production settings point at a database host that does not resolve: every query fails.
        with tempfile.TemporaryDirectory() as var_dir:
            result = subprocess.run(
                [sys.executable, "-c", PROBE],
                env=production_env(VAR_DIR=var_dir),
                capture_output=True,
                text=True,
                cwd=Path(settings.BASE_DIR),
                check=True,
            )
        status, page = result.stdout.split("\n", 1)
        self.assertEqual(status, "200")
        self.assertIn("The proof could not be read from the database just now.", page)
        self.assertNotIn("No restore drill has succeeded yet", page)
        self.assertIn("Backups are encrypted with age", page)
