"""read_pasted(): the user's text kept, the obvious fields filled in, nothing guessed."""

from __future__ import annotations

from datetime import date

from applications.importing.parse import EmploymentType, read_pasted

KRONE_PAY = """Senior Python Engineer — Payments Platform
Krone Pay · Oslo, Norway (hybrid) · Full-time
Apply by: 2027-01-15

About us
Krone Pay processes instant payments for 40 Nordic banks. We are growing our platform team.

What you will do
• Design and build services that move money between banks in real time.
• Own the data model of our ledger in PostgreSQL.
"""


def test_it_reads_the_obvious_fields() -> None:
    posting = read_pasted(KRONE_PAY)
    assert posting.title == "Senior Python Engineer — Payments Platform"
    assert posting.company == "Krone Pay"
    assert posting.location == "Oslo, Norway (hybrid)"
    assert posting.employment_type is EmploymentType.FULL_TIME
    assert posting.deadline == date(2027, 1, 15)
    assert posting.language == "en"
    assert posting.found_in == "pasted"
    assert posting.source_url == ""


def test_it_keeps_the_text_with_headings_and_bullets() -> None:
    assert read_pasted(KRONE_PAY).description_text == (
        "Krone Pay · Oslo, Norway (hybrid) · Full-time\n"
        "Apply by: 2027-01-15\n\n"
        "## About us\n"
        "Krone Pay processes instant payments for 40 Nordic banks. We are growing our platform team.\n\n"
        "## What you will do\n"
        "- Design and build services that move money between banks in real time.\n"
        "- Own the data model of our ledger in PostgreSQL."
    )


def test_it_leaves_out_what_the_text_does_not_say_plainly() -> None:
    posting = read_pasted("Backendutvikler\n\nVi søker en erfaren utvikler til vårt team i Trondheim.")
    assert posting.title == "Backendutvikler"
    assert posting.company == posting.location == ""
    assert posting.deadline is None
    assert posting.employment_type is None


def test_it_reads_labelled_lines_in_other_languages() -> None:
    posting = read_pasted(
        "Pflegefachkraft (m/w/d)\n\nArbeitgeber: Klinikum Nord\nArbeitsort: Bremen\n"
        "Bewerbungsfrist: 31.03.2027\nAnstellungsart: Teilzeit\n\nWir suchen Verstärkung für unser Team."
    )
    assert (posting.company, posting.location) == ("Klinikum Nord", "Bremen")
    assert posting.deadline == date(2027, 3, 31)
    assert posting.employment_type is EmploymentType.PART_TIME


def test_it_does_not_take_hours_for_a_place() -> None:
    posting = read_pasted("Marketingmanager B2B\nZonnewerk Installaties · 32-40 uur\n\nOver ons")
    assert posting.company == "Zonnewerk Installaties"
    assert posting.location == ""


def test_it_skips_noise_before_the_title() -> None:
    posting = read_pasted("\n\n  --  \n# Data Scientist\nVidda Retail | Stockholm\n")
    assert posting.title == "Data Scientist"
    assert (posting.company, posting.location) == ("Vidda Retail", "Stockholm")


def test_it_returns_plain_text_whatever_was_pasted() -> None:
    posting = read_pasted("Cook\u200b\x00\n\nGood food &amp; <b>kind</b> people.")
    assert posting.title == "Cook"
    assert "\x00" not in posting.description_text
    assert "\u200b" not in posting.title


def test_it_reads_nothing_from_nothing() -> None:
    posting = read_pasted("   \n ")
    assert posting.title == posting.description_text == ""
