from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone


class PublicPagesTests(TestCase):
    def test_it_serves_every_public_page_without_an_account(self) -> None:
        for name in ["home", "security", "subprocessors", "privacy", "terms", "changelog"]:
            with self.subTest(page=name):
                self.assertEqual(self.client.get(reverse(f"pages:{name}")).status_code, 200)

    def test_it_answers_head_requests(self) -> None:
        self.assertEqual(self.client.head(reverse("pages:home")).status_code, 200)

    @override_settings(
        AUDIT_HOT_DAYS=45,
        AUDIT_ARCHIVE_MONTHS=18,
        EXPORT_WITHIN_HOURS=12,
        ERASURE_WITHIN_DAYS=5,
    )
    def test_it_reads_the_promised_figures_from_settings(self) -> None:
        response = self.client.get(reverse("pages:security"))
        for text in ["online for 45 days", "for 18 months", "within 12 hours", "within 5 days"]:
            self.assertContains(response, text)

    def test_it_states_the_default_figures(self) -> None:
        response = self.client.get(reverse("pages:security"))
        for text in ["online for 90 days", "for 12 months", "within 24 hours", "within 7 days"]:
            self.assertContains(response, text)

    def test_it_speaks_the_visitors_language(self) -> None:
        response = self.client.get(reverse("pages:security"), HTTP_ACCEPT_LANGUAGE="el")
        self.assertEqual(response["Content-Language"], "el")
        self.assertContains(response, '<html lang="el">')
        self.assertNotContains(response, "What we never do")

    def test_it_lists_security_credits(self) -> None:
        self.assertContains(self.client.get(reverse("pages:changelog")), 'id="security-credits"')


class SubProcessorsTests(TestCase):
    url = reverse("pages:subprocessors")
    # With Anthropic configured the page reads the last reported region from the trace store.
    databases = {"default", "traces"}

    @override_settings(ANTHROPIC_API_KEY=None, STRIPE_SECRET_KEY=None, CLOUDFLARE_DNS=False)
    def test_it_shows_unconfigured_sub_processors_as_such(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "Not configured", count=3)
        self.assertNotContains(response, "In use")

    @override_settings(
        ANTHROPIC_API_KEY="sk-ant-test-key-123456", STRIPE_SECRET_KEY=None, CLOUDFLARE_DNS=True
    )
    def test_it_shows_live_status_from_configuration(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "In use", count=2)
        self.assertContains(response, "Not configured", count=1)
        self.assertNotContains(response, "sk-ant-test-key")

    def test_it_names_purpose_data_and_location(self) -> None:
        response = self.client.get(self.url)
        for text in [
            "Anthropic PBC",
            "Stripe Payments Europe",
            "Cloudflare",
            "Card details go to Stripe",
            "European Union (Ireland)",
        ]:
            self.assertContains(response, text)


class SecurityTxtTests(TestCase):
    url = "/.well-known/security.txt"

    def fields(self) -> dict[str, str]:
        response = self.client.get(self.url)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        return dict(line.split(": ", 1) for line in response.content.decode().splitlines() if line)

    @override_settings(SECURITY_CONTACT="security@omoikane.example", SITE_URL="https://omoikane.example")
    def test_it_follows_rfc_9116(self) -> None:
        fields = self.fields()
        self.assertEqual(fields["Contact"], "mailto:security@omoikane.example")
        self.assertEqual(fields["Canonical"], "https://omoikane.example/.well-known/security.txt")
        self.assertEqual(fields["Preferred-Languages"], "en, nl, nb, de, el")
        self.assertTrue(fields["Policy"].startswith("https://omoikane.example/security/"))

    def test_it_expires_in_less_than_a_year(self) -> None:
        expires = datetime.strptime(self.fields()["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        self.assertGreater(expires, timezone.now() + timedelta(days=30))
        self.assertLess(expires, timezone.now() + timedelta(days=365))


class SecurityPageBillingTests(TestCase):
    def test_it_names_what_billing_holds_only_where_billing_runs(self) -> None:
        self.assertNotContains(self.client.get(reverse("pages:security")), 'id="billing"')
        with override_settings(STRIPE_SECRET_KEY="sk_test_x"):
            r = self.client.get(reverse("pages:security"))
        self.assertContains(r, "Never card details or your billing address")
        self.assertContains(r, "cancels the subscription at once and deletes you as a Stripe customer")
