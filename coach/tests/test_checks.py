from __future__ import annotations

from django.test import SimpleTestCase

from coach.checks import (
    Flag,
    Sources,
    assess_claims,
    check_draft,
    draft_sentences,
    emails,
    is_courtesy,
    names,
    output_flags,
    phones,
    urls,
)
from materials.tests.factories import CV_TEXT, add_material
from omoikane.testing import BaseTestCase

CV = CV_TEXT + "\nContact: alice@example.org · +47 400 00 000 · https://www.alice.dev/portfolio/\n"
POSTING = "Fjordpay AS is hiring. Questions? Ask Kari Nordmann at kari@fjordpay.no or 22 33 44 55."


class ExtractionTests(SimpleTestCase):
    def test_it_finds_emails_urls_and_phones(self) -> None:
        text = (
            "Mail a.b+c@mail.example.org, see https://x.example/a?b=1 or fjordpay.no/jobs. "
            "Call +47 912 34 567."
        )
        self.assertEqual(emails(text), ["a.b+c@mail.example.org"])
        self.assertEqual(urls(text), ["https://x.example/a?b=1", "fjordpay.no/jobs"])
        self.assertEqual(phones(text), ["+47 912 34 567"])

    def test_it_does_not_take_dates_years_or_amounts_for_phones(self) -> None:
        text = "From 2018–2021, on 27.11.2026, for 1.200.000 users, 99.95% of the time, 400 million rows."
        self.assertEqual(phones(text), [])

    def test_it_does_not_take_technology_names_for_web_addresses(self) -> None:
        self.assertEqual(urls("I use Node.js, ASP.NET and Next.js daily."), [])

    def test_it_finds_names_not_sentence_starts(self) -> None:
        text = (
            "Dear Hiring Team,\nAt Fjordpay I worked with Kari Nordmann and Jan de Vries at Bank of Norway."
        )
        self.assertEqual(names(text), ["Kari Nordmann", "Jan de Vries", "Bank of Norway"])

    def test_it_finds_names_in_greek(self) -> None:
        self.assertEqual(names("Συνεργάστηκα με τον Γιώργο Παπαδόπουλο στην Αθήνα."), ["Γιώργο Παπαδόπουλο"])

    def test_it_splits_sentences_across_abbreviations_and_lines(self) -> None:
        text = "Dear Ms. Berg,\n\nI used e.g. Python and\nDjango. It worked.\n\nKind regards,\nAlice"
        self.assertEqual(
            draft_sentences(text),
            ["Dear Ms. Berg,", "I used e.g. Python and Django.", "It worked.", "Kind regards, Alice"],
        )


class OutputFlagTests(SimpleTestCase):
    sources = Sources(materials=[CV], posting=POSTING, known=["Alice Andersen", "alice@example.org"])

    def test_it_accepts_details_from_the_materials_and_the_posting(self) -> None:
        draft = (
            "Reach me at ALICE@example.org or 400 00 000 (www.alice.dev/portfolio). "
            "I would be glad to talk to Kari Nordmann, kari@fjordpay.no, +47 22 33 44 55."
        )
        self.assertEqual(output_flags(draft, self.sources), [])

    def test_it_flags_details_from_nowhere(self) -> None:
        draft = (
            "Call +31 6 1234 5678, mail bob@elsewhere.example, visit https://alice.dev/other "
            "and ask John Smith."
        )
        self.assertEqual(
            output_flags(draft, self.sources),
            [
                Flag("email", "bob@elsewhere.example"),
                Flag("url", "https://alice.dev/other"),
                Flag("phone", "+31 6 1234 5678"),
                Flag("name", "John Smith"),
            ],
        )


class CourtesyTests(SimpleTestCase):
    def test_it_tells_courtesies_in_five_languages(self) -> None:
        for language, sentence in [
            ("en", "I look forward to hearing from you."),
            ("en", "Thank you for considering my application."),
            ("nl", "Ik kijk uit naar uw reactie."),
            ("nb", "Jeg ser frem til å høre fra deg."),
            ("de", "Ich freue mich auf Ihre Rückmeldung."),
            ("el", "Ευχαριστώ για τον χρόνο σας."),
            ("en", "Kind regards, Alice Andersen"),
        ]:
            with self.subTest(sentence=sentence):
                self.assertTrue(is_courtesy(sentence, addressed="alice andersen", language=language))

    def test_it_takes_sentences_with_facts_for_claims(self) -> None:
        for sentence in [
            "I led a team of 4 engineers.",
            "I have deep Kubernetes experience.",
            "Ich habe sieben Jahre lang Zahlungssysteme gebaut und betrieben.",
        ]:
            with self.subTest(sentence=sentence):
                self.assertFalse(is_courtesy(sentence, language="de" if "Ich" in sentence else "en"))


class ClaimTests(BaseTestCase):
    def test_it_marks_claims_the_materials_do_not_show(self) -> None:
        from coach.retrieval import UserIndex

        add_material(self.alice)
        draft = (
            "Dear Hiring Team,\n\n"
            "At Fjordpay I rebuilt the card-settlement pipeline in Python and Django.\n\n"
            "I designed the PostgreSQL schema and partitioning for 400 million ledger rows.\n\n"
            "I led the machine-learning team at Google for twelve years.\n\n"
            "I cut settlement lag from 9 hours to 2 minutes.\n\n"
            "I am a certified scuba diver and a trained chef.\n\n"
            "I look forward to hearing from you.\n\nKind regards,\nAlice Andersen"
        )
        result = check_draft(
            draft,
            Sources(materials=[CV_TEXT], posting=POSTING, known=["Alice Andersen"]),
            language="en",
            index=UserIndex.load(self.alice),
        )
        self.assertEqual(
            result.unsupported,
            [
                "I led the machine-learning team at Google for twelve years.",
                "I cut settlement lag from 9 hours to 2 minutes.",
                "I am a certified scuba diver and a trained chef.",
            ],
        )
        self.assertEqual((result.claims, result.courtesies), (5, 3))
        google = next(d for d in result.details if "Google" in d["sentence"])
        self.assertEqual(google["unknown_terms"], ["Google"])
        self.assertEqual(result.to_json()["version"], "1")

    def test_it_works_without_an_index(self) -> None:
        claims, courtesies, unsupported, _details = assess_claims(
            "I rebuilt the card-settlement pipeline in Python and Django.", [CV_TEXT]
        )
        self.assertEqual((claims, courtesies, unsupported), (1, 0, []))

    def test_it_takes_a_posting_title_holding_a_quotation_for_no_claim(self) -> None:
        title = "Δάσκαλος/δασκάλα – Ιδιωτικό Δημοτικό Σχολείο «Νέοι Ορίζοντες», Αθήνα"
        result = check_draft(
            f"Υποβάλλω την αίτησή μου για τη θέση {title}.",
            Sources(materials=[CV_TEXT], posting=f"{title}\nΖητείται δάσκαλος.", known=[title]),
            language="el",
        )
        self.assertEqual(result.unsupported, [])

    def test_it_takes_quotations_of_the_posting_and_its_names_for_no_claim(self) -> None:
        posting = "Senior Python Engineer at Krone Pay. You have excellent Norwegian, spoken and written."
        draft = (
            "I am applying for the position of Senior Python Engineer at Krone Pay.\n\n"
            "Your posting mentions “excellent Norwegian, spoken and written”.\n\n"
            "In Ihrer Stellenanzeige nennen Sie „Erfahrung mit Norwegian“.\n\n"
            "I speak excellent Norwegian, spoken and written.\n\n"
            "I speak “fluent Klingon”."
        )
        result = check_draft(
            draft,
            Sources(materials=[CV_TEXT], posting=posting, known=["Senior Python Engineer", "Krone Pay"]),
            language="en",
        )
        # Quoting the posting claims nothing; saying it of oneself, or quoting anything else, does.
        self.assertEqual(
            result.unsupported,
            [
                "In Ihrer Stellenanzeige nennen Sie „Erfahrung mit Norwegian“.",
                "I speak excellent Norwegian, spoken and written.",
                "I speak “fluent Klingon”.",
            ],
        )
        self.assertEqual(result.courtesies, 2)
