from __future__ import annotations

from django.urls import reverse

from omoikane.testing import BaseTestCase
from privacy_kernel import audit
from privacy_kernel.audit import Actor
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.models import AuditEvent


class ActivityPageTests(BaseTestCase):
    url = reverse("privacy:activity")

    def setUp(self) -> None:
        super().setUp()
        audit.record(
            Event.MATERIAL_VIEWED, actor=Actor(kind=ActorKind.OPERATOR, user=self.charlie), subject=self.alice
        )
        audit.record(Event.MATERIALS_REEMBEDDED, actor=Actor.system("reembed"), subject=self.alice)
        audit.record(Event.MATERIAL_VIEWED, actor=Actor.system("test"), subject=self.charlie)
        self.client.force_login(self.alice)

    def test_it_lists_the_users_own_events_newest_first(self) -> None:
        response = self.client.get(self.url)
        events = list(response.context["page"])
        self.assertTrue(all(e.subject_id == self.alice.pk for e in events))
        self.assertEqual(events, sorted(events, key=lambda e: (e.created_at, e.pk), reverse=True))
        self.assertContains(response, "Materials re-indexed for search")

    def test_it_makes_operator_access_stand_out(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "badge-operator")
        self.assertContains(response, "An operator accessed your account 1 time.")

    def test_it_filters_by_actor(self) -> None:
        response = self.client.get(self.url, {"actor": "system"})
        self.assertEqual({e.actor_kind for e in response.context["page"]}, {"system"})

    def test_it_ignores_an_unknown_filter(self) -> None:
        response = self.client.get(self.url, {"actor": "'; DROP TABLE", "page": "x"})
        self.assertEqual(response.status_code, 200)

    def test_it_speaks_the_users_language(self) -> None:
        self.alice.language = "de"
        self.alice.save(update_fields=["language"])
        response = self.client.get(self.url)
        self.assertContains(response, '<html lang="de">')

    def test_it_records_the_visit(self) -> None:
        self.client.get(self.url)
        self.assertTrue(AuditEvent.objects.filter(event=Event.ACTIVITY_VIEWED, subject=self.alice).exists())
