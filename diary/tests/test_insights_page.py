from __future__ import annotations

import xml.etree.ElementTree as ET

from django.urls import reverse

from applications.models import Status
from diary.actions import do_add_approach, do_add_entry, do_tag_application
from diary.tests.factories import sent_application
from omoikane.testing import BaseTestCase
from omoikane.tests.test_query_counts import AUDIT_ROW
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

SVG = "{http://www.w3.org/2000/svg}"
ACTOR = Actor.system("test")


def svg_of(content: str, chart_id: str) -> ET.Element:
    """The chart with that id, parsed as XML: a malformed SVG fails here."""
    start = content.index(f'id="{chart_id}"')
    start = content.rindex("<svg", 0, start)
    end = content.index("</svg>", start) + len("</svg>")
    return ET.fromstring(content[start:end])  # noqa: S314  (our own page, parsed to check it)


def texts(svg: ET.Element, css_class: str = "value") -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == css_class]


class InsightsPageTests(BaseTestCase):
    url = reverse("diary:insights")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_shows_an_empty_page_without_data(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nothing sent yet.")
        self.assertContains(response, "association, not cause")

    def test_it_counts_the_funnel_and_leaves_waiting_applications_out_of_the_rates(self) -> None:
        for days in (3, 20, 30):
            sent_application(
                self.alice, sent_days_ago=days, reply_after_days=2, reply_status=Status.INTERVIEWING
            )
        sent_application(self.alice, sent_days_ago=40)  # no answer: past twice the 7-day follow-up time
        sent_application(self.alice, sent_days_ago=2)  # still waiting
        sent_application(self.alice, sent_days_ago=5)  # still waiting
        content = self.client.get(self.url).content.decode()
        funnel = svg_of(content, "chart-funnel")
        # added, sent, replied, interview, offer
        self.assertEqual(texts(funnel), ["6", "6", "3", "3", "0"])
        self.assertIn("Still waiting: 2. No answer: 1.", content)
        # 3 of the 4 that are decided; the two still waiting are not failures.
        self.assertIn("3/4 · 75 % (95 % interval 0.30–0.95)", content.split('id="overall-replies"')[1][:200])

    def test_it_draws_the_reply_curve_with_censored_applications(self) -> None:
        sent_application(self.alice, sent_days_ago=30, reply_after_days=2)
        sent_application(self.alice, sent_days_ago=30, reply_after_days=4)
        sent_application(self.alice, sent_days_ago=3)  # waiting 3 days: censored, still at risk on day 2
        sent_application(self.alice, sent_days_ago=30)  # no answer in 30 days: censored at 30
        content = self.client.get(self.url).content.decode()
        curve = svg_of(content, "chart-curve")
        # Day 2: 1 of 4 at risk replied (25 %); day 4: 1 of 2 left (1 - .75 * .5 = 62.5 %, shown as 62 %).
        self.assertEqual(texts(curve), ["62 %"])
        self.assertIn("Half had a first reply within 4 days.", content)
        self.assertInHTML("<tr><td>2</td><td>4</td><td>1</td><td>25 %</td></tr>", content)
        self.assertInHTML("<tr><td>4</td><td>2</td><td>1</td><td>62 %</td></tr>", content)

    def test_it_compares_an_approach_only_with_twenty_on_each_side(self) -> None:
        referral = do_add_approach(self.alice, "A referral", actor=ACTOR)
        for number in range(20):
            application = sent_application(
                self.alice, sent_days_ago=30, reply_after_days=3 if number < 15 else None
            )
            do_tag_application(referral, application, actor=ACTOR)
        for number in range(19):
            sent_application(self.alice, sent_days_ago=30, reply_after_days=3 if number < 2 else None)
        content = self.client.get(self.url).content.decode()
        self.assertIn("2/19 · 1 more needed", content)
        self.assertNotIn("went with more replies than the rest", content)
        self.assertNotIn('id="chart-approach-', content)
        sent_application(self.alice, sent_days_ago=30)
        content = self.client.get(self.url).content.decode()
        self.assertIn("“With” went with more replies than the rest.", content)
        chart = svg_of(content, f"chart-approach-{referral.pk}")
        self.assertEqual(texts(chart), ["75 % (15/20)", "10 % (2/20)"])
        # The interval lines are drawn where the Wilson bounds say: 15/20 is .5313 to .8881 of 300 px.
        lines = [line for line in chart.iter(f"{SVG}line") if line.get("class") == "interval"]
        self.assertEqual((lines[0].get("x1"), lines[0].get("x2")), ("369.4", "476.4"))

    def test_it_says_plainly_when_the_fit_score_does_not_predict(self) -> None:
        for band in ("high", "low"):
            for number in range(20):
                sent_application(
                    self.alice, sent_days_ago=30, band=band, reply_after_days=3 if number < 6 else None
                )
        content = self.client.get(self.url).content.decode()
        self.assertIn(
            "Not for you, so far: strong-fit and weak-fit applications got replies about as often.", content
        )
        self.assertEqual(texts(svg_of(content, "chart-calibration")), ["30 % (6/20)", "30 % (6/20)"])

    def test_it_says_when_the_fit_score_predicts(self) -> None:
        for band, replies in (("high", 14), ("low", 2)):
            for number in range(20):
                sent_application(
                    self.alice, sent_days_ago=30, band=band, reply_after_days=3 if number < replies else None
                )
        content = self.client.get(self.url).content.decode()
        self.assertIn("Yes, so far: applications with a strong fit got replies more often", content)

    def test_it_shows_only_the_users_own_data(self) -> None:
        do_add_approach(self.charlie, "Charlie's secret trick", actor=ACTOR)
        sent_application(self.charlie, sent_days_ago=10, reply_after_days=1)
        content = self.client.get(self.url).content.decode()
        self.assertNotIn("secret trick", content)
        self.assertEqual(texts(svg_of(content, "chart-funnel")), ["0", "0", "0", "0", "0"])

    def test_it_escapes_the_users_words_in_charts(self) -> None:
        approach = do_add_approach(self.alice, "<script>x</script> & more", actor=ACTOR)
        for number in range(40):
            application = sent_application(
                self.alice, sent_days_ago=30, reply_after_days=2 if number % 2 else None
            )
            if number < 20:
                do_tag_application(approach, application, actor=ACTOR)
        content = self.client.get(self.url).content.decode()
        self.assertNotIn("<script>x</script>", content)
        svg_of(content, f"chart-approach-{approach.pk}")  # still well-formed XML

    def test_it_records_that_the_insights_were_viewed(self) -> None:
        self.client.get(self.url)
        self.assertTrue(AuditEvent.objects.filter(subject=self.alice, event=Event.INSIGHTS_VIEWED).exists())

    def test_it_keeps_the_query_count_flat(self) -> None:
        do_add_approach(self.alice, "A referral", actor=ACTOR)
        sent_application(self.alice, sent_days_ago=10, reply_after_days=1)
        self.client.get(self.url)
        # 2 for session and user, the approaches, one per table the insights read (applications, status
        # changes, replies, diary entries, sent letters, fit scores, approach uses, tagged entries), the
        # weekly review setting, the audit row.
        with self.assertNumQueries(12 + AUDIT_ROW) as few:
            self.client.get(self.url)
        for number in range(30):
            application = sent_application(self.alice, sent_days_ago=number + 1, reply_after_days=1)
            approach = do_add_approach(self.alice, f"Approach {number}", actor=ACTOR)
            do_tag_application(approach, application, actor=ACTOR)
            do_add_entry(
                self.alice,
                kind="interview",
                text="Went well.",
                application=application,
                approaches=[approach],
                actor=ACTOR,
            )
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(self.url)

    def test_it_asks_visitors_to_sign_in(self) -> None:
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)
