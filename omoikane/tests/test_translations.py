"""Every catalogue is complete: no message missing, none fuzzy, for each of the five languages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.test import SimpleTestCase

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


class TranslationTests(SimpleTestCase):
    def test_it_has_a_catalogue_for_every_language(self) -> None:
        self.assertEqual(sorted(TRANSLATED_LANGUAGES), ["de", "el", "nb", "nl"])
        for language in TRANSLATED_LANGUAGES:
            with self.subTest(language=language):
                self.assertGreater(len(catalogue(language)), 100)

    def test_it_has_no_missing_or_fuzzy_message(self) -> None:
        for language in TRANSLATED_LANGUAGES:
            po = catalogue(language)
            with self.subTest(language=language):
                self.assertEqual([e.msgid for e in po.untranslated_entries()], [])
                self.assertEqual([e.msgid for e in po.fuzzy_entries()], [])
                self.assertEqual([e.msgid for e in po if e.obsolete], [])

    def test_it_keeps_placeholders_intact(self) -> None:
        for language in TRANSLATED_LANGUAGES:
            for entry in catalogue(language).translated_entries():
                translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
                for text in translations:
                    with self.subTest(language=language, msgid=entry.msgid[:60]):
                        for placeholder in _placeholders(entry.msgid_plural or entry.msgid):
                            self.assertIn(placeholder, text)

    def test_it_translates_every_string_in_the_code(self) -> None:
        # Extract the strings afresh into a copy of the catalogues: anything new is a missing translation.
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "project"
            shutil.copytree(
                settings.BASE_DIR,
                copy,
                ignore=shutil.ignore_patterns(
                    ".venv",
                    "var",
                    ".git",
                    "*.mo",
                    "__pycache__",
                    ".*_cache",
                    "bench",
                    "tests_browser",
                    "node_modules",
                ),
            )
            subprocess.run(
                [sys.executable, "manage.py", "makemessages", "--all", "--no-obsolete", "--verbosity=0"],
                cwd=copy,
                check=True,
                capture_output=True,
                env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(Path(tmp) / "var")},
            )
            for language in TRANSLATED_LANGUAGES:
                fresh = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
                with self.subTest(language=language):
                    self.assertEqual([e.msgid for e in fresh.untranslated_entries()], [])
                    self.assertEqual([e.msgid for e in fresh.fuzzy_entries()], [])


def _placeholders(text: str) -> list[str]:
    return re.findall(r"%\([a-z_]+\)[sd]", text)
