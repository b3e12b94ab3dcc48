from __future__ import annotations

from django.urls import reverse

from applications.actions import do_delete_application
from applications.tests.factories import add_application
from materials.tests.factories import add_material
from omoikane.testing import BaseTestCase
from omoikane.tests.test_query_counts import AUDIT_ROW
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


class ActivityNamesTests(BaseTestCase):
    """Each entry says what it concerns: the application, the material, the page."""

    url = reverse("privacy:activity")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_names_the_application_and_the_material_an_entry_concerns(self) -> None:
        application = add_application(self.alice, title="Platform engineer", company="Fjordpay")
        material = add_material(self.alice, title="CV 2026")
        self.client.get(reverse("applications:detail", args=[application.pk]))
        self.client.get(reverse("materials:detail", args=[material.pk]))
        response = self.client.get(self.url)
        self.assertContains(
            response, 'Application viewed<br><span class="meta"><bdi>Platform engineer – Fjordpay</bdi>'
        )
        self.assertContains(response, 'Material viewed<br><span class="meta"><bdi>CV 2026</bdi>')

    def test_it_names_the_page_in_the_users_language(self) -> None:
        self.client.get(reverse("applications:add"))
        self.client.get(reverse("accounts:settings"))
        response = self.client.get(self.url)
        self.assertContains(response, 'Page viewed<br><span class="meta">Add a posting</span>')
        self.assertContains(response, 'Account page viewed<br><span class="meta">Profile and language</span>')
        self.alice.language = "de"
        self.alice.save(update_fields=["language"])
        response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="de")
        self.assertNotContains(response, ">Add a posting<")

    def test_it_never_names_another_users_object(self) -> None:
        secret = add_application(self.charlie, title="Charlie's secret role")
        audit.record(Event.APPLICATION_VIEWED, actor=Actor.system("test"), subject=self.alice, target=secret)
        response = self.client.get(self.url)
        self.assertNotContains(response, "secret role")

    def test_it_shows_the_label_alone_for_a_deleted_application(self) -> None:
        application = add_application(self.alice, title="Gone soon")
        do_delete_application(application, actor=Actor.system("test"))
        response = self.client.get(self.url)
        self.assertContains(response, "Application deleted")
        self.assertNotContains(response, "Gone soon")

    def test_it_looks_names_up_once_per_kind_of_thing(self) -> None:
        add_application(self.alice, title="Role 0")
        self.client.get(self.url)
        # 2 for session and user, the count, the page, the applications' names, the operator count, the audit
        # row (2)
        with self.assertNumQueries(6 + AUDIT_ROW) as few:
            self.client.get(self.url)
        for i in range(1, 8):
            add_application(self.alice, title=f"Role {i}")
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(self.url)
        self.assertContains(response, "<bdi>Role 7 – Fjordpay AS</bdi>")
