"""The timer's command queues the calendars that are due; the system check keeps the tests' loopback opening
and a malformed key out of production."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from calendars.checks import check_calendar_settings
from calendars.models import CalendarConnection
from omoikane.testing import BaseTestCase


class SyncCommandTests(BaseTestCase):
    def test_it_queues_only_the_calendars_that_are_due(self) -> None:
        due = CalendarConnection.objects.create(
            user=self.alice, kind=CalendarConnection.Kind.ICS, url="https://cal.example/a.ics",
            last_attempt_at=timezone.now() - dt.timedelta(hours=2),
        )  # fmt: skip
        CalendarConnection.objects.create(
            user=self.alice, kind=CalendarConnection.Kind.ICS, url="https://cal.example/b.ics",
            last_attempt_at=timezone.now() - dt.timedelta(minutes=5),
        )  # fmt: skip
        out = StringIO()
        call_command("sync_calendars", stdout=out)
        self.assertEqual(out.getvalue().strip(), "Queued 1 calendar syncs.")
        queued = DBTaskResult.objects.get(task_path="calendars.tasks.sync_calendar")
        self.assertEqual(queued.args_kwargs["kwargs"], {"connection_id": due.pk})


class CheckTests(SimpleTestCase):
    @override_settings(PRODUCTION=True, CALENDAR_TEST_LOOPBACK_PORTS=[5232])
    def test_it_refuses_the_loopback_opening_in_production(self) -> None:
        self.assertEqual([e.id for e in check_calendar_settings()], ["calendars.E001"])

    @override_settings(CALENDAR_CREDENTIALS_KEY="not a key")
    def test_it_refuses_a_key_that_is_no_fernet_key(self) -> None:
        self.assertEqual([e.id for e in check_calendar_settings()], ["calendars.E002"])

    def test_it_is_quiet_in_development(self) -> None:
        self.assertEqual(check_calendar_settings(), [])
