from __future__ import annotations

from django.test import SimpleTestCase

from omoikane.tests.test_deploy_check import run_manage


class BillingSettingsTests(SimpleTestCase):
    def test_it_requires_the_webhook_secret_and_the_price_with_stripe_in_production(self) -> None:
        result = run_manage(
            "check", STRIPE_SECRET_KEY="sk_live_x", STRIPE_WEBHOOK_SECRET="", STRIPE_PRICE_PAID=""
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(
            "With STRIPE_SECRET_KEY set, set STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_PAID too.", result.stderr
        )
        self.assertNotIn("sk_live_x", result.stderr)

    def test_it_starts_in_production_with_billing_configured(self) -> None:
        result = run_manage(
            "check",
            STRIPE_SECRET_KEY="sk_live_x",
            STRIPE_WEBHOOK_SECRET="whsec_x",
            STRIPE_PRICE_PAID="price_x",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
