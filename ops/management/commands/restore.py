from __future__ import annotations

from typing import Any

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from ops.backup.keys import BackupError
from ops.backup.restore import open_backup, restore
from ops.backup.targets import complete_backups, configured_target


class Command(BaseCommand):
    help = (
        "Restore a backup (the latest, or NAME) from BACKUP_TARGET into the configured databases and "
        "storages, which must be empty. Then run `manage.py replay_deletions` before opening the service."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "name", nargs="?", help="the backup to restore (default: the latest complete one)"
        )
        parser.add_argument(
            "--target", help="another target than BACKUP_TARGET (a folder or s3://bucket/prefix)"
        )

    def handle(self, *args: Any, name: str | None, target: str | None, **options: Any) -> None:
        try:
            found = configured_target(target)
            names = complete_backups(found)
            if name is None:
                if not names:
                    raise BackupError(f"There is no complete backup in {found.description}.")
                name = names[-1]
            with open_backup(found, name) as opened:
                # The connections must not hold the database open: close them before filling it.
                connections.close_all()
                restored = restore(
                    opened,
                    databases={alias: connections[alias].settings_dict for alias in ("default", "traces")},
                    storages={key: storages[key] for key in ("default", "archive")},
                )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {name}: {restored.rows} rows, {restored.objects} objects, all verified.")
        self.stdout.write("Now run `manage.py replay_deletions` before opening the service.")
