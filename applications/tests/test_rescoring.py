from __future__ import annotations

from django.core.management import call_command
from django.test import TransactionTestCase

from applications.models import FitScore
from applications.tests.factories import add_application
from materials.tests.factories import add_material
from omoikane.testing import make_user


class RescoringTests(TransactionTestCase):
    def test_it_rescores_in_the_background_when_materials_change(self) -> None:
        alice = make_user("alice@example.org")
        application = add_application(alice)
        first = FitScore.objects.get(application=application)
        self.assertEqual(first.materials_versions, {})
        add_material(alice)
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        latest = FitScore.objects.filter(application=application).first()
        assert latest is not None
        self.assertNotEqual(latest.pk, first.pk)
        self.assertGreater(latest.value, first.value)
        self.assertEqual(len(latest.materials_versions), 1)
        self.assertTrue(FitScore.objects.filter(pk=first.pk).exists())  # the old score stays readable
