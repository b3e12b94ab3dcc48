from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from privacy_rights.jobs import expire_exports


class Command(BaseCommand):
    help = "Delete the zips of exports whose download link has expired (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{expire_exports()} expired export zip(s) deleted.")
