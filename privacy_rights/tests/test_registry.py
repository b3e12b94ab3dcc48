from __future__ import annotations

from collections.abc import Callable

from django.apps import apps

from omoikane.testing import BaseTestCase
from privacy_kernel.exports import JsonFile, JsonLines, JsonPerRow, Markdown, NotExported, OwnFolder, describe
from privacy_kernel.registry import NotPersonal, Personal, declarations, personal_models, undeclared_models


class RegistryTests(BaseTestCase):
    def test_it_declares_every_model(self) -> None:
        missing = undeclared_models()
        self.assertEqual(
            missing,
            [],
            "Declare these models in <app>/privacy.py as Personal or NotPersonal: " + ", ".join(missing),
        )

    def test_it_declares_only_installed_models(self) -> None:
        installed = set(apps.get_models())
        self.assertEqual([m._meta.label for m in declarations() if m not in installed], [])

    def test_it_reaches_every_personal_model_from_its_owner(self) -> None:
        # An owner path with a typo would make export and erasure silently skip the model.
        for entry in personal_models():
            with self.subTest(model=entry.model._meta.label):
                list(entry.rows_of(self.alice)[:1])

    def test_it_finds_the_users_own_rows(self) -> None:
        user_entry = declarations()[type(self.alice)]
        assert isinstance(user_entry, Personal)
        self.assertEqual(list(user_entry.rows_of(self.alice)), [self.alice])

    def test_it_names_file_fields_that_exist(self) -> None:
        for entry in personal_models():
            for field_name in entry.files:
                with self.subTest(model=entry.model._meta.label, field=field_name):
                    entry.model._meta.get_field(field_name)

    def test_it_requires_a_reason_for_non_personal_models(self) -> None:
        with self.assertRaises(ValueError):
            NotPersonal(type(self.alice), why="  ")

    def test_it_requires_a_way_to_the_owner(self) -> None:
        with self.assertRaises(ValueError):
            Personal(type(self.alice), owner=None, export=JsonFile("account.json"), label="your account")

    def test_it_requires_a_label_for_the_erasure_receipt(self) -> None:
        with self.assertRaises(ValueError):
            Personal(type(self.alice), owner="", export=JsonFile("account.json"))

    def test_it_requires_a_place_in_the_export(self) -> None:
        with self.assertRaises(ValueError):
            Personal(type(self.alice), owner="", export=(), label="your account")
        with self.assertRaises(ValueError):
            NotExported("  ")

    def test_it_refuses_a_path_that_does_not_say_its_kind(self) -> None:
        # The member's name tells the reader how to read it, and the export how to write it.
        wrong: list[tuple[Callable[[str], object], str]] = [
            (JsonFile, "calendar.ics"),
            (JsonLines, "activity.json"),
            (Markdown, "diary.txt"),
            (JsonPerRow, "applications/{slug}/replies"),
            (JsonPerRow, "applications/{slug}/"),
            (OwnFolder, "materials/"),
            (OwnFolder, "materials/{id}/chunks/"),
            (JsonFile, "applications/{slug}.json"),
        ]
        for kind, path in wrong:
            with self.subTest(kind=kind, path=path), self.assertRaises(ValueError):
                kind(path)

    def test_it_describes_a_place_for_the_exports_readme(self) -> None:
        both = (JsonFile("diary.json"), Markdown("diary.md", note="every entry, newest first"))
        self.assertEqual(describe(both), "diary.json and diary.md (every entry, newest first)")
        self.assertEqual(
            describe(NotExported("session keys are credentials")),
            "not exported: session keys are credentials",
        )
