"""Numbers from query strings and path parts: Unicode digits, huge numbers, negatives and empty values are
answered like any wrong value (no match, the first page, a 404), never with a 500."""

from __future__ import annotations

from django.urls import reverse

from applications.tests.drafting.helpers import applicant, draft
from omoikane.numbers import MAX_ID, parse_int
from omoikane.testing import BaseTestCase

ODD = ["²", "٣", "9" * 4301, str(MAX_ID + 1), "-1", "0", "", " 1", "1.0", "1e3", "0x1"]


def test_it_reads_only_ascii_digits_in_range() -> None:
    assert parse_int("42") == 42
    assert parse_int(str(MAX_ID)) == MAX_ID
    assert parse_int("0", minimum=0) == 0
    assert [parse_int(value) for value in [*ODD, None]] == [None] * (len(ODD) + 1)


class QueryNumberTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)
        self.application = applicant(self.alice)
        draft(self.application)

    def test_it_answers_odd_numbers_in_query_strings(self) -> None:
        letter = reverse("applications:letter", args=[self.application.pk])
        diff = reverse("applications:letter_diff", args=[self.application.pk])
        for value in ODD:
            for url, allowed in [
                (f"{letter}?v={value}", {200}),
                (f"{diff}?old={value}&new={value}", {200, 400}),
                (f"{reverse('privacy:activity')}?page={value}", {200}),
                (f"{reverse('coach:ai_activity')}?page={value}", {200}),
                (f"{reverse('applications:table')}?page={value}", {200}),
                (f"{reverse('diary:index')}?page={value}", {200}),
                (f"{reverse('diary:index')}?application={value}", {200, 404}),
            ]:
                with self.subTest(url=url[:120]):
                    self.assertIn(self.client.get(url).status_code, allowed)

    def test_it_answers_odd_numbers_in_paths_with_404(self) -> None:
        for value in ["9" * 25, "9" * 4301, "²", "٣"]:
            with self.subTest(value=value[:30]):
                self.assertEqual(self.client.get(f"/materials/{value}/").status_code, 404)
                self.assertEqual(self.client.get(f"/applications/{value}/letter/").status_code, 404)
