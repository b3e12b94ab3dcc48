from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, TestCase

from coach.fields import OTHER_FIELD_AT, head, read_fields
from coach.scoring import MEDIUM_FROM, Band, FitScore, score_posting
from materials.tests.factories import add_material
from omoikane.testing import make_user

SETS = Path(settings.BASE_DIR) / "coach" / "tests" / "scoring_data"


def text(folder: str, kind: str, name: str) -> str:
    return (SETS / folder / kind / name).read_text(encoding="utf-8")


class FieldReadingTests(SimpleTestCase):
    def test_it_places_a_posting_from_another_trade_in_another_field(self) -> None:
        # An electrician's posting in Norwegian and a German mechanical engineer's CV.
        reading = read_fields(
            head([text("fields", "postings", "f02_elektriker_nb.txt")]),
            head([text("fields", "materials", "cv_maschinenbau_de.md")]),
        )
        assert reading is not None
        self.assertEqual((reading.posting_field, reading.candidate_field), ("electrical", "mechanical"))
        self.assertTrue(reading.other_field, reading)

    def test_it_keeps_a_posting_in_the_candidates_field_across_languages(self) -> None:
        # A Dutch electrician's posting for a Norwegian electrician: the same trade in two languages.
        reading = read_fields(
            head([text("fields", "postings", "f18_elektromonteur_nl.txt")]),
            head([text("fields", "materials", "cv_elektriker_nb.md")]),
        )
        assert reading is not None
        self.assertEqual(reading.posting_field, reading.candidate_field)
        self.assertEqual(reading.distance, 0.0)
        self.assertFalse(reading.other_field)

    def test_it_reads_nothing_from_empty_text(self) -> None:
        self.assertIsNone(read_fields("", "Elektriker med fagbrev"))
        self.assertIsNone(read_fields("Elektriker søkes", "   "))

    def test_it_reads_only_the_head(self) -> None:
        self.assertEqual(len(head(["x" * 1000, "y"])), 400)
        self.assertEqual(head(["  Title  ", "", "Body"]), "Title\nBody")
        self.assertGreater(OTHER_FIELD_AT, 0)


class FieldGuardScoringTests(TestCase):
    def test_it_keeps_a_posting_from_another_trade_low(self) -> None:
        # A backend engineer against a Norwegian nurse's posting: shared wording once lifted it to
        # medium (54).
        user = make_user("ingrid@example.org")
        add_material(user, text=text("calibration", "materials", "cv_backend_en.md"), title="CV")
        result = score_posting(user, text("calibration", "postings", "c03_sykepleier_nb.txt"), language="nb")
        self.assertTrue(result.other_field)
        self.assertEqual(result.band, Band.LOW)
        self.assertLess(result.score, MEDIUM_FROM)
        self.assertTrue(FitScore.from_json(result.to_json()).other_field)

    def test_it_does_not_hold_down_a_candidate_in_their_own_trade(self) -> None:
        user = make_user("ola@example.org")
        add_material(user, text=text("fields", "materials", "cv_elektriker_nb.md"), title="CV")
        result = score_posting(user, text("fields", "postings", "f03_elektroniker_de.txt"), language="de")
        self.assertFalse(result.other_field)
        self.assertNotEqual(result.band, Band.LOW)

    def test_it_reads_a_stored_score_without_the_flag(self) -> None:
        user = make_user("kari@example.org")
        add_material(user, text=text("calibration", "materials", "cv_sykepleier_nb.md"), title="CV")
        data = score_posting(user, text("calibration", "postings", "c03_sykepleier_nb.txt")).to_json()
        del data["other_field"]
        self.assertFalse(FitScore.from_json(data).other_field)


class FieldGuardBadInputTests(TestCase):
    def test_it_reads_no_field_without_materials(self) -> None:
        user = make_user("empty@example.org")
        result = score_posting(user, text("fields", "postings", "f02_elektriker_nb.txt"), language="nb")
        self.assertFalse(result.other_field)
        self.assertEqual(result.band, Band.LOW)
        self.assertEqual(result.score, 0)

    def test_it_scores_a_posting_of_three_words(self) -> None:
        user = make_user("sofie@example.org")
        add_material(user, text=text("fields", "materials", "cv_ontwerper_nl.md"), title="CV")
        result = score_posting(user, "Οδηγός φορτηγού ζητείται.", language="el")
        self.assertIn(result.band, {Band.LOW, Band.MEDIUM, Band.HIGH})
        self.assertEqual(result.band, Band.LOW)
