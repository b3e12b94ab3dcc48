from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent, SupportGrant
from privacy_rights.support.actions import allowed_durations, do_grant_support, do_revoke_support

ACTOR = Actor.system("test")


def grant(user: object, hours: int = 4, reason: str = "My score looks wrong") -> SupportGrant:
    return do_grant_support(user, duration=timedelta(hours=hours), reason=reason, actor=ACTOR)  # type: ignore[arg-type]


class GrantSupportTests(BaseTestCase):
    def test_it_grants_access_until_the_chosen_time(self) -> None:
        before = timezone.now()
        support = grant(self.alice, hours=24)
        self.assertTrue(support.is_active)
        self.assertEqual(support.expires_at - support.granted_at, timedelta(days=1))
        self.assertGreaterEqual(support.granted_at, before)
        self.assertEqual(list(SupportGrant.objects.active()), [support])

    def test_it_records_the_grant_on_the_users_chain(self) -> None:
        support = grant(self.alice, hours=4, reason="  Please check my CV import  ")
        event = AuditEvent.objects.get(event=Event.SUPPORT_GRANTED)
        self.assertEqual((event.subject, event.target_id), (self.alice, str(support.pk)))
        self.assertEqual(event.metadata["duration_hours"], 4)
        self.assertEqual(event.metadata["expires_at"], support.expires_at.isoformat())
        self.assertEqual(event.metadata["reason"], "Please check my CV import")
        self.assertEqual(support.reason, "Please check my CV import")

    def test_it_offers_one_hour_to_seven_days(self) -> None:
        self.assertEqual(
            allowed_durations(),
            [timedelta(hours=1), timedelta(hours=4), timedelta(days=1), timedelta(days=3), timedelta(days=7)],
        )

    def test_it_refuses_durations_outside_the_bounds(self) -> None:
        for duration in [timedelta(minutes=30), timedelta(days=30), timedelta(hours=2), timedelta(0)]:
            with self.subTest(duration=duration), self.assertRaises(ValidationError) as caught:
                do_grant_support(self.alice, duration=duration, reason="help", actor=ACTOR)
            self.assertIn("from 1 hour to 7 days", caught.exception.messages[0])
        self.assertFalse(SupportGrant.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(event=Event.SUPPORT_GRANTED).exists())

    @override_settings(SUPPORT_GRANT_MAX_DAYS=1)
    def test_it_follows_the_configured_maximum(self) -> None:
        self.assertEqual(allowed_durations()[-1], timedelta(days=1))
        with self.assertRaises(ValidationError):
            grant(self.alice, hours=72)

    def test_it_requires_a_reason(self) -> None:
        for reason in ["", "   \n "]:
            with self.subTest(reason=reason), self.assertRaises(ValidationError):
                grant(self.alice, reason=reason)
        with self.assertRaises(ValidationError):
            grant(self.alice, reason="x" * 501)
        self.assertFalse(SupportGrant.objects.exists())

    def test_it_keeps_one_active_grant_a_new_one_replaces_it(self) -> None:
        first = grant(self.alice, hours=168, reason="first")
        second = grant(self.alice, hours=1, reason="second")
        first.refresh_from_db()
        self.assertFalse(first.is_active)
        self.assertEqual(first.revoked_at, second.granted_at)
        self.assertEqual(list(SupportGrant.objects.active().filter(user=self.alice)), [second])
        event = AuditEvent.objects.filter(event=Event.SUPPORT_GRANTED).latest("sequence")
        self.assertEqual(event.metadata["replaced"], [first.pk])

    def test_it_keeps_other_users_grants_apart(self) -> None:
        grant(self.alice)
        grant(self.charlie)
        self.assertEqual(SupportGrant.objects.active().count(), 2)


class RevokeSupportTests(BaseTestCase):
    def test_it_ends_access_now_and_records_it(self) -> None:
        support = grant(self.alice)
        do_revoke_support(support, actor=Actor(kind=ActorKind.USER, user=self.alice))
        support.refresh_from_db()
        self.assertIsNotNone(support.revoked_at)
        self.assertFalse(SupportGrant.objects.active().exists())
        event = AuditEvent.objects.get(event=Event.SUPPORT_REVOKED)
        self.assertEqual((event.subject, event.actor), (self.alice, self.alice))
        self.assertEqual(event.metadata["expires_at"], support.expires_at.isoformat())

    def test_it_does_nothing_for_an_ended_grant(self) -> None:
        support = grant(self.alice)
        do_revoke_support(support, actor=ACTOR)
        revoked_at = SupportGrant.objects.get().revoked_at
        do_revoke_support(support, actor=ACTOR)
        self.assertEqual(SupportGrant.objects.get().revoked_at, revoked_at)
        self.assertEqual(AuditEvent.objects.filter(event=Event.SUPPORT_REVOKED).count(), 1)

    def test_it_lets_a_grant_expire_by_time_alone(self) -> None:
        support = grant(self.alice, hours=1)
        SupportGrant.objects.filter(pk=support.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        self.assertFalse(SupportGrant.objects.active().exists())
        support.refresh_from_db()
        self.assertIsNone(support.revoked_at)
        do_revoke_support(support, actor=ACTOR)
        self.assertFalse(AuditEvent.objects.filter(event=Event.SUPPORT_REVOKED).exists())
