from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ops.backup.jobs import backup_now


class Command(BaseCommand):
    help = (
        "Write an encrypted, signed backup of the databases and every stored object to BACKUP_TARGET, then "
        "remove the backups the retention settings no longer keep. Exits with status 1 on failure."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run, removed = backup_now()
        if not run.ok:
            raise CommandError(f"Backup failed: {run.error}")
        self.stdout.write(
            f"Backup {run.name}: {run.rows} rows, {run.objects_count} objects, {run.size} bytes encrypted."
        )
        for name in removed:
            self.stdout.write(f"Removed by retention: {name}")
