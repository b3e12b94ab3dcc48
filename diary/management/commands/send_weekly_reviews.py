from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from diary.review import send_weekly_reviews


class Command(BaseCommand):
    help = "Email the weekly review to each user who asked for it (run daily; each user gets one a week)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_weekly_reviews()
        self.stdout.write(f"Sent {sent} weekly review(s).")
