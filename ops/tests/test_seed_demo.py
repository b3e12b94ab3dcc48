from __future__ import annotations

from io import StringIO

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import TestCase

from accounts.models import User
from applications.models import Application
from materials.models import Material


class SeedDemoTests(TestCase):
    def test_it_creates_a_populated_demo_account(self) -> None:
        out = StringIO()
        call_command("seed_demo", stdout=out)
        user = User.objects.get(email="demo@omoikane.example")
        self.assertIn("Password: ", out.getvalue())
        kinds = sorted(Material.objects.filter(user=user).values_list("kind", flat=True))
        self.assertEqual(kinds, ["cv", "letter", "letter"])
        cv = Material.objects.get(user=user, kind="cv")
        self.assertTrue(cv.is_primary)
        self.assertGreater(cv.chunks.count(), 10)
        self.assertTrue(EmailAddress.objects.get(user=user).verified)
        applications = Application.objects.filter(user=user).order_by("id")
        self.assertEqual([a.language for a in applications], ["en", "nb"])
        self.assertTrue(all(a.score is not None for a in applications))

    def test_it_runs_again_without_duplicating(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        out = StringIO()
        call_command("seed_demo", stdout=out)
        self.assertEqual(Material.objects.count(), 3)
        self.assertEqual(Application.objects.count(), 2)
        self.assertNotIn("Password", out.getvalue())
