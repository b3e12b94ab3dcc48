from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from privacy_rights.archive import ArchiveKeyError
from privacy_rights.retention import ArchiveRunInProgress, run_retention


class Command(BaseCommand):
    help = (
        "Move audit events older than AUDIT_HOT_DAYS into encrypted archive objects and delete archives "
        "older than AUDIT_ARCHIVE_MONTHS more. Idempotent; safe to rerun after a crash. Exits with status 1 "
        "if a chain could not be archived because it does not verify."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = run_retention()
        except ArchiveRunInProgress as error:
            self.stdout.write(f"{error} Nothing done.")
            return
        except ArchiveKeyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Archived {report.archived_events} events in {report.objects_written} objects; "
            f"deleted {report.leftover_events_deleted} live events already archived, "
            f"{report.expired_objects} expired archives and {report.orphaned_objects} archives of deleted "
            "accounts."
        )
        for refusal in report.refused:
            self.stderr.write(f"NOT ARCHIVED {refusal}")
        if report.refused:
            raise CommandError(
                f"{len(report.refused)} chains were not archived because they do not verify; "
                "run audit_verify."
            )
