from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from applications.followups import send_digests


class Command(BaseCommand):
    help = "Email each user the applications whose follow-up is due today (run daily, e.g. from a timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"Sent {sent} follow-up digest(s).")
