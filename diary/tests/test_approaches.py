from __future__ import annotations

from django.core import mail
from django.urls import reverse

from applications.tests.factories import add_application
from diary.actions import do_add_approach, do_set_weekly_review, do_tag_application
from diary.models import Approach, ApproachUse, ReviewSettings
from diary.review import send_weekly_reviews
from diary.tests.factories import sent_application
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

ACTOR = Actor.system("test")


class ApproachTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_adds_an_approach_and_tags_an_application(self) -> None:
        application = add_application(self.alice, title="Data engineer")
        response = self.client.post(reverse("diary:add_approach"), {"name": "  A   referral "})
        approach = Approach.objects.get(user=self.alice)
        self.assertRedirects(response, reverse("diary:approach", args=[approach.pk]))
        self.assertEqual(approach.name, "A referral")
        response = self.client.post(reverse("diary:tag", args=[approach.pk]), {"application": application.pk})
        self.assertRedirects(response, reverse("diary:approach", args=[approach.pk]))
        self.assertEqual(list(approach.applications.all()), [application])
        self.assertContains(self.client.get(reverse("diary:approach", args=[approach.pk])), "Data engineer")
        events = AuditEvent.objects.filter(subject=self.alice).values_list("event", flat=True)
        self.assertIn(Event.APPROACH_ADDED, events)
        self.assertIn(Event.APPROACH_TAGGED, events)

    def test_it_refuses_an_empty_or_duplicate_name(self) -> None:
        do_add_approach(self.alice, "A referral", actor=ACTOR)
        response = self.client.post(reverse("diary:add_approach"), {"name": "   "})
        self.assertContains(response, "Name the approach.", status_code=400)
        response = self.client.post(reverse("diary:add_approach"), {"name": "a REFERRAL"})
        self.assertContains(response, "You already have an approach with that name.", status_code=400)
        self.assertEqual(Approach.objects.filter(user=self.alice).count(), 1)

    def test_it_refuses_to_tag_someone_elses_application(self) -> None:
        approach = do_add_approach(self.alice, "A referral", actor=ACTOR)
        theirs = add_application(self.charlie)
        response = self.client.post(reverse("diary:tag", args=[approach.pk]), {"application": theirs.pk})
        self.assertContains(response, "Choose one of your applications.", status_code=400)
        self.assertFalse(ApproachUse.objects.exists())

    def test_it_untags_and_deletes(self) -> None:
        approach = do_add_approach(self.alice, "A referral", actor=ACTOR)
        application = add_application(self.alice)
        use = do_tag_application(approach, application, actor=ACTOR)
        assert use is not None
        self.assertIsNone(do_tag_application(approach, application, actor=ACTOR))  # once is enough
        self.client.post(reverse("diary:untag", args=[use.pk]))
        self.assertFalse(ApproachUse.objects.exists())
        response = self.client.post(reverse("diary:delete_approach", args=[approach.pk]))
        self.assertRedirects(response, reverse("diary:insights"))
        self.assertFalse(Approach.objects.exists())
        application.refresh_from_db()  # the application stays

    def test_it_turns_the_weekly_review_on_and_off(self) -> None:
        self.client.post(reverse("diary:weekly_review"), {"weekly_review": "on"})
        self.assertTrue(ReviewSettings.objects.get(user=self.alice).weekly_review)
        self.client.post(reverse("diary:weekly_review"), {})
        self.assertFalse(ReviewSettings.objects.get(user=self.alice).weekly_review)


class WeeklyReviewTests(BaseTestCase):
    def test_it_emails_only_those_who_asked_once_a_week_in_their_language(self) -> None:
        self.alice.language = "de"
        self.alice.save(update_fields=["language"])
        do_set_weekly_review(self.alice, True, actor=ACTOR)
        sent_application(self.alice, sent_days_ago=2, title="Datenanalyst")
        sent_application(self.charlie, sent_days_ago=2, title="Secret job")
        self.assertEqual(send_weekly_reviews(), 1)
        self.assertEqual(send_weekly_reviews(), 0)  # not twice in a week
        message = mail.outbox[0]
        self.assertEqual(message.to, ["alice@example.org"])
        self.assertEqual(message.subject, "Ihre Woche bei der Jobsuche")
        self.assertIn("- Datenanalyst – Fjordpay AS", message.body)
        self.assertIn("Kein Vorschlag diese Woche", message.body)
        self.assertNotIn("Secret job", message.body)
        self.assertTrue(
            AuditEvent.objects.filter(subject=self.alice, event=Event.WEEKLY_REVIEW_SENT).exists()
        )
