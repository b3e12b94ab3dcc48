from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from omoikane.tests.test_security_headers import production_env


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=production_env(**env),
        capture_output=True,
        text=True,
        cwd=Path(settings.BASE_DIR),
        check=False,
    )


class DeployCheckTests(SimpleTestCase):
    def test_it_passes_check_deploy_without_a_single_warning(self) -> None:
        result = run_manage("check", "--deploy", "--fail-level", "WARNING")
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn("System check identified no issues (0 silenced).", result.stdout)

    def test_it_refuses_a_database_without_verified_tls(self) -> None:
        result = run_manage("check", "--deploy", DATABASE_SSLMODE="require", DATABASE_SSLROOTCERT="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("omoikane.E002", result.stderr)

    def test_it_refuses_unencrypted_smtp(self) -> None:
        result = run_manage("check", "--deploy", EMAIL_URL="smtp://mailer:secret@smtp.omoikane.example:25")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("omoikane.E004", result.stderr)

    def test_it_requires_a_secret_key_in_production(self) -> None:
        result = run_manage("check", SECRET_KEY="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("The environment variable SECRET_KEY is required.", result.stderr)

    def test_it_requires_a_trace_store_database_in_production(self) -> None:
        result = run_manage("check", TRACES_DATABASE_URL="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("The environment variable TRACES_DATABASE_URL is required.", result.stderr)

    def test_it_refuses_a_malformed_boolean(self) -> None:
        result = run_manage("check", DEBUG="yes")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DEBUG must be true, false, 1 or 0; got 'yes'.", result.stderr)

    def test_it_refuses_a_malformed_number(self) -> None:
        result = run_manage("check", AUDIT_HOT_DAYS="ninety")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("AUDIT_HOT_DAYS must be a whole number; got 'ninety'.", result.stderr)

    def test_it_requires_an_audit_archive_recipient_in_production(self) -> None:
        result = run_manage("check", "--deploy", AUDIT_ARCHIVE_RECIPIENT="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("privacy.E002", result.stderr)
        self.assertIn("Set AUDIT_ARCHIVE_RECIPIENT in production", result.stderr)

    def test_it_refuses_a_malformed_audit_archive_key(self) -> None:
        result = run_manage(
            "check", AUDIT_ARCHIVE_RECIPIENT="age1notakey", AUDIT_ARCHIVE_SERVER_KEY="hunter2"
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("privacy.E001", result.stderr)
        self.assertIn("privacy.E003", result.stderr)
        self.assertNotIn("hunter2", result.stderr)

    def test_it_warns_when_exports_cannot_read_the_archive(self) -> None:
        result = run_manage("check", "--deploy", "--fail-level", "WARNING", AUDIT_ARCHIVE_SERVER_KEY="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("privacy.W001", result.stderr)

    def test_it_requires_a_deletion_ledger_key_in_production(self) -> None:
        result = run_manage("check", DELETION_LEDGER_KEY="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("The environment variable DELETION_LEDGER_KEY is required.", result.stderr)
