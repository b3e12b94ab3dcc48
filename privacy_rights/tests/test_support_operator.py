from __future__ import annotations

from datetime import timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.actions import do_add_reply
from applications.drafting.actions import do_save_edit
from applications.intake import reply_from_text
from applications.tests.factories import add_application
from diary.tests.factories import add_entry
from materials.tests.factories import add_material
from omoikane.testing import BaseTestCase, make_user, sign_in, totp_code
from omoikane.tests.test_query_counts import AUDIT_ROW
from privacy_kernel.audit import Actor
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent, SupportGrant
from privacy_kernel.registry import personal_models
from privacy_rights.support.actions import do_grant_support, do_revoke_support
from privacy_rights.support.operator import SECTIONS
from privacy_rights.tests.urlwalk import routes

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def grant(user: User, hours: int = 4) -> SupportGrant:
    return do_grant_support(
        user,
        duration=timedelta(hours=hours),
        reason="The fit score ignores my Kafka work",
        actor=Actor.system("t"),
    )


class SupportOperatorTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.staff = make_user("ops@omoikane.example", name="Ops Person", staff=True)
        TOTP.activate(self.staff, SECRET)
        self.material = add_material(self.alice, title="Main CV")
        self.application = add_application(self.alice, company="Fjordpay AS")
        do_add_reply(
            self.application,
            reply_from_text("Unfortunately we chose another candidate."),
            actor=Actor.system("test"),
        )
        self.client.force_login(self.staff)

    def urls_for(self, user: User) -> dict[str, str]:
        return {
            "overview": reverse("admin:support_overview", args=[user.pk]),
            "materials": reverse("admin:support_materials", args=[user.pk]),
            "material": reverse("admin:support_materials_detail", args=[user.pk, self.material.pk]),
            "applications": reverse("admin:support_applications", args=[user.pk]),
            "application": reverse("admin:support_applications_detail", args=[user.pk, self.application.pk]),
        }

    def operator_events(self, event: Event, subject: User | None) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(event=event, subject=subject, actor=self.staff))

    # --- with a grant ---------------------------------------------------------------------------------

    def test_it_shows_the_users_content_during_a_grant(self) -> None:
        support = grant(self.alice)
        urls = self.urls_for(self.alice)
        self.assertContains(self.client.get(urls["overview"]), "The fit score ignores my Kafka work")
        self.assertContains(self.client.get(urls["materials"]), "Main CV")
        material = self.client.get(urls["material"])
        self.assertContains(material, "Rebuilt the card-settlement pipeline")
        self.assertContains(self.client.get(urls["applications"]), "Fjordpay AS")
        application = self.client.get(urls["application"])
        self.assertContains(application, "Unfortunately we chose another candidate.")
        self.assertContains(application, "Deep knowledge of PostgreSQL")
        self.assertContains(application, "Read-only access granted by alice@example.org")
        self.assertTrue(support.is_active)

    def test_it_shows_the_letters_during_a_grant(self) -> None:
        grant(self.alice)
        version = do_save_edit(
            self.application, "Dear team,\n\nI built the settlement pipeline.", actor=Actor.system("t")
        )
        listing = self.client.get(reverse("admin:support_letters", args=[self.alice.pk]))
        self.assertContains(listing, "Fjordpay AS")
        detail = self.client.get(reverse("admin:support_letters_detail", args=[self.alice.pk, version.pk]))
        self.assertContains(detail, "I built the settlement pipeline.")

    def test_it_shows_the_diary_during_a_grant(self) -> None:
        grant(self.alice)
        entry = add_entry(self.alice, "Asked a former colleague to introduce me", outcome="A call next week")
        listing = self.client.get(reverse("admin:support_diary", args=[self.alice.pk]))
        self.assertContains(listing, "Asked a former colleague")
        detail = self.client.get(reverse("admin:support_diary_detail", args=[self.alice.pk, entry.pk]))
        self.assertContains(detail, "A call next week")
        latest = max(self.operator_events(Event.SUPPORT_VIEWED, self.alice), key=lambda e: e.sequence)
        self.assertEqual(latest.metadata["page"], f"diary/{entry.pk}")

    def test_it_records_every_page_on_the_users_chain(self) -> None:
        support = grant(self.alice)
        urls = self.urls_for(self.alice)
        for url in urls.values():
            self.client.get(url)
        events = self.operator_events(Event.SUPPORT_VIEWED, self.alice)
        self.assertEqual(
            [e.metadata["page"] for e in sorted(events, key=lambda e: e.sequence)],
            [
                "overview",
                "materials",
                f"materials/{self.material.pk}",
                "applications",
                f"applications/{self.application.pk}",
            ],
        )
        self.assertTrue(all(e.actor_kind == ActorKind.OPERATOR for e in events))
        self.assertTrue(all(e.metadata["grant"] == support.pk for e in events))
        self.assertEqual(events[2].target_id, str(self.material.pk))
        # The operator site's generic event is not written on top of the precise one.
        self.assertFalse(AuditEvent.objects.filter(event=Event.OPERATOR_VIEWED).exists())

    def test_it_shows_the_visit_on_the_users_activity_page_at_once(self) -> None:
        grant(self.alice)
        self.client.get(self.urls_for(self.alice)["material"])
        self.client.force_login(self.alice)
        response = self.client.get(reverse("privacy:activity"))
        self.assertContains(response, "Support viewed your data")
        self.assertContains(response, "badge-operator")
        self.assertContains(response, f"Materials, item {self.material.pk}")
        self.assertContains(response, "An operator accessed your account 1 time.")

    def test_it_does_not_open_another_user_with_alices_grant(self) -> None:
        grant(self.alice)
        add_material(self.charlie, title="Charlie CV")
        for name, url in self.urls_for(self.charlie).items():
            with self.subTest(page=name):
                response = self.client.get(url)
                self.assertContains(response, "No support access", status_code=403)
                self.assertNotContains(response, "Charlie CV", status_code=403)
        self.assertEqual(len(self.operator_events(Event.SUPPORT_DENIED, self.charlie)), 5)
        self.assertFalse(self.operator_events(Event.SUPPORT_VIEWED, self.charlie))

    def test_it_does_not_show_another_users_object_under_a_granted_user(self) -> None:
        grant(self.alice)
        theirs = add_material(self.charlie, title="Charlie CV")
        url = reverse("admin:support_materials_detail", args=[self.alice.pk, theirs.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertFalse(self.operator_events(Event.SUPPORT_VIEWED, self.alice))

    def test_it_is_read_only(self) -> None:
        grant(self.alice)
        for name, url in self.urls_for(self.alice).items():
            with self.subTest(page=name):
                self.assertEqual(self.client.post(url, {"title": "Changed"}).status_code, 405)
        self.assertEqual(self.client.post(reverse("admin:support_index")).status_code, 405)
        self.material.refresh_from_db()
        self.assertEqual(self.material.title, "Main CV")

    # --- without a grant ------------------------------------------------------------------------------

    def assert_refused(self, user: User) -> None:
        viewed_before = len(self.operator_events(Event.SUPPORT_VIEWED, user))
        for name, url in self.urls_for(user).items():
            with self.subTest(page=name):
                response = self.client.get(url)
                self.assertContains(response, "No support access", status_code=403)
                self.assertNotContains(response, "Main CV", status_code=403)
                self.assertNotContains(response, "Fjordpay", status_code=403)
        denied = self.operator_events(Event.SUPPORT_DENIED, user)
        self.assertEqual(len(denied), 5)
        self.assertTrue(all(e.actor_kind == ActorKind.OPERATOR for e in denied))
        self.assertEqual(len(self.operator_events(Event.SUPPORT_VIEWED, user)), viewed_before)

    def test_it_refuses_without_a_grant_and_records_it(self) -> None:
        self.assert_refused(self.alice)

    def test_it_refuses_after_the_grant_expired(self) -> None:
        support = grant(self.alice, hours=1)
        # An hour passing, which is all that ends a grant.
        SupportGrant.objects.filter(pk=support.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        self.assert_refused(self.alice)

    def test_it_refuses_after_the_grant_was_revoked(self) -> None:
        support = grant(self.alice)
        self.assertEqual(self.client.get(self.urls_for(self.alice)["overview"]).status_code, 200)
        do_revoke_support(support, actor=Actor(kind=ActorKind.USER, user=self.alice))
        self.assert_refused(self.alice)

    def test_it_records_a_refusal_for_an_unknown_account_on_the_system_chain(self) -> None:
        response = self.client.get(reverse("admin:support_overview", args=[999_999]))
        self.assertEqual(response.status_code, 403)
        event = AuditEvent.objects.get(event=Event.SUPPORT_DENIED)
        self.assertIsNone(event.subject)
        self.assertEqual(event.actor, self.staff)

    # --- who may use the support pages at all ---------------------------------------------------------

    def test_it_sends_non_staff_to_sign_in(self) -> None:
        grant(self.alice)
        TOTP.activate(self.charlie, SECRET)
        self.client.force_login(self.charlie)
        for url in [reverse("admin:support_index"), *self.urls_for(self.alice).values()]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 302)
        self.assertFalse(AuditEvent.objects.filter(event=Event.SUPPORT_VIEWED).exists())

    def test_it_refuses_staff_without_two_factor(self) -> None:
        grant(self.alice)
        no_mfa = make_user("new-ops@omoikane.example", staff=True)
        self.client.force_login(no_mfa)
        for url in [reverse("admin:support_index"), *self.urls_for(self.alice).values()]:
            with self.subTest(url=url):
                self.assertContains(
                    self.client.get(url), "Two-factor authentication required", status_code=403
                )
        self.assertEqual(AuditEvent.objects.filter(event=Event.OPERATOR_DENIED, actor=no_mfa).count(), 6)
        self.assertFalse(AuditEvent.objects.filter(event=Event.SUPPORT_VIEWED).exists())

    def test_it_lets_staff_in_after_the_real_two_factor_sign_in(self) -> None:
        grant(self.alice)
        self.client.logout()
        sign_in(self.client, self.staff)
        url = self.urls_for(self.alice)["material"]
        self.assertEqual(self.client.get(url).status_code, 302)
        self.client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
        self.assertContains(self.client.get(url), "Rebuilt the card-settlement pipeline")

    # --- the list of users who granted access ---------------------------------------------------------

    def test_it_lists_only_users_with_an_active_grant(self) -> None:
        grant(self.alice)
        revoked = grant(self.charlie)
        do_revoke_support(revoked, actor=Actor.system("t"))
        response = self.client.get(reverse("admin:support_index"))
        self.assertContains(response, "alice@example.org")
        self.assertContains(response, "The fit score ignores my Kafka work")
        self.assertNotContains(response, "charlie@example.org")
        self.assertNotContains(response, "Main CV")
        event = AuditEvent.objects.get(event=Event.OPERATOR_VIEWED)
        self.assertIsNone(event.subject)

    def test_it_lists_with_a_fixed_number_of_queries(self) -> None:
        grant(self.alice)
        url = reverse("admin:support_index")
        self.client.get(url)
        with self.assertNumQueries(QUERIES_ON_SUPPORT_LIST):
            self.client.get(url)
        for index in range(5):
            grant(make_user(f"user{index}@example.org"))
        with self.assertNumQueries(QUERIES_ON_SUPPORT_LIST):
            response = self.client.get(url)
        self.assertEqual(len(response.context["grants"]), 6)


# Session and user (2; the session tracker writes at most once a minute, and the first request did), the
# two-factor check (1), the staff member's permissions for the sidebar (2), the grants with their users (1),
# the audit row (chain head and insert; one statement on PostgreSQL).
QUERIES_ON_SUPPORT_LIST = 6 + AUDIT_ROW


class SupportReachTests(BaseTestCase):
    """Staff reach user content through the support pages only, and only with a grant."""

    def test_it_registers_no_content_model_on_the_operator_site(self) -> None:
        personal = {entry.model for entry in personal_models()} - {User}
        registered = set(admin.site._registry)
        self.assertEqual(registered & personal, set(), "Operator site exposes user content without a grant")

    def test_it_checks_the_grant_on_every_operator_page_about_one_user(self) -> None:
        staff = make_user("ops@omoikane.example", staff=True)
        TOTP.activate(staff, SECRET)
        self.client.force_login(staff)
        add_material(self.alice)
        add_application(self.alice)
        about_a_user = [
            r for r in routes() if r.route.startswith(settings.ADMIN_PATH) and "user_id" in r.params
        ]
        self.assertGreaterEqual(len(about_a_user), 1 + 2 * len(SECTIONS))
        for route in about_a_user:
            kwargs = {"user_id": self.alice.pk}
            if "pk" in route.params:
                section = next(s for s in SECTIONS if f"/{s.slug}/" in route.route)
                first = section.rows(self.alice).first()
                kwargs["pk"] = first.pk if first is not None else 1
            url = reverse(route.name, kwargs=kwargs)
            with self.subTest(url=route.name):
                self.assertEqual(self.client.get(url).status_code, 403)
        grant(self.alice)
        for route in about_a_user:
            with self.subTest(url=route.name, granted=True):
                kwargs = {"user_id": self.alice.pk}
                if "pk" in route.params:
                    section = next(s for s in SECTIONS if f"/{s.slug}/" in route.route)
                    first = section.rows(self.alice).first()
                    kwargs["pk"] = first.pk if first is not None else 1
                self.assertIn(self.client.get(reverse(route.name, kwargs=kwargs)).status_code, {200, 404})
