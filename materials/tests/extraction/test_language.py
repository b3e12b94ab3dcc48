# CVs and letters are written with en dashes and in Greek: the look-alike characters are meant.
from __future__ import annotations

import pytest

from materials.language import detect_language, letter_parts


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I have spent the last three years making card settlements boring and reliable.", "en"),
        ("Ik heb de afgelopen vier jaar bij GroenGoed de contentstrategie opnieuw opgezet.", "nl"),
        ("Jeg søker stillingen som seniorutvikler fordi jeg ønsker å jobbe med betalingsløsninger.", "nb"),
        ("Ich habe in den letzten drei Jahren die Zahlungsabwicklung zuverlässig gemacht.", "de"),
        ("Τα τελευταία τρία χρόνια εργάστηκα ως μηχανικός λογισμικού στην Αθήνα.", "el"),
    ],
)
def test_it_detects_the_supported_languages(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_it_detects_the_language_of_a_cv_full_of_english_tool_names() -> None:
    cv = (
        "# Sanne de Vries\n\n## Werkervaring\n\n"
        "- Verantwoordelijk voor een marketingbudget van € 1,2 miljoen.\n"
        "- Marketing automation ingevoerd met HubSpot; het aantal gekwalificeerde leads verdubbelde.\n"
        "- SEA-campagnes beheerd (Google Ads, LinkedIn Ads) met een jaarbudget van € 300.000."
    )
    assert detect_language(cv) == "nl"


def test_it_says_nothing_when_unsure_or_the_language_is_not_supported() -> None:
    assert detect_language("Python, Django") == ""
    assert detect_language("") == ""
    assert detect_language("J'ai travaillé comme développeur pendant sept ans à Paris et à Lyon.") == ""


ENGLISH_LETTER = """Ingrid Solberg
Trondheim, 3 March 2025

Dear Ms. Larsen,

When a patient books an appointment, the worst thing that can happen is silence.

Thank you for your time. I look forward to hearing from you.

Best wishes,
Ingrid Solberg
"""

DUTCH_LETTER = """Beste mevrouw Jansen,

Duurzaamheid verkopen zonder te preken: dat is wat ik de afgelopen vier jaar heb gedaan.

Ik vertel u graag meer in een persoonlijk gesprek.

Met vriendelijke groet,
Sanne de Vries
"""


def test_it_finds_the_parts_of_an_english_letter() -> None:
    assert letter_parts(ENGLISH_LETTER) == {
        "salutation": "Dear Ms. Larsen,",
        "body": "When a patient books an appointment, the worst thing that can happen is silence.\n\n"
        "Thank you for your time. I look forward to hearing from you.",
        "closing": "Best wishes,\nIngrid Solberg",
    }


def test_it_finds_the_parts_of_a_dutch_letter() -> None:
    parts = letter_parts(DUTCH_LETTER)
    assert parts["salutation"] == "Beste mevrouw Jansen,"
    assert parts["closing"] == "Met vriendelijke groet,\nSanne de Vries"
    assert parts["body"].startswith("Duurzaamheid") and parts["body"].endswith("gesprek.")


@pytest.mark.parametrize(
    ("salutation", "body", "closing"),
    [
        ("Kjære Kari,", "Jeg søker jobben.", "Med vennlig hilsen\nOla Nordmann"),
        ("Sehr geehrte Frau Müller,", "ich bewerbe mich.", "Mit freundlichen Grüßen\nAnna Schmidt"),
        ("Αξιότιμε κύριε Παπαδόπουλε,", "Εργάζομαι ως μηχανικός.", "Με εκτίμηση,\nΜαρία Παπαδοπούλου"),
        ("Hi Sam,", "Quick note about the role.", "Kind regards, Alex"),
    ],
)
def test_it_finds_salutations_and_closings_in_other_languages(
    salutation: str, body: str, closing: str
) -> None:
    letter = f"{salutation}\n\n{body}\n\n{closing}\n"
    assert letter_parts(letter) == {"salutation": salutation, "body": body, "closing": closing}


def test_it_leaves_parts_empty_when_a_text_has_none() -> None:
    assert letter_parts("Built the settlement pipeline.\nBest of all, it stayed quiet.") == {
        "salutation": "",
        "body": "Built the settlement pipeline.\nBest of all, it stayed quiet.",
        "closing": "",
    }
