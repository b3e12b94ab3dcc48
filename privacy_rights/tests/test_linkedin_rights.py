"""The provenance of a LinkedIn import is exported with the material and erased with the account."""

from __future__ import annotations

import json

from materials.actions import do_import_linkedin
from materials.models import LinkedInImport
from materials.tests.linkedin.exports import csv_file, english_export
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_rights.actions import do_request_erasure
from privacy_rights.erasure import run_erasure
from privacy_rights.tests.factories import ready_export
from privacy_rights.tests.test_export_job import unzip

ACTOR = Actor.system("test")
FORMULA = '=HYPERLINK("http://evil.example/","click")'


class LinkedInRightsTests(BaseTestCase):
    databases = "__all__"

    def setUp(self) -> None:
        super().setUp()
        extra = {"Skills.csv": csv_file(["Name"], [["Python"], [FORMULA]])}
        self.material = do_import_linkedin(self.alice, english_export(extra=extra), actor=ACTOR)

    def test_it_exports_each_imported_value_with_its_file_and_column(self) -> None:
        archive = unzip(ready_export(self.alice))
        name = next(n for n in archive.namelist() if n.endswith("/linkedin-import.json"))
        content = archive.read(name).decode()
        self.assertIn('"file": "Positions.csv"', content)
        self.assertIn('"column": "Title"', content)
        # The formula cell stays a JSON string, exactly as the member wrote it: nothing here evaluates it.
        self.assertIn(json.dumps(FORMULA)[1:-1], content)
        text = next(n for n in archive.namelist() if n.startswith("materials/") and n.endswith("/text.md"))
        self.assertIn(f"- {FORMULA}", archive.read(text).decode())

    def test_it_erases_the_import_with_the_account(self) -> None:
        erasure = do_request_erasure(self.alice, actor=ACTOR)
        run_erasure(erasure.pk)
        self.assertFalse(LinkedInImport.objects.exists())
