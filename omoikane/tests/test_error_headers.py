"""Every response carries the security headers: error pages made outside the views, Django's debug pages and
static files included, in the production and the development profile."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.test import Client, override_settings

from omoikane.middleware import DEBUG_PAGE_CSP
from omoikane.testing import BaseTestCase
from omoikane.tests.test_security_headers import SecurityHeadersTests, production_env

PRODUCTION_ERRORS = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client, override_settings
from accounts.models import User
call_command("migrate", verbosity=0)
call_command("migrate", database="traces", verbosity=0)
call_command("createcachetable", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
host = {"host": "omoikane.example"}
user = User.objects.create_user("probe@example.org", "correct horse battery staple 42")
signed_in = Client()
signed_in.force_login(user)
responses = {
    "400 https": Client().get("/security/", secure=True, headers={"host": "evil.example"}),
    "400 http": Client().get("/security/", headers={"host": "evil.example"}),
    "403": Client(enforce_csrf_checks=True).post("/account/login/", {}, secure=True, headers=host),
    "404": Client().get("/no-such-page/", secure=True, headers=host),
    "405": Client().post("/security/", secure=True, headers=host),
    "413": signed_in.post("/materials/new/", {"kind": "cv", "text": "a" * 11_000_000}, secure=True,
                          headers=host),
    "static": Client().get("/static/omoikane/omoikane.css", secure=True, headers=host),
}
with override_settings(ROOT_URLCONF="omoikane.tests.failing_urls"):
    responses["500"] = Client(raise_request_exception=False).get("/fail/", secure=True, headers=host)
print(json.dumps({name: {"status": r.status_code, "headers": dict(r.headers)}
                  for name, r in responses.items()}))
"""


class ProductionErrorHeadersTests(BaseTestCase):
    def test_it_sends_the_headers_on_every_error(self) -> None:
        with tempfile.TemporaryDirectory() as var_dir:
            env = production_env(
                VAR_DIR=var_dir,
                DATABASE_URL=f"sqlite:///{var_dir}/omoikane.sqlite3",
                TRACES_DATABASE_URL=f"sqlite:///{var_dir}/traces.sqlite3",
            )
            result = subprocess.run(
                [sys.executable, "-c", PRODUCTION_ERRORS],
                env=env,
                capture_output=True,
                text=True,
                cwd=Path(settings.BASE_DIR),
                check=False,
            )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        probe = json.loads(result.stdout.strip().splitlines()[-1])
        statuses = {name: answer["status"] for name, answer in probe.items()}
        self.assertEqual(
            statuses,
            {
                "400 https": 400,
                "400 http": 400,
                "403": 403,
                "404": 404,
                "405": 405,
                "413": 413,
                "static": 200,
                "500": 500,
            },
        )
        checker = SecurityHeadersTests()
        for name, answer in probe.items():
            with self.subTest(name):
                checker.assert_headers(name, _Answer(answer["headers"]))
                if name != "400 http":  # HSTS means nothing over plain HTTP; browsers ignore it there
                    self.assertEqual(
                        answer["headers"]["Strict-Transport-Security"],
                        "max-age=31536000; includeSubDomains; preload",
                    )


class _Answer:
    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers


class DevelopmentHeadersTests(BaseTestCase):
    def assert_basic_headers(self, response: object) -> None:
        headers = response.headers  # type: ignore[attr-defined]
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(headers["X-Frame-Options"], "DENY")
        self.assertEqual(headers["Referrer-Policy"], "same-origin")
        self.assertIn("camera=()", headers["Permissions-Policy"])

    @override_settings(DEBUG=True)
    def test_it_sends_them_on_the_debug_404_page(self) -> None:
        response = self.client.get("/no-such-page/")
        self.assertContains(response, "Page not found", status_code=404)
        self.assert_basic_headers(response)
        self.assertEqual(response.headers["Content-Security-Policy"], DEBUG_PAGE_CSP)

    @override_settings(DEBUG=True, ROOT_URLCONF="omoikane.tests.failing_urls")
    def test_it_sends_them_on_the_debug_500_page(self) -> None:
        response = Client(raise_request_exception=False).get("/fail/")
        self.assertContains(response, "a failure for the error-page tests", status_code=500)
        self.assert_basic_headers(response)
        self.assertIn("frame-ancestors 'none'", response.headers["Content-Security-Policy"])
        self.assertIn("default-src 'none'", response.headers["Content-Security-Policy"])

    def test_it_keeps_the_site_policy_outside_the_debug_pages(self) -> None:
        with override_settings(DEBUG=True):
            response = self.client.get("/security/")
        self.assertNotIn("unsafe-inline", response.headers["Content-Security-Policy"])

    def test_it_serves_static_files_with_nosniff(self) -> None:
        # runserver's own static handler bypasses the middleware; WhiteNoise's runserver does not.
        self.assertEqual(get_commands()["runserver"], "whitenoise.runserver_nostatic")
        response = self.client.get("/static/omoikane/omoikane.css")
        self.assertEqual(response.status_code, 200)
        self.assert_basic_headers(response)
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "text/css")
