"""Migrations only add (YugabyteDB rule: no column type changes, no drops on a live cluster), and the
models never drift from them."""

from __future__ import annotations

from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db import migrations
from django.db.migrations.loader import MigrationLoader
from django.test import TestCase

OURS = {"accounts", "privacy", "pages", "ops", "omoikane"}
# Operations that rewrite or remove what a running cluster already holds.
NOT_ADDITIVE = (
    migrations.AlterField,
    migrations.RemoveField,
    migrations.RenameField,
    migrations.DeleteModel,
    migrations.RenameModel,
    migrations.AlterModelTable,
    migrations.RemoveIndex,
    migrations.RemoveConstraint,
)


class MigrationTests(TestCase):
    def test_it_has_no_pending_model_changes(self) -> None:
        out = StringIO()
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
        self.assertIn("No changes detected", out.getvalue())

    def test_it_only_adds(self) -> None:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        offending = [
            f"{app}.{name}: {type(operation).__name__}"
            for (app, name), migration in loader.disk_migrations.items()
            if app in OURS
            for operation in migration.operations
            if isinstance(operation, NOT_ADDITIVE)
        ]
        self.assertEqual(offending, [])

    def test_it_uses_64_bit_or_uuid_keys(self) -> None:
        for model in apps.get_models():
            if model._meta.app_label in OURS:
                with self.subTest(model=model._meta.label):
                    self.assertIn(model._meta.pk.get_internal_type(), {"BigAutoField", "UUIDField"})
