from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

from coach.providers.base import Cancelled, DraftInstructions, Grounding, Prompt, Usage
from coach.providers.offline import OfflineDrafter, write_letter
from coach.providers.offline_phrases import PHRASES, all_phrase_text
from coach.tests.offline_groundings import LABELS, grounding
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
        self.assertIn("Στην αγγελία σας ζητάτε «", greek)
        self.assertIn("Με εκτίμηση,\nIngrid Solberg", greek)

    def test_it_says_so_when_the_evidence_is_in_another_language(self) -> None:
        letter = write_letter(grounding(4))  # a Norwegian posting, an English CV
        self.assertIn(
            "I utlysningen ber dere om «Erfaring med meldingskøer som Kafka eller RabbitMQ».", letter
        )
        self.assertIn("Fra min erfaring: I wrote the event pipeline on Kafka", letter)

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

    def test_it_writes_two_or_three_body_paragraphs_one_per_requirement(self) -> None:
        body = _body(write_letter(grounding(0)))
        paragraphs = body.split("\n\n")
        self.assertIn(len(paragraphs), (2, 3))
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

    def test_it_keeps_roughly_to_the_length_asked(self) -> None:
        short = write_letter(grounding(0, length_words=120))
        long = write_letter(grounding(0, length_words=300))
        self.assertLessEqual(len(short.split()), 120 * 1.15)
        self.assertGreater(len(long.split()), len(short.split()) * 1.3)
        self.assertLessEqual(len(long.split()), 300 * 1.15)

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
