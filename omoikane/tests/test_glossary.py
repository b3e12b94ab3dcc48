"""One term per concept per language: locale/<lang>/glossary.txt names the term we use for a concept and
the ones we do not, and no string a page can show (our catalogue's and allauth's, as the page would get
them) may use an avoided one. A user once met "Κωδικός πρόσβασης" and "Συνθηματικό" for one password."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import allauth
import polib
from django.conf import settings
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.html import strip_tags

LOCALE = Path(settings.BASE_DIR) / "locale"
ALLAUTH_LOCALE = Path(allauth.__file__).parent / "locale"


@dataclass(frozen=True)
class Term:
    concept: str
    preferred: str
    avoided: tuple[str, ...]


def glossary(language: str) -> list[Term]:
    terms = []
    for line in (LOCALE / language / "glossary.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        concept, _sep, rest = line.partition(":")
        preferred, _sep, avoided = rest.partition("|")
        terms.append(
            Term(
                concept.strip(), preferred.strip(), tuple(a.strip() for a in avoided.split(",") if a.strip())
            )
        )
    return terms


def shown_strings(language: str) -> dict[str, str]:
    """Every msgid of our catalogue and allauth's, translated as a page in `language` would get it."""
    entries = [
        entry
        for path in (
            LOCALE / language / "LC_MESSAGES" / "django.po",
            ALLAUTH_LOCALE / language / "LC_MESSAGES" / "django.po",
        )
        if path.exists()
        for entry in polib.pofile(str(path))
        if not entry.obsolete
    ]
    shown = {}
    with translation.override(language):
        for entry in entries:
            if entry.msgid_plural:
                for count in (1, 2, 5):
                    shown[f"{entry.msgid} ({count})"] = (
                        translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
                        if entry.msgctxt
                        else translation.ngettext(entry.msgid, entry.msgid_plural, count)
                    )
            else:
                shown[entry.msgid] = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                )
    return shown


class GlossaryTests(SimpleTestCase):
    def test_it_has_a_glossary_for_every_language(self) -> None:
        for code, _name in settings.LANGUAGES:
            if code != settings.LANGUAGE_CODE:
                self.assertTrue(glossary(code), code)

    def test_it_uses_one_term_per_concept(self) -> None:
        problems = []
        for code, _name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            shown = shown_strings(code)
            for term in glossary(code):
                if not any(term.preferred.lower() in text.lower() for text in shown.values()):
                    problems.append(f"{code}: {term.concept}: '{term.preferred}' is used nowhere")
                for avoided in term.avoided:
                    for msgid, text in shown.items():
                        if avoided.lower() in text.lower():
                            problems.append(f"{code}: {term.concept}: '{avoided}' in {msgid!r} → {text!r}")
        self.assertEqual(problems, [], "\n".join(problems))


# German addresses the reader as "Sie" (locale/de/glossary.txt says so). These are the forms of "du": the
# pronouns and possessives, the plural "ihr" forms that are unambiguous (euch, euer), the verb endings of
# "du" for the verbs our strings use, and the du-imperatives they used ("Lade ... hoch", "Bitte wähle"),
# unless "Sie" follows. "deinstallieren" is a word of its own, and "Versuche" alone is a noun; HTML is
# stripped first so an attribute such as dir="ltr" is not read as "dir".
DU_FORMS = re.compile(
    r"\b(?:du|dich|dir|dein(?!stall)\w*|euch|euer|eure[mnrs]?"
    r"|hast|bist|kannst|willst|möchtest|musst|wirst|solltest|darfst|weißt|brauchst|siehst"
    r"|(?:lade|füge|wähle|prüfe|gib|öffne|bestätige|kontaktiere|kopiere|exportiere|speichere|markiere"
    r"|lösche|entferne|schreib|sag|lies|sieh|geh|bleib|melde|klicke?|versuche(?= es))(?!\s+Sie\b))\b",
    re.IGNORECASE,
)


def german_du_forms(entries: list[polib.POEntry]) -> list[str]:
    problems = []
    for entry in entries:
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            found = DU_FORMS.findall(strip_tags(text))
            if found:
                problems.append(f"{entry.msgid!r}: {', '.join(found)} in {text!r}")
    return problems


# allauth's parts we do not install: their strings never reach a page of ours.
NOT_INSTALLED_ALLAUTH = ("socialaccount", "idp", "headless")


def allauth_strings_shown_in_german() -> list[polib.POEntry]:
    """allauth's German entries our pages can show, translated as a page would get them (ours win)."""
    shown = []
    with translation.override("de"):
        for entry in polib.pofile(str(ALLAUTH_LOCALE / "de" / "LC_MESSAGES" / "django.po")):
            places = [path for path, _line in entry.occurrences]
            if entry.obsolete or entry.msgid_plural or not places:
                continue
            if all(any(part in path for part in NOT_INSTALLED_ALLAUTH) for path in places):
                continue
            text = (
                translation.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else translation.gettext(entry.msgid)
            )
            shown.append(polib.POEntry(msgid=entry.msgid, msgstr=text))
    return shown


class GermanFormOfAddressTests(SimpleTestCase):
    def test_the_catalogue_says_sie_never_du(self) -> None:
        catalogue = polib.pofile(str(LOCALE / "de" / "LC_MESSAGES" / "django.po"))
        problems = german_du_forms([entry for entry in catalogue if not entry.obsolete])
        self.assertEqual(problems, [], "\n".join(problems))

    def test_allauths_pages_and_emails_say_sie_too(self) -> None:
        shown = allauth_strings_shown_in_german()
        self.assertGreater(len(shown), 100)
        problems = german_du_forms(shown)
        self.assertEqual(problems, [], "\n".join(problems))

    def test_it_finds_a_du_form(self) -> None:
        entries = [
            polib.POEntry(msgid="Your name", msgstr="Dein Name"),
            polib.POEntry(msgid="You can", msgstr="Das kannst du später ändern."),
            polib.POEntry(msgid="Left", msgstr='<p dir="ltr">Ihr Name</p>'),
            polib.POEntry(msgid="Uninstall", msgstr="Deinstallieren Sie die App."),
            polib.POEntry(msgid="Upload", msgstr="Lade eine Datei hoch, oder versuche es später."),
            polib.POEntry(msgid="Upload", msgstr="Laden Sie eine Datei hoch, oder versuchen Sie es später."),
            polib.POEntry(msgid="Attempts", msgstr="Ein Tagebuch Ihrer Versuche"),
        ]
        self.assertEqual(
            german_du_forms(entries),
            [
                "'Your name': Dein in 'Dein Name'",
                "'You can': kannst, du in 'Das kannst du später ändern.'",
                "'Upload': Lade, versuche in 'Lade eine Datei hoch, oder versuche es später.'",
            ],
        )
