from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent, SupportGrant
from privacy_rights.support.actions import do_grant_support

PAGE = reverse("privacy:support")
GRANT = reverse("privacy:support_grant")


class SupportSettingsPageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_explains_what_support_can_see(self) -> None:
        response = self.client.get(PAGE)
        self.assertContains(response, "read-only view of your materials, applications, letters and diary")
        self.assertContains(response, "Every page they open shows in your activity log")
        self.assertContains(response, '<option value="168">7 days</option>', html=True)
        self.assertContains(response, "You have not given support access before.")

    def test_it_is_linked_from_the_settings_navigation(self) -> None:
        response = self.client.get(reverse("accounts:settings"))
        self.assertContains(response, f'href="{PAGE}"')

    def test_it_records_the_visit(self) -> None:
        self.client.get(PAGE)
        event = AuditEvent.objects.get(event=Event.ACCOUNT_PAGE_VIEWED, subject=self.alice)
        self.assertEqual(event.metadata["page"], "privacy:support")

    def test_it_grants_access(self) -> None:
        response = self.client.post(GRANT, {"duration": "4", "reason": "My CV import lost a section"})
        self.assertRedirects(response, PAGE)
        grant = SupportGrant.objects.get(user=self.alice)
        self.assertEqual(grant.expires_at - grant.granted_at, timedelta(hours=4))
        event = AuditEvent.objects.get(event=Event.SUPPORT_GRANTED)
        self.assertEqual(
            (event.actor, event.actor_kind, event.subject), (self.alice, ActorKind.USER, self.alice)
        )
        page = self.client.get(PAGE)
        self.assertContains(page, "Support can see your data now")
        self.assertContains(page, "My CV import lost a section")
        self.assertContains(page, reverse("privacy:support_revoke", args=[grant.pk]))

    def test_it_refuses_a_forged_duration(self) -> None:
        for forged in ["720", "0", "-4", "two", "2"]:
            with self.subTest(duration=forged):
                response = self.client.post(GRANT, {"duration": forged, "reason": "help"})
                self.assertContains(response, "Choose one of the offered durations.", status_code=400)
        self.assertFalse(SupportGrant.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(event=Event.SUPPORT_GRANTED).exists())

    def test_it_requires_a_reason(self) -> None:
        response = self.client.post(GRANT, {"duration": "1", "reason": "   "})
        self.assertContains(response, "Say what support should help you with.", status_code=400)
        response = self.client.post(GRANT, {"duration": "1", "reason": "x" * 501})
        self.assertContains(response, "at most 500 characters", status_code=400)
        self.assertFalse(SupportGrant.objects.exists())

    def test_it_replaces_the_active_grant(self) -> None:
        self.client.post(GRANT, {"duration": "168", "reason": "first"})
        self.client.post(GRANT, {"duration": "1", "reason": "second"})
        self.assertEqual(SupportGrant.objects.filter(user=self.alice).count(), 2)
        active = SupportGrant.objects.active().get(user=self.alice)
        self.assertEqual(active.reason, "second")
        page = self.client.get(PAGE)
        self.assertEqual([g.reason for g in page.context["history"]], ["first"])
        self.assertContains(page, "ended early")

    def test_it_revokes_access(self) -> None:
        grant = do_grant_support(
            self.alice, duration=timedelta(days=1), reason="help", actor=Actor.system("t")
        )
        response = self.client.post(reverse("privacy:support_revoke", args=[grant.pk]))
        self.assertRedirects(response, PAGE)
        self.assertFalse(SupportGrant.objects.active().exists())
        event = AuditEvent.objects.get(event=Event.SUPPORT_REVOKED)
        self.assertEqual((event.actor, event.subject), (self.alice, self.alice))
        page = self.client.get(PAGE)
        self.assertNotContains(page, "Support can see your data now")
        self.assertEqual(list(page.context["history"]), [grant])

    def test_it_records_nothing_when_revoking_twice(self) -> None:
        grant = do_grant_support(
            self.alice, duration=timedelta(days=1), reason="help", actor=Actor.system("t")
        )
        url = reverse("privacy:support_revoke", args=[grant.pk])
        self.client.post(url)
        response = self.client.post(url)
        self.assertContains(response, "That support access had already ended.", status_code=409)
        self.assertEqual(AuditEvent.objects.filter(event=Event.SUPPORT_REVOKED).count(), 1)

    def test_it_does_not_revoke_another_users_grant(self) -> None:
        grant = do_grant_support(
            self.charlie, duration=timedelta(days=1), reason="help", actor=Actor.system("t")
        )
        response = self.client.post(reverse("privacy:support_revoke", args=[grant.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertTrue(SupportGrant.objects.active().filter(user=self.charlie).exists())

    def test_it_refuses_get_on_the_actions(self) -> None:
        self.assertEqual(self.client.get(GRANT).status_code, 405)

    def test_it_shows_the_grant_and_its_end_in_the_activity_log(self) -> None:
        self.client.post(GRANT, {"duration": "24", "reason": "help"})
        response = self.client.get(reverse("privacy:activity"))
        self.assertContains(response, "Support access granted")
        self.assertContains(response, "until ")

    def test_it_asks_strangers_to_sign_in(self) -> None:
        self.client.logout()
        self.assertEqual(self.client.get(PAGE).status_code, 302)
        self.assertEqual(self.client.post(GRANT, {"duration": "1", "reason": "x"}).status_code, 302)
        self.assertFalse(SupportGrant.objects.exists())
