from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from pyrage import x25519

from omoikane.testing import BaseTestCase
from omoikane.tests.pages import page_paths, visit_all

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def parse_csp(header: str) -> dict[str, str]:
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value.strip()
    return directives


class SecurityHeadersTests(BaseTestCase):
    def assert_headers(self, path: str, response: object) -> None:
        headers = response.headers  # type: ignore[attr-defined]
        csp = parse_csp(headers["Content-Security-Policy"])
        for directive, value in EXPECTED_CSP.items():
            self.assertEqual(csp.get(directive), value, f"{path}: {directive}")
        self.assertNotIn("unsafe-inline", headers["Content-Security-Policy"], path)
        self.assertNotIn("unsafe-eval", headers["Content-Security-Policy"], path)
        self.assertEqual(headers["Referrer-Policy"], "same-origin", path)
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff", path)
        self.assertEqual(headers["Cross-Origin-Opener-Policy"], "same-origin", path)
        self.assertEqual(headers["X-Frame-Options"], "DENY", path)
        self.assertIn("camera=()", headers["Permissions-Policy"], path)
        self.assertIn("geolocation=()", headers["Permissions-Policy"], path)

    def test_it_covers_the_main_pages(self) -> None:
        paths = page_paths()
        for path in [
            "/",
            "/security/",
            "/sub-processors/",
            "/privacy/",
            "/terms/",
            "/changelog/",
            "/.well-known/security.txt",
            "/healthz",
            "/settings/",
            "/account/login/",
        ]:
            self.assertIn(path, paths)

    def test_it_sends_them_to_visitors(self) -> None:
        for path, response in visit_all(self.client):
            with self.subTest(path=path):
                self.assert_headers(path, response)

    def test_it_sends_them_to_signed_in_users(self) -> None:
        self.client.force_login(self.alice)
        for path, response in visit_all(self.client):
            with self.subTest(path=path):
                self.assert_headers(path, response)

    def test_it_sends_them_on_errors(self) -> None:
        self.assert_headers("404", self.client.get("/no-such-page/"))


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
response = Client().get("/security/", secure=True, headers={"host": "omoikane.example"})
print(json.dumps({"status": response.status_code, "headers": dict(response.headers),
                  "cookies": {name: dict(morsel) for name, morsel in response.cookies.items()}}))
"""


def production_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE", "EMAIL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="omoikane.settings",
        OMOIKANE_PROFILE="production",
        SECRET_KEY="production-test-" + "k" * 60,
        DELETION_LEDGER_KEY="ledger-test-" + "l" * 60,
        CALENDAR_CREDENTIALS_KEY="cHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHA=",
        ALLOWED_HOSTS="omoikane.example",
        SITE_URL="https://omoikane.example",
        DATABASE_URL="postgres://omoikane@db.omoikane.example:5433/omoikane",
        DATABASE_SSLROOTCERT="/etc/omoikane/db-ca.pem",
        TRACES_DATABASE_URL="postgres://omoikane@db.omoikane.example:5433/omoikane_traces",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.omoikane.example:587",
        # Keys made for the run: the offline one's identity is dropped at once, as an operator keeps it away.
        AUDIT_ARCHIVE_RECIPIENT=str(x25519.Identity.generate().to_public()),
        AUDIT_ARCHIVE_SERVER_KEY=str(x25519.Identity.generate()),
        # The test machine's disks are not encrypted; the check is tested on a fake /sys (test_volumes.py).
        VOLUMES_ENCRYPTED_OTHERWISE="/",
        # The residency allowlist: the hosts above are the operator's own, in the EEA.
        RESIDENCY_HOST_SUFFIXES=".omoikane.example",
    )
    env.update(extra)
    return env


class ProductionHeadersTests(BaseTestCase):
    def test_it_sends_hsts_in_production(self) -> None:
        with tempfile.TemporaryDirectory() as var_dir:
            result = subprocess.run(
                [sys.executable, "-c", PRODUCTION_PROBE],
                env=production_env(VAR_DIR=var_dir),
                capture_output=True,
                text=True,
                cwd=Path(settings.BASE_DIR),
                check=True,
            )
        probe = json.loads(result.stdout.strip().splitlines()[-1])
        self.assertEqual(probe["status"], 200)
        self.assertEqual(
            probe["headers"]["Strict-Transport-Security"], "max-age=31536000; includeSubDomains; preload"
        )
        self.assertIn("frame-ancestors 'none'", probe["headers"]["Content-Security-Policy"])
        # The footer's language form sets the CSRF cookie: host-only, Secure, behind the __Host- prefix.
        csrf = probe["cookies"]["__Host-csrftoken"]
        self.assertTrue(csrf["secure"])
        self.assertEqual((csrf["path"], csrf["domain"]), ("/", ""))
