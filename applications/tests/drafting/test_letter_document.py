from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from applications.letters.document import format_date, place_and_date, subject_line
from applications.letters.sender import sender_from_cv
from coach.checks import name_from_cv

DAY = dt.date(2026, 11, 27)
DEMO_CV = Path(settings.BASE_DIR) / "ops" / "demo_data" / "materials" / "cv_backend_en.md"


class DateLineTests(SimpleTestCase):
    def test_it_writes_the_date_as_each_language_does(self) -> None:
        self.assertEqual(place_and_date("Oslo", DAY, "nb"), "Oslo, 27. november 2026")
        self.assertEqual(place_and_date("Amsterdam", DAY, "nl"), "Amsterdam, 27 november 2026")
        self.assertEqual(place_and_date("Berlin", DAY, "de"), "Berlin, 27. November 2026")
        self.assertEqual(place_and_date("Αθήνα", DAY, "el"), "Αθήνα, 27 Νοεμβρίου 2026")
        self.assertEqual(place_and_date("", DAY, "en"), "27 November 2026")

    def test_it_knows_every_month(self) -> None:
        self.assertEqual(format_date(dt.date(2027, 3, 1), "de"), "1. März 2027")
        self.assertEqual(format_date(dt.date(2027, 5, 9), "el"), "9 Μαΐου 2027")
        self.assertEqual(format_date(dt.date(2027, 12, 31), "nb"), "31. desember 2027")
        self.assertEqual(format_date(dt.date(2027, 10, 2), "nl"), "2 oktober 2027")

    def test_it_falls_back_to_english_and_reads_norwegian_aliases(self) -> None:
        self.assertEqual(format_date(DAY, "fr"), "27 November 2026")
        self.assertEqual(format_date(DAY, "no"), "27. november 2026")

    def test_it_writes_the_subject_in_the_letters_language(self) -> None:
        self.assertEqual(subject_line("Backendutvikler", "nb"), "Søknad: Backendutvikler")
        self.assertEqual(subject_line("Platform Engineer", "de"), "Bewerbung: Platform Engineer")
        self.assertEqual(subject_line("Engineer", "xx"), "Application: Engineer")


class SenderTests(SimpleTestCase):
    def test_it_reads_the_contact_line_of_a_cv(self) -> None:
        sender = sender_from_cv("", "login@example.org", DEMO_CV.read_text(encoding="utf-8"))
        self.assertEqual(sender.name, "Ingrid Solberg")
        self.assertEqual(sender.lines, ("Trondheim, Norway", "ingrid.solberg@example.org", "+47 400 00 000"))
        self.assertEqual(sender.city, "Trondheim")

    def test_it_falls_back_to_the_account(self) -> None:
        sender = sender_from_cv("Alice Andersen", "alice@example.org", "Experience\n- Python")
        self.assertEqual(
            (sender.name, sender.lines, sender.city), ("Alice Andersen", ("alice@example.org",), "")
        )

    def test_it_takes_only_a_name_for_a_name(self) -> None:
        self.assertEqual(name_from_cv("# Curriculum vitae: 2026\n"), "")
        self.assertEqual(name_from_cv("\n\n# Sanne de Vries\n"), "Sanne de Vries")
        self.assertEqual(name_from_cv("Backend engineer with seven years"), "")
        self.assertEqual(name_from_cv("Jan Pieter Bakker\nMarketing"), "Jan Pieter Bakker")
