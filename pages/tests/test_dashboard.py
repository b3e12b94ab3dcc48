from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from applications.actions import do_add_reply, do_change_status, do_set_follow_up
from applications.intake import reply_from_text
from applications.models import Application, Status
from applications.tests.factories import add_application
from diary.actions import do_add_entry
from diary.models import Kind as DiaryKind
from materials.models import Material
from materials.tests.factories import LETTER_TEXT, add_material
from omoikane.testing import PASSWORD, BaseTestCase
from omoikane.tests.test_query_counts import AUDIT_ROW
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

ACTOR = Actor.system("test")


class HomeTests(BaseTestCase):  # alice owns things, charlie is a stranger
    url = reverse("pages:start")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_sends_a_signed_in_user_from_the_front_page_to_their_home(self) -> None:
        self.assertRedirects(self.client.get("/"), self.url)

    def test_it_asks_an_anonymous_visitor_to_sign_in(self) -> None:
        self.client.logout()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])
        self.assertContains(self.client.get("/"), "Create a free account")

    def test_it_lands_on_home_after_sign_in(self) -> None:
        self.client.logout()
        response = self.client.post(
            reverse("account_login"), {"login": self.alice.email, "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], self.url)

    def test_it_shows_a_new_account_its_first_steps(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "Your first steps")
        self.assertContains(response, "0 of 3 done")
        self.assertContains(response, "Add your CV")
        add_material(self.alice)
        add_material(self.alice, kind=Material.Kind.LETTER, text=LETTER_TEXT, title="Letter")
        self.assertContains(self.client.get(self.url), "2 of 3 done")
        add_application(self.alice)
        self.assertNotContains(self.client.get(self.url), "Your first steps")

    def test_it_lists_what_is_due_today_and_this_week(self) -> None:
        today = timezone.localdate()
        follow = add_application(self.alice, title="Follow me", company="Nordlys")
        do_change_status(follow, Status.SENT, actor=ACTOR)
        do_set_follow_up(follow, on=today - dt.timedelta(days=1), actor=ACTOR)
        deadline = add_application(self.alice, title="Deadline soon", company="Berg")
        Application.objects.filter(pk=deadline.pk).update(deadline=today + dt.timedelta(days=3))
        later = add_application(self.alice, title="Deadline later", company="Berg")
        Application.objects.filter(pk=later.pk).update(deadline=today + dt.timedelta(days=30))
        do_add_entry(
            self.alice,
            kind=DiaryKind.INTERVIEW,
            text="Interview with the platform team",
            application=follow,
            occurred_on=today,
            actor=ACTOR,
        )
        board = self.client.get(self.url).context["board"]
        self.assertEqual(
            [(str(item.what), item.application.title) for item in board.today],
            [("Follow up", "Follow me"), ("Interview", "Follow me")],
        )
        self.assertTrue(board.today[0].overdue)
        self.assertEqual([item.application.title for item in board.this_week], ["Deadline soon"])

    def test_it_lists_replies_waiting_for_confirmation_and_letters_in_progress(self) -> None:
        application = add_application(self.alice, title="Platform engineer", company="Fjordpay")
        do_change_status(application, Status.DRAFTING, actor=ACTOR)
        do_add_reply(
            application, reply_from_text("Subject: Interview\n\nWe would like to meet you."), actor=ACTOR
        )
        response = self.client.get(self.url)
        self.assertEqual([r.application_id for r in response.context["board"].replies], [application.pk])
        self.assertContains(response, reverse("applications:letter", args=[application.pk]))
        self.assertContains(response, "Platform engineer – Fjordpay")

    def test_it_shows_nothing_of_another_user(self) -> None:
        add_application(self.charlie, title="Charlie's secret role")
        response = self.client.get(self.url)
        self.assertNotContains(response, "Charlie&#x27;s secret role")
        self.assertEqual(response.context["board"].recent, [])

    def test_it_records_that_the_home_page_was_viewed(self) -> None:
        self.client.get(self.url)
        self.assertTrue(AuditEvent.objects.filter(subject=self.alice, event=Event.HOME_VIEWED).exists())

    def test_it_survives_very_long_and_right_to_left_titles(self) -> None:
        title = "נ" * 120 + "🙂" * 20 + "x" * 120
        application = add_application(self.alice, title=title, company="C" * 199)
        do_change_status(application, Status.DRAFTING, actor=ACTOR)
        response = self.client.get(self.url)
        self.assertContains(response, title)

    def test_it_keeps_the_query_count_constant(self) -> None:
        self.make(3)
        self.client.get(self.url)  # the first request of a session also records the session
        # 2 for session and user, eight lists, the audit row
        with self.assertNumQueries(10 + AUDIT_ROW) as few:
            self.client.get(self.url)
        self.make(60)
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(self.url)

    def make(self, count: int) -> None:
        today = timezone.localdate()
        for i in range(count):
            application = add_application(self.alice, title=f"Role {i}", company=f"Company {i}")
            do_change_status(application, [Status.SENT, Status.DRAFTING, Status.SAVED][i % 3], actor=ACTOR)
            Application.objects.filter(pk=application.pk).update(
                deadline=today + dt.timedelta(days=i % 5), follow_up_on=today
            )
            do_add_reply(application, reply_from_text(f"Subject: Re {i}\n\nThank you."), actor=ACTOR)
            do_add_entry(
                self.alice, kind=DiaryKind.INTERVIEW, text=f"Interview {i}", occurred_on=today, actor=ACTOR
            )
