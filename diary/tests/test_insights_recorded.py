"""What the insights read without the user tagging anything: the CV a sent letter was drafted from, and the
fit band when it went out."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from applications.actions import PostingData, do_add_application, do_change_status, do_rescore
from applications.drafting.actions import do_mark_sent
from applications.models import FitScore, Status
from applications.tests.drafting.helpers import applicant, draft
from diary.insights import compute
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor

ACTOR = Actor.system("test")


class RecordedByItselfTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)
        self.application = applicant(self.alice)

    def test_it_groups_sent_letters_by_the_cv_they_were_drafted_from(self) -> None:
        version = draft(self.application)
        do_mark_sent(version, channel="email", sent_on=timezone.localdate(), actor=ACTOR, confirm_flags=True)
        [record] = compute(self.alice).records
        self.assertEqual(record.cv, "CV")
        content = self.client.get(reverse("diary:insights")).content.decode()
        section = content.split('id="cv"')[1].split("</section>")[0]
        self.assertIn("CV the letter was drafted from", section)
        # Sent today, so still waiting: not counted yet, and 20 short of a comparison.
        self.assertIn('<th scope="row">CV</th><td>0/0 · 20 more needed\n</td>', section)

    def test_a_letter_sent_without_a_draft_has_no_cv(self) -> None:
        do_change_status(self.application, Status.SENT, actor=ACTOR)
        [record] = compute(self.alice).records
        self.assertIsNone(record.cv)

    def test_it_keeps_the_fit_band_of_when_the_letter_went_out(self) -> None:
        before = do_rescore(self.application, actor=ACTOR)
        do_change_status(self.application, Status.SENT, actor=ACTOR)
        [record] = compute(self.alice).records
        self.assertEqual(record.band, before.band)
        # A rescore after sending (new materials, a newer scorer) puts the application in another band.
        later = do_rescore(self.application, actor=ACTOR)
        other = "low" if before.band != "low" else "high"
        FitScore.objects.filter(pk=later.pk).update(
            band=other, created_at=timezone.now() + dt.timedelta(minutes=1)
        )
        self.application.refresh_from_db()
        [record] = compute(self.alice).records
        self.assertEqual(record.band, before.band)

    def test_an_application_scored_only_after_sending_keeps_its_current_band(self) -> None:
        do_change_status(self.application, Status.SENT, actor=ACTOR)
        score = do_rescore(self.application, actor=ACTOR)
        [record] = compute(self.alice).records
        self.assertEqual(record.band, score.band)

    def test_it_groups_by_days_from_the_postings_date_to_sending(self) -> None:
        today = timezone.localdate()
        for title, days in (("Fresh", 3), ("Stale", 30)):
            posting = PostingData(
                title=title, posting_text="We need Python.", posted_on=today - dt.timedelta(days)
            )
            do_change_status(do_add_application(self.alice, posting, actor=ACTOR), Status.SENT, actor=ACTOR)
        records = {r.title: r for r in compute(self.alice).records}
        self.assertEqual(records["Fresh"].posted, today - dt.timedelta(3))
        self.assertIsNone(records["Senior Backend Engineer"].posted)  # added by hand: no posting date
        content = self.client.get(reverse("diary:insights")).content.decode()
        section = content.split('id="since_posted"')[1].split("</section>")[0]
        self.assertIn(
            "Days from the posting’s date to sending", section.replace("'", "’").replace("&#x27;", "’")
        )
        self.assertIn('<th scope="row">Within 7 days of the posting', section)
        self.assertIn('<th scope="row">Later</th>', section)
