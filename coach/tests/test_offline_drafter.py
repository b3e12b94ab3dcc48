from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

from coach.checks import _normal_text as normal_text
from coach.checks import assess_claims, draft_sentences, is_courtesy
from coach.providers.base import Cancelled, DraftInstructions, Grounding, Prompt, Usage
from coach.providers.offline import MAX_PARAGRAPHS, OfflineDrafter, compose, write_letter
from coach.providers.offline_phrases import PHRASES, all_phrase_text
from coach.providers.offline_rewrite import first_person, joined
from coach.tests.offline_groundings import LABELS, grounding, material
from materials.language import detect_language
from omoikane.text import fold

REPO = Path(__file__).resolve().parents[2]
CASES = range(len(LABELS["cases"]))


def _prompt(g: Grounding) -> Prompt:
    return Prompt(system="", stable="", task="", grounding=g, max_tokens=2000)


def _words(text: str) -> set[str]:
    return {fold(w) for w in re.findall(r"[^\W_]+", text)}


def _sources(g: Grounding) -> str:
    """Everything the letter may take words from: the user's own texts, the posting's lines and names."""
    parts = [g.applicant_name, g.posting_title, g.company]
    for item in g.requirements:
        parts.append(item.requirement)
        parts.extend(e.text for e in item.evidence)
    parts.extend(v.text for v in g.voice_samples)
    return "\n".join(parts)


def _without_names(letter: str, g: Grounding) -> str:
    for name in (g.posting_title, g.company, g.applicant_name):
        letter = letter.replace(name, " ")
    return letter


def _body(letter: str) -> str:
    """The paragraphs between the opening and the closing."""
    return "\n\n".join(letter.split("\n\n")[2:-2])


class OfflineDrafterTests(SimpleTestCase):
    def test_it_invents_no_words_and_no_numbers(self) -> None:
        template_words = _words(all_phrase_text())
        for index in CASES:
            for language in ("en", "nl", "nb", "de", "el"):
                g = grounding(index, language=language)
                letter = write_letter(g)
                with self.subTest(case=index, language=language):
                    sources = _sources(g)
                    invented = _words(letter) - _words(sources) - template_words
                    self.assertEqual(invented, set())
                    for number in re.findall(r"\d+(?:[.,]\d+)?", letter):
                        self.assertIn(number, sources)

    def test_it_makes_cv_lines_first_person_sentences_in_all_five_languages(self) -> None:
        cases = [
            ("Variance analysis of production costs.", "en", "I have experience with variance analysis of"),
            ("Own the month-end close for three sites.", "en", "I own the month-end close"),
            ("Responsible for the budget.", "en", "I was responsible for the budget."),
            ("Designsysteem opgezet met 80 componenten.", "nl", "Ik heb designsysteem opgezet met 80"),
            ("Ontwerp van de mobiele app.", "nl", "Ik heb ervaring met ontwerp van de mobiele app."),
            ("Ledet et team på fire sykepleiere.", "nb", "Jeg ledet et team på fire sykepleiere."),
            ("Installasjon av elektriske anlegg.", "nb", "Jeg har erfaring med installasjon av elektriske"),
            ("Ansvarlig for turnusplanen.", "nb", "Jeg var ansvarlig for turnusplanen."),
            (
                "Stückkosten um 18 % gesenkt, indem Teile ersetzt wurden.",
                "de",
                "Ich habe Stückkosten um 18 % gesenkt",
            ),
            (
                "FEM-Berechnungen in ANSYS Mechanical.",
                "de",
                "Ich habe Erfahrung mit FEM-Berechnungen in ANSYS",
            ),
            (
                "Verantwortlich für die Monatsabschlüsse.",
                "de",
                "Ich war verantwortlich für die Monatsabschlüsse.",
            ),
            ("Σχεδιασμός μαθημάτων για παιδιά.", "el", "Έχω εμπειρία στα εξής: σχεδιασμός μαθημάτων"),
            ("Οργάνωσα εκδρομές για την τάξη.", "el", "Οργάνωσα εκδρομές για την τάξη."),
            ("Υπεύθυνος τάξης για 25 παιδιά.", "el", "Ήμουν υπεύθυνος τάξης για 25 παιδιά."),
            ("I like boring, well-tested systems.", "en", "I like boring, well-tested systems."),
        ]
        for line, language, expected in cases:
            with self.subTest(line=line):
                self.assertTrue(first_person(line, language, frozenset()).startswith(expected))

    def test_it_joins_later_sentences_of_a_paragraph(self) -> None:
        self.assertEqual(
            joined("Ik heb een team geleid.", "nl", 0, frozenset()), "Daarnaast heb ik een team geleid."
        )
        self.assertEqual(joined("Jeg ledet et team.", "nb", 0, frozenset()), "I tillegg ledet jeg et team.")
        self.assertEqual(
            joined("Ich habe Teams geleitet.", "de", 1, frozenset()), "Zudem habe ich Teams geleitet."
        )
        self.assertEqual(joined("I led a team.", "en", 0, frozenset()), "In addition, I led a team.")
        self.assertEqual(
            joined("Οργάνωσα εκδρομές για μαθητές.", "el", 0, frozenset()),
            "Επίσης, οργάνωσα εκδρομές για μαθητές.",
        )

    def test_it_restates_the_users_evidence_in_the_first_person(self) -> None:
        letter = write_letter(grounding(0))
        self.assertIn("I designed the PostgreSQL schema and partitioning for 400 million ledger rows", letter)
        self.assertIn("I led a team of four engineers that rebuilt the card-settlement pipeline", letter)
        self.assertIn("“Deep knowledge of PostgreSQL, including performance tuning”", letter)
        dutch = write_letter(grounding(3))
        self.assertIn("Ik heb marketing automation ingevoerd met HubSpot", dutch)

    def test_it_writes_in_the_letters_language(self) -> None:
        for index in CASES:
            case = LABELS["cases"][index]
            letter = write_letter(grounding(index))
            phrases = PHRASES[case["language"]]
            with self.subTest(case=index):
                self.assertTrue(letter.startswith(phrases.salutation.split("{")[0]))
                if case["language"] in ("en", "nl"):
                    # The sample CV is in the posting's language too, so the whole letter is.
                    self.assertEqual(detect_language(letter), case["language"])
        greek = write_letter(grounding(0, language="el"))
        self.assertTrue(greek.startswith("Αγαπητή ομάδα της Krone Pay,"))
        self.assertIn("Με εκτίμηση,\nIngrid Solberg", greek)

    def test_it_never_mixes_languages_and_says_what_it_left_out(self) -> None:
        # An English CV, letters asked in the four other languages: no English sentence, no English
        # requirement quoted, and the letter says which language it had to leave out.
        for language in ("nl", "nb", "de", "el"):
            letter = compose(grounding(0, language=language))
            with self.subTest(language=language):
                self.assertEqual(letter.left_out, ("en",))
                for sentence in draft_sentences(_without_names(letter.text, grounding(0))):
                    self.assertNotEqual(detect_language(sentence), "en", sentence)
                self.assertNotIn("PostgreSQL", letter.text)
        norwegian = compose(grounding(4))  # a Norwegian posting, an English CV
        self.assertEqual(norwegian.left_out, ("en",))
        self.assertNotIn("I wrote the event pipeline", norwegian.text)
        self.assertIn(PHRASES["nb"].no_evidence, norwegian.text)
        # Written in the materials' own language, nothing is left out.
        self.assertEqual(compose(grounding(0)).left_out, ())
        self.assertEqual(compose(grounding(3)).left_out, ())

    def test_the_drafter_passes_on_what_it_left_out(self) -> None:
        completion = OfflineDrafter().complete(_prompt(grounding(0, language="de")))
        self.assertEqual(completion.left_out_languages, ("en",))
        self.assertTrue(completion.short_of_evidence)

    def test_it_opens_with_the_applicants_own_summary_in_the_letters_language(self) -> None:
        dutch = dataclasses.replace(grounding(3), cv_opening=material("cv_marketing_nl.md"))
        letter = write_letter(dutch)
        self.assertIn(
            "\n\nIk combineer data-analyse met sterke copywriting en stuur graag kleine teams aan.\n\n",
            letter,
        )
        self.assertEqual(letter.count("Ik combineer data-analyse"), 1)
        # An English summary stays out of a Norwegian letter, like every other English line.
        norwegian = dataclasses.replace(grounding(4), cv_opening=material("cv_backend_en.md"))
        self.assertNotIn("boring, well-tested systems", write_letter(norwegian))
        # A CV without a summary heading gives none.
        plain = dataclasses.replace(grounding(0), cv_opening="Ingrid Solberg\nLed a team of four engineers.")
        self.assertEqual(write_letter(plain), write_letter(grounding(0)))

    def test_it_says_when_the_evidence_held_less_than_the_length_asked(self) -> None:
        self.assertFalse(compose(grounding(0, length_words=300)).short)
        self.assertTrue(compose(grounding(1, length_words=300)).short)  # nothing covers a data-science post
        self.assertTrue(compose(grounding(0, length_words=600)).short)

    def test_no_sentence_of_its_own_is_an_unsupported_claim(self) -> None:
        for index in CASES:
            for language in ("en", "nl", "nb", "de", "el"):
                g = grounding(index, language=language)
                letter = write_letter(g)
                candidate = LABELS["cases"][index]["candidate"]
                materials = [material(name) for name in LABELS["candidates"][candidate]]
                addressed = normal_text(
                    " ".join([g.posting_text, g.posting_title, g.company, g.applicant_name])
                )
                named = [g.applicant_name, g.company, g.posting_title]
                with self.subTest(case=index, language=language):
                    _claims, _courtesies, unsupported, _rows = assess_claims(
                        letter, materials, addressed=addressed, named=named, language=language
                    )
                    self.assertEqual(unsupported, [])
        for phrases in PHRASES.values():
            self.assertTrue(is_courtesy(phrases.opening_more), phrases.opening_more)

    def test_it_takes_the_users_own_phrases_from_letters_in_the_same_language(self) -> None:
        letter = write_letter(grounding(0))
        self.assertIn("Your posting mentions “", letter)
        self.assertIn("Thank you for your time. I look forward to hearing from you.", letter)
        self.assertTrue(letter.endswith("Kind regards,\nIngrid Solberg\n"))
        dutch = write_letter(grounding(3))
        self.assertIn("In uw vacature vraagt u om ‘", dutch)
        self.assertIn("Ik vertel u graag meer in een persoonlijk gesprek.", dutch)
        # Her English letters say nothing about how she writes Norwegian.
        norwegian = write_letter(grounding(4))
        self.assertNotIn("Kind regards", norwegian)
        self.assertNotIn("Thank you", norwegian)
        self.assertTrue(norwegian.endswith("Med vennlig hilsen\nIngrid Solberg\n"))

    def test_it_never_lifts_sentences_naming_other_employers(self) -> None:
        letter = write_letter(grounding(0))
        for name in ("Nordlys", "Medvind", "Larsen", "Zonnedak", "Jansen"):
            self.assertNotIn(name, letter)

    def test_it_greets_the_company_and_names_the_posting(self) -> None:
        letter = write_letter(grounding(5))
        self.assertTrue(letter.startswith("Liebes Team von Elbwerk Energie GmbH,\n\n"))
        self.assertIn("die Stelle als Platform Engineer (m/w/d) bei Elbwerk Energie GmbH.", letter)
        nameless = dataclasses.replace(grounding(0), company="")
        self.assertTrue(write_letter(nameless).startswith("Dear hiring team,\n\n"))

    def test_it_writes_a_body_paragraph_per_requirement_it_has_evidence_for(self) -> None:
        body = _body(write_letter(grounding(0)))
        paragraphs = body.split("\n\n")
        self.assertIn(len(paragraphs), range(2, MAX_PARAGRAPHS + 1))
        for paragraph in paragraphs:
            self.assertEqual(paragraph.count("“"), 1)

    def test_it_writes_without_evidence_and_claims_nothing(self) -> None:
        letter = write_letter(grounding(1))  # nothing in her CV covers a data-science posting
        self.assertIn(PHRASES["en"].no_evidence, letter)
        self.assertNotIn("“", letter)

    def test_it_falls_back_to_english(self) -> None:
        letter = write_letter(grounding(0, language="fr"))
        self.assertTrue(letter.startswith("Dear hiring team at Krone Pay,"))

    def test_it_is_deterministic(self) -> None:
        for index in CASES:
            self.assertEqual(write_letter(grounding(index)), write_letter(grounding(index)))

    def test_it_is_deterministic_across_processes(self) -> None:
        # String hashing differs per process; the letter must not depend on set or dict order.
        script = (
            "import django; django.setup();"
            "from coach.providers.offline import write_letter;"
            "from coach.tests.offline_groundings import grounding;"
            "print(write_letter(grounding(0)) + write_letter(grounding(3)), end='')"
        )
        outputs = set()
        for seed in ("1", "2"):
            env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "omoikane.settings"}
            result = subprocess.run(
                [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, check=True
            )
            outputs.add(result.stdout)
        self.assertEqual(len(outputs), 1)
        self.assertEqual(outputs.pop(), write_letter(grounding(0)) + write_letter(grounding(3)))

    def test_it_keeps_to_the_length_asked_when_the_evidence_holds_enough(self) -> None:
        for asked in (200, 300):
            words = len(write_letter(grounding(0, length_words=asked)).split())
            with self.subTest(asked=asked):
                self.assertGreaterEqual(words, asked * 0.8)
                self.assertLessEqual(words, asked * 1.2)
        short = len(write_letter(grounding(0, length_words=120)).split())
        self.assertLessEqual(short, 120 * 1.2)
        # Asked for more than the evidence holds, it stops where the evidence does: no filler.
        self.assertEqual(
            write_letter(grounding(0, length_words=400)), write_letter(grounding(0, length_words=600))
        )

    def test_it_writes_shorter_and_longer_when_asked(self) -> None:
        first = write_letter(grounding(0, length_words=300))
        shorter = write_letter(grounding(0, length_words=300, revision="shorter", previous_draft=first))
        self.assertLess(len(shorter.split()), len(first.split()) * 0.85)
        small = write_letter(grounding(0, length_words=120))
        longer = write_letter(grounding(0, length_words=120, revision="Make it longer", previous_draft=small))
        self.assertGreater(len(longer.split()), len(small.split()) * 1.2)

    def test_it_writes_more_formally_when_asked(self) -> None:
        letter = write_letter(grounding(0, revision="more formal"))
        self.assertTrue(letter.startswith("Dear Sir or Madam,"))
        self.assertTrue(letter.endswith("Yours faithfully,\nIngrid Solberg\n"))
        self.assertIn(PHRASES["en"].closing_formal, letter)
        dutch = write_letter(grounding(3, tone="formeel"))
        self.assertTrue(dutch.startswith("Geachte heer, mevrouw,"))
        self.assertIn("Hoogachtend,", dutch)

    def test_it_brings_up_what_the_revision_mentions(self) -> None:
        plain = write_letter(grounding(0, length_words=120))
        self.assertNotIn("Kafka", plain)
        asked = write_letter(grounding(0, length_words=120, revision="mention the Kafka work"))
        self.assertIn("I wrote the event pipeline on Kafka", asked)

    def test_it_streams_word_by_word_and_uses_no_tokens(self) -> None:
        pieces: list[str] = []
        completion = OfflineDrafter().complete(_prompt(grounding(0)), on_text=pieces.append)
        self.assertEqual("".join(pieces), completion.text)
        self.assertEqual(len(pieces), len(completion.text.split()))
        self.assertEqual(completion.text, write_letter(grounding(0)))
        self.assertEqual((completion.provider, completion.model), ("offline", "offline-1"))
        self.assertEqual(completion.usage, Usage())

    def test_it_stops_when_cancelled(self) -> None:
        pieces: list[str] = []
        with self.assertRaises(Cancelled):
            OfflineDrafter().complete(
                _prompt(grounding(0)), on_text=pieces.append, cancelled=lambda: len(pieces) >= 5
            )
        self.assertEqual(len(pieces), 5)

    def test_it_survives_an_empty_grounding(self) -> None:
        empty = Grounding(
            applicant_name="",
            posting_title="",
            company="",
            posting_text="",
            requirements=(),
            voice_samples=(),
            instructions=DraftInstructions(language="nb", length_words=0),
        )
        letter = OfflineDrafter().complete(_prompt(empty)).text
        self.assertTrue(letter.startswith("Hei,"))
        self.assertIn(PHRASES["nb"].no_evidence, letter)
