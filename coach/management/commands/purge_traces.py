from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coach.traces import do_purge_traces


class Command(BaseCommand):
    help = "Delete LLM traces older than LLM_TRACE_RETENTION_DAYS (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"keep this many days instead (default {settings.LLM_TRACE_RETENTION_DAYS})",
        )

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        deleted = do_purge_traces(days=days)
        self.stdout.write(f"Deleted {deleted} trace(s).")
