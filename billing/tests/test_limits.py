from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from applications.drafting.actions import do_request_draft
from applications.tests.factories import add_application
from billing.tests.base import StripeTestCase
from coach.providers.base import DraftInstructions
from materials.actions import do_add_material
from materials.models import Material
from omoikane.errors import Refused
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor

ACTOR = Actor.system("test")
# Just over the free plan's 1 MB in the tests' settings, well under a file's own maximum.
BIG_TEXT = ("Built payment systems in Python and PostgreSQL. " * 22_000).encode()


class PlanLimitTests(StripeTestCase):
    def test_it_stops_drafting_at_the_free_plans_monthly_drafts_and_points_at_the_upgrade(self) -> None:
        application = add_application(self.alice)
        with override_settings(BILLING_FREE_DRAFTS_PER_MONTH=0), self.assertRaises(Refused) as refused:
            do_request_draft(application, DraftInstructions(language="en"), actor=ACTOR)
        self.assertEqual(refused.exception.code, "plan_limit")
        self.assertIn("Your plan includes 0 drafts a month", refused.exception.message)
        self.assertIn("/billing/", refused.exception.message)
        self.assertFalse(application.draft_generations.exists())

    def test_it_counts_the_drafts_of_this_month(self) -> None:
        application = add_application(self.alice)
        with override_settings(BILLING_FREE_DRAFTS_PER_MONTH=1):
            generation = do_request_draft(application, DraftInstructions(language="en"), actor=ACTOR)
            generation.status = generation.Status.FAILED
            generation.save(update_fields=["status"])
            with self.assertRaises(Refused):
                do_request_draft(application, DraftInstructions(language="en"), actor=ACTOR)

    def test_it_stops_uploads_beyond_the_free_plans_storage(self) -> None:
        with self.assertRaises(Refused) as refused:
            do_add_material(self.alice, kind="cv", title="CV", actor=ACTOR, data=BIG_TEXT, file_name="cv.txt")
        self.assertEqual(refused.exception.code, "quota")
        self.assertIn("storage of 1 MB", refused.exception.message)
        self.assertIn("The paid plan has more storage", refused.exception.message)
        self.assertFalse(Material.objects.exists())

    def test_it_shows_the_plans_storage_on_the_materials_page(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("materials:list")), "of your 1.0\xa0MB.")


class WithoutBillingTests(BaseTestCase):
    @override_settings(STRIPE_SECRET_KEY=None, BILLING_FREE_DRAFTS_PER_MONTH=0)
    def test_it_lets_a_self_hosted_instance_draft_without_a_monthly_limit(self) -> None:
        generation = do_request_draft(
            add_application(self.alice), DraftInstructions(language="en"), actor=ACTOR
        )
        self.assertIsNotNone(generation.pk)

    @override_settings(STRIPE_SECRET_KEY=None, BILLING_FREE_STORAGE_MB=1, MATERIALS_QUOTA_BYTES=2048)
    def test_it_keeps_the_operators_storage_setting_and_offers_no_upgrade(self) -> None:
        with self.assertRaises(Refused) as refused:
            do_add_material(
                self.alice, kind="cv", title="CV", actor=ACTOR, data=b"x" * 4096, file_name="cv.txt"
            )
        self.assertEqual(refused.exception.code, "quota")
        self.assertNotIn("paid plan", refused.exception.message)
