from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ops.backup.jobs import drill_now


class Command(BaseCommand):
    help = (
        "Restore the latest backup from BACKUP_TARGET into scratch databases and storage, verify row "
        "counts, object hashes and audit chains, replay the deletion ledger, and record the drill. Exit "
        "status 0 only on success."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        drill = drill_now()
        if not drill.ok:
            raise CommandError(f"Restore drill failed: {drill.error}")
        self.stdout.write(
            f"Restore drill of {drill.backup_name} passed in {drill.seconds or 0:.1f} s: "
            f"{drill.rows_verified} rows, {drill.objects_verified} objects, "
            f"{drill.chains_verified} audit chains verified; "
            f"{drill.accounts_erased_again} erased account(s) erased again."
        )
