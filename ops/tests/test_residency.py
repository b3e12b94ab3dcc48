from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from omoikane.tests.test_deploy_check import run_manage
from ops.residency import check_residency, findings

NON_EEA_S3 = {
    "STORAGE_BACKEND": "s3",
    "S3_ENDPOINT_URL": "https://s3.omoikane.example",
    "S3_BUCKET": "omoikane-media",
    "S3_ARCHIVE_BUCKET": "omoikane-archive",
    "S3_ACCESS_KEY_ID": "app",
    "S3_SECRET_ACCESS_KEY": "app-secret-value",
}


class ResidencyCheckTests(SimpleTestCase):
    def test_it_refuses_to_start_with_object_storage_outside_the_eea(self) -> None:
        result = run_manage("check", "--deploy", **NON_EEA_S3, S3_REGION="us-east-1")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ops.E001", result.stderr)
        self.assertIn("object storage default: region 'us-east-1' is not in the EEA allowlist", result.stderr)

    def test_it_refuses_to_start_with_a_backup_target_outside_the_eea(self) -> None:
        result = run_manage(
            "check",
            "--deploy",
            BACKUP_TARGET="s3://omoikane-backups/daily",
            BACKUP_S3_ENDPOINT_URL="https://backups.storage.us.example",
            BACKUP_S3_REGION="us-west-2",
            BACKUP_S3_ACCESS_KEY_ID="backup",
            BACKUP_S3_SECRET_ACCESS_KEY="backup-secret-value",
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("backups: host 'backups.storage.us.example' is not in the EEA allowlist", result.stderr)
        self.assertIn("backups: region 'us-west-2' is not in the EEA allowlist", result.stderr)
        self.assertNotIn("backup-secret-value", result.stderr + result.stdout)

    def test_it_accepts_eea_places(self) -> None:
        result = run_manage("check", "--deploy", **NON_EEA_S3, S3_REGION="eu-north-1")
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_it_refuses_a_database_host_outside_the_allowlist(self) -> None:
        result = run_manage(
            "check", "--deploy", DATABASE_URL="postgres://omoikane@db.us-east.example.com:5433/omoikane"
        )
        self.assertIn("database default: host 'db.us-east.example.com'", result.stderr)

    @override_settings(ANTHROPIC_API_KEY="sk-test", ANTHROPIC_INFERENCE_GEO="us")
    def test_it_warns_in_development_about_the_model_region(self) -> None:
        messages = check_residency(None)
        self.assertEqual([m.id for m in messages], ["ops.W001"])
        self.assertIn("language model inference: region 'us'", messages[0].msg)

    def test_it_accepts_this_sites_own_hosts(self) -> None:
        self.assertTrue(all(finding.allowed for finding in findings()))
