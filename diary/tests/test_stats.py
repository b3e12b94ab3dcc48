"""The statistics against values worked out by hand (and checked against published Wilson tables)."""

from __future__ import annotations

from django.test import SimpleTestCase

from diary.stats import MIN_PER_SIDE, Verdict, compare, kaplan_meier, median_days, wilson


class WilsonTests(SimpleTestCase):
    def test_it_matches_the_hand_computed_interval_for_half(self) -> None:
        # p = .5, n = 10: centre .5, half-width 1.96/1.38416 * sqrt(.025 + .009604) = .26341
        rate = wilson(5, 10)
        self.assertAlmostEqual(rate.low, 0.2366, places=4)
        self.assertAlmostEqual(rate.high, 0.7634, places=4)
        self.assertEqual(rate.value, 0.5)

    def test_it_keeps_none_and_all_inside_zero_and_one(self) -> None:
        none, every = wilson(0, 10), wilson(10, 10)
        self.assertEqual(none.low, 0.0)
        self.assertAlmostEqual(none.high, 0.2775, places=4)
        self.assertAlmostEqual(every.low, 0.7225, places=4)
        self.assertEqual(every.high, 1.0)

    def test_it_matches_an_uneven_case(self) -> None:
        # 3 of 40: p = .075; centre (.075 + .048018)/1.096036 = .112239, half-width .086403
        rate = wilson(3, 40)
        self.assertAlmostEqual(rate.low, 0.0258, places=4)
        self.assertAlmostEqual(rate.high, 0.1986, places=4)

    def test_it_says_nothing_about_no_applications(self) -> None:
        rate = wilson(0, 0)
        self.assertEqual((rate.low, rate.high), (0.0, 1.0))
        self.assertFalse(rate.enough)
        self.assertEqual(rate.missing, MIN_PER_SIDE)

    def test_it_refuses_impossible_counts(self) -> None:
        with self.assertRaisesMessage(ValueError, "need 0 <= hits <= n"):
            wilson(11, 10)
        with self.assertRaises(ValueError):
            wilson(-1, 10)


class CompareTests(SimpleTestCase):
    def test_it_compares_nothing_below_twenty_on_a_side(self) -> None:
        self.assertEqual(compare(wilson(19, 19), wilson(0, 400)), Verdict.TOO_FEW)
        self.assertEqual(wilson(15, 19).missing, 1)
        self.assertEqual(compare(wilson(0, 400), wilson(19, 19)), Verdict.TOO_FEW)

    def test_it_calls_a_difference_only_when_the_intervals_part(self) -> None:
        self.assertEqual(compare(wilson(15, 20), wilson(2, 20)), Verdict.HIGHER)
        self.assertEqual(compare(wilson(2, 20), wilson(15, 20)), Verdict.LOWER)
        # 50 % against 40 %: the intervals overlap widely.
        self.assertEqual(compare(wilson(10, 20), wilson(8, 20)), Verdict.NO_CLEAR_DIFFERENCE)


class KaplanMeierTests(SimpleTestCase):
    def test_it_matches_the_hand_computed_curve_with_censored_rows(self) -> None:
        # Replies on days 2, 4, 4 and 7; still waiting after 3 and 5 days.
        steps = kaplan_meier([(2, True), (3, False), (4, True), (4, True), (5, False), (7, True)])
        self.assertEqual([(s.day, s.at_risk, s.events, s.censored) for s in steps],
                         [(2, 6, 1, 0), (3, 5, 0, 1), (4, 4, 2, 0), (5, 2, 0, 1), (7, 1, 1, 0)])  # fmt: skip
        survival = [round(s.survival, 4) for s in steps]
        # 5/6; unchanged by the censored row; 5/6 * 2/4; unchanged; 0
        self.assertEqual(survival, [0.8333, 0.8333, 0.4167, 0.4167, 0.0])
        self.assertEqual(median_days(steps), 4)

    def test_it_does_not_count_waiting_as_failing(self) -> None:
        # A naive rate would say 1 in 4 replied; the curve says half by day 3, since two are only 1 day old.
        steps = kaplan_meier([(1, False), (1, False), (3, True), (10, False)])
        self.assertEqual(round(steps[-2].survival, 4), 0.5)
        self.assertEqual(median_days(steps), 3)

    def test_it_keeps_a_row_censored_on_the_day_of_a_reply_at_risk(self) -> None:
        steps = kaplan_meier([(3, True), (3, False), (5, True)])
        self.assertEqual((steps[0].at_risk, round(steps[0].survival, 4)), (3, 0.6667))
        self.assertEqual(steps[1].survival, 0.0)

    def test_it_has_no_median_when_fewer_than_half_replied(self) -> None:
        self.assertIsNone(median_days(kaplan_meier([(2, True), (5, False), (6, False)])))
        self.assertEqual(kaplan_meier([]), [])

    def test_it_refuses_negative_days(self) -> None:
        with self.assertRaisesMessage(ValueError, "negative"):
            kaplan_meier([(-1, True)])
