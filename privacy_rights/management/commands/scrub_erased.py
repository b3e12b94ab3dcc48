from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from privacy_rights.scrub import scrub_all


class Command(BaseCommand):
    help = (
        "Make erased data unreadable in the database files: SQLite WAL truncation; PostgreSQL VACUUM FULL "
        "(tables and indexes rewritten), WAL switch and checkpoint. The worker runs it after every erasure."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for report in scrub_all():
            self.stdout.write(
                f"{report.alias} ({report.vendor}): {len(report.tables)} tables in {report.seconds:.3f} s"
            )
            for warning in report.warnings:
                self.stdout.write(f"  warning: {warning}")
