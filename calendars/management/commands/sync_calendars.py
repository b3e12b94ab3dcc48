"""Queue a sync of every connected calendar not synced in the last CALENDAR_SYNC_MINUTES (run by a timer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from calendars.models import CalendarConnection
from calendars.tasks import sync_calendar


class Command(BaseCommand):
    help = "Queue a sync of each connected calendar that is due."

    def handle(self, *args: Any, **options: Any) -> None:
        due = timezone.now() - dt.timedelta(minutes=settings.CALENDAR_SYNC_MINUTES)
        ids = list(
            CalendarConnection.objects.filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=due))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for connection_id in ids:
            sync_calendar.enqueue(connection_id=connection_id)
        self.stdout.write(f"Queued {len(ids)} calendar syncs.")
