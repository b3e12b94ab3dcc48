"""The weekly review email through a real SMTP server: opt-in, in the user's language, titles and companies
only, one suggestion grounded in the insights or none; queued daily by the worker."""

from __future__ import annotations

from django.core.cache import cache
from django.core.management import call_command
from django.test import TransactionTestCase
from django.utils import timezone

from applications.actions import do_set_follow_up
from diary.actions import do_add_approach, do_add_entry, do_set_weekly_review, do_tag_application
from diary.models import ReviewSettings
from diary.review import send_weekly_reviews
from diary.tests.factories import sent_application
from diary.tests.mail_server import body_of, mail_server
from omoikane.testing import BaseTestCase, make_user
from ops.periodic import JOBS, enqueue_due
from privacy_kernel.audit import Actor

ACTOR = Actor.system("test")


class WeeklyReviewEmailTests(BaseTestCase):
    def test_it_sends_the_week_in_the_users_language_with_titles_and_companies_only(self) -> None:
        self.alice.language = "nl"
        self.alice.save(update_fields=["language"])
        do_set_weekly_review(self.alice, True, actor=ACTOR)
        answered = sent_application(self.alice, sent_days_ago=3, reply_after_days=1, title="Data-analist")
        do_add_entry(
            self.alice,
            kind="tried",
            text="Belde de recruiter, geheim nummer 0612345678.",
            application=answered,
            actor=ACTOR,
        )
        due = sent_application(self.alice, sent_days_ago=9, title="Backend-ontwikkelaar")
        do_set_follow_up(due, on=timezone.localdate(), actor=ACTOR)
        with mail_server() as server:
            self.assertEqual(send_weekly_reviews(), 1)
        [message] = server.messages
        self.assertEqual(message["To"], "alice@example.org")
        self.assertEqual(message["Subject"], "Jouw week in de zoektocht naar werk")
        body = body_of(message)
        self.assertIn("Deze week verzonden:\n- Data-analist – Fjordpay AS\n", body)
        self.assertIn("Antwoorden deze week:\n- Data-analist – Fjordpay AS\n", body)
        self.assertIn("Op te volgen:\n- Backend-ontwikkelaar – Fjordpay AS\n", body)
        self.assertNotIn("Deze week verzonden:\n- Data-analist – Fjordpay AS\n- Backend", body)
        # Too few applications for any comparison: no suggestion, and it says why.
        self.assertIn("Geen suggestie deze week", body)
        # Titles and companies only: no diary text, no posting text.
        self.assertNotIn("0612345678", body)
        self.assertNotIn("Belde", body)
        self.assertNotIn(due.posting_text[:40], body)
        self.assertEqual(ReviewSettings.objects.get(user=self.alice).last_sent_on, timezone.localdate())

    def test_it_suggests_only_what_the_intervals_support(self) -> None:
        do_set_weekly_review(self.alice, True, actor=ACTOR)
        referral = do_add_approach(self.alice, "A referral", actor=ACTOR)
        for number in range(20):
            tagged = sent_application(
                self.alice, sent_days_ago=40, reply_after_days=3 if number < 15 else None
            )
            do_tag_application(referral, tagged, actor=ACTOR)
            sent_application(self.alice, sent_days_ago=40, reply_after_days=3 if number < 2 else None)
        with mail_server() as server:
            send_weekly_reviews()
        body = body_of(server.messages[0])
        self.assertIn(
            "Applications where you tried “A referral” got a reply more often (15 of 20). This is an "
            "association, not proof of cause, but it is worth trying again.",
            body,
        )
        self.assertIn("Sent this week:\n- nothing\n", body)

    def test_it_sends_nothing_to_those_who_did_not_ask(self) -> None:
        do_set_weekly_review(self.alice, True, actor=ACTOR)
        do_set_weekly_review(self.alice, False, actor=ACTOR)
        sent_application(self.charlie, sent_days_ago=2)
        with mail_server() as server:
            self.assertEqual(send_weekly_reviews(), 0)
        self.assertEqual(server.messages, [])

    def test_it_tries_again_the_next_day_when_the_mail_server_is_down(self) -> None:
        do_set_weekly_review(self.alice, True, actor=ACTOR)
        do_set_weekly_review(self.charlie, True, actor=ACTOR)
        with mail_server() as server:
            pass  # stopped: nothing listens on its port any more
        with self.settings(MAILERS=server.mailers()), self.assertLogs("diary.review", "WARNING"):
            self.assertEqual(send_weekly_reviews(), 0)
        self.assertEqual(list(ReviewSettings.objects.values_list("last_sent_on", flat=True)), [None, None])
        with mail_server() as server:
            self.assertEqual(send_weekly_reviews(), 2)
        self.assertEqual(
            sorted(m["To"] for m in server.messages), ["alice@example.org", "charlie@example.org"]
        )


class WeeklyReviewWorkerTests(TransactionTestCase):
    databases = {"default", "traces"}
    key = "omoikane:periodic:send_weekly_reviews"

    def setUp(self) -> None:
        cache.delete(self.key)  # the cache table is not flushed between transaction tests
        self.addCleanup(cache.delete, self.key)

    def test_the_worker_queues_and_sends_it_daily(self) -> None:
        user = make_user("dana@example.org", name="Dana", language="de")
        do_set_weekly_review(user, True, actor=ACTOR)
        with mail_server() as server:
            self.assertEqual(
                enqueue_due([job for job in JOBS if job.name == "send_weekly_reviews"]),
                ["send_weekly_reviews"],
            )
            call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        [message] = server.messages
        self.assertEqual(message["To"], "dana@example.org")
        self.assertEqual(message["Subject"], "Ihre Woche bei der Jobsuche")
