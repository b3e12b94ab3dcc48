from __future__ import annotations

from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from omoikane.testing import BaseTestCase, make_user
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent

INDEX = "/" + settings.ADMIN_PATH


class OperatorSiteTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.staff = make_user("ops@omoikane.example", name="Ops Person", staff=True)
        self.staff.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="accounts", codename__in=["view_user", "change_user"]
            )
        )

    def test_it_lives_at_a_non_default_path(self) -> None:
        self.assertNotEqual(settings.ADMIN_PATH, "admin/")
        self.assertEqual(self.client.get("/admin/").status_code, 404)

    def test_it_sends_visitors_to_the_account_sign_in(self) -> None:
        response = self.client.get(INDEX)
        self.assertEqual(response.status_code, 302)
        login = self.client.get(response["Location"])
        self.assertIn("/account/login/", login["Location"])

    def test_it_refuses_staff_without_two_factor_and_records_it(self) -> None:
        self.client.force_login(self.staff)
        response = self.client.get(INDEX)
        self.assertContains(response, "Two-factor authentication required", status_code=403)
        event = AuditEvent.objects.get(event=Event.OPERATOR_DENIED)
        self.assertEqual((event.actor, event.actor_kind), (self.staff, ActorKind.OPERATOR))

    def test_it_refuses_non_staff(self) -> None:
        TOTP.activate(self.alice, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(INDEX).status_code, 302)
        self.assertEqual(self.client.get(f"{INDEX}accounts/user/").status_code, 302)

    def test_it_shows_staff_with_two_factor_account_metadata(self) -> None:
        TOTP.activate(self.staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        self.client.force_login(self.staff)
        response = self.client.get(f"{INDEX}accounts/user/")
        self.assertContains(response, "alice@example.org")
        self.assertTrue(AuditEvent.objects.filter(event=Event.OPERATOR_VIEWED, actor=self.staff).exists())

    def test_it_has_no_view_on_site_route_that_tells_which_objects_exist(self) -> None:
        from materials.tests.factories import add_material  # a test helper, only this test needs it

        material = add_material(self.alice)
        TOTP.activate(self.staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        self.client.force_login(self.staff)
        type_id = ContentType.objects.get_for_model(type(material)).pk
        existing = self.client.get(f"{INDEX}r/{type_id}/{material.pk}/")
        missing = self.client.get(f"{INDEX}r/{type_id}/987654321/")
        self.assertEqual((existing.status_code, missing.status_code), (404, 404))
        self.assertNotIn("Location", existing)

    def test_it_shows_the_user_that_an_operator_opened_their_account(self) -> None:
        TOTP.activate(self.staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(f"{INDEX}accounts/user/{self.alice.pk}/change/").status_code, 200)
        event = AuditEvent.objects.get(event=Event.OPERATOR_VIEWED, subject=self.alice)
        self.assertEqual(event.actor_kind, ActorKind.OPERATOR)

    def test_it_cannot_edit_what_the_user_owns(self) -> None:
        TOTP.activate(self.staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        self.client.force_login(self.staff)
        self.client.post(
            f"{INDEX}accounts/user/{self.alice.pk}/change/",
            {"email": "taken@example.org", "name": "Changed", "is_active": "on"},
        )
        self.alice.refresh_from_db()
        self.assertEqual((self.alice.email, self.alice.name), ("alice@example.org", "Alice Andersen"))
        self.assertEqual(self.client.get(f"{INDEX}accounts/user/{self.alice.pk}/delete/").status_code, 403)

    def test_it_registers_only_account_metadata(self) -> None:
        # Adding a model that holds user content (materials, letters, diary) here would break a promise.
        self.assertEqual(set(admin.site._registry), {User, Group})
