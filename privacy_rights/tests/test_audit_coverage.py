from __future__ import annotations

from django.conf import settings
from django.test import SimpleTestCase

from privacy_kernel.audit import audit_status
from privacy_rights.tests.urlwalk import routes


class AuditCoverageTests(SimpleTestCase):
    def test_it_finds_every_view_audited_or_public(self) -> None:
        uncovered = [f"{r.name} ({r.route})" for r in routes() if audit_status(r.callback) is None]
        self.assertEqual(
            uncovered, [], "Each view needs @audited(Event...) or @public(reason): " + ", ".join(uncovered)
        )

    def test_it_audits_pages_that_show_account_data(self) -> None:
        by_name = {r.name: audit_status(r.callback) for r in routes()}
        for name in [
            "accounts:settings",
            "account_email",
            "account_change_password",
            "mfa_index",
            "mfa_activate_totp",
            "usersessions_list",
            "admin:index",
            "admin:accounts_user_change",
        ]:
            with self.subTest(view=name):
                self.assertTrue((by_name[name] or "").startswith("audited"), by_name[name])

    def test_it_keeps_the_operator_pages_audited(self) -> None:
        admin_routes = [r for r in routes() if r.route.startswith(settings.ADMIN_PATH)]
        self.assertGreater(len(admin_routes), 5)
        for route in admin_routes:
            if route.name == "admin:login":
                continue
            # Support pages about one user record on that user's chain (privacy_rights/support/operator.py).
            expected = "support.viewed" if "user_id" in route.params else "operator.viewed"
            with self.subTest(view=route.name):
                self.assertEqual(audit_status(route.callback), f"audited: {expected}")
