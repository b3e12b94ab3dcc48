from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.utils import timezone

from coach.models import LLMTrace
from coach.traces import record_trace
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class PurgeTracesTests(BaseTestCase):
    def trace(self, age_days: int) -> LLMTrace:
        trace = record_trace(
            user_id=self.alice.pk,
            purpose="draft",
            target=None,
            provider="anthropic",
            model="claude-sonnet-5-5",
            request={"messages": []},
            outcome="ok",
        )
        LLMTrace.objects.filter(pk=trace.pk).update(created_at=timezone.now() - timedelta(days=age_days))
        return trace

    def test_it_deletes_traces_past_the_retention_period(self) -> None:
        old, recent = self.trace(91), self.trace(89)
        out = StringIO()
        call_command("purge_traces", stdout=out)
        self.assertEqual(list(LLMTrace.objects.values_list("pk", flat=True)), [recent.pk])
        self.assertIn("Deleted 1 trace(s).", out.getvalue())
        self.assertFalse(LLMTrace.objects.filter(pk=old.pk).exists())

    def test_it_reads_the_retention_from_settings(self) -> None:
        self.trace(10)
        with self.settings(LLM_TRACE_RETENTION_DAYS=7):
            call_command("purge_traces", stdout=StringIO())
        self.assertFalse(LLMTrace.objects.exists())

    def test_it_takes_a_number_of_days(self) -> None:
        self.trace(10)
        call_command("purge_traces", "--days", "30", stdout=StringIO())
        self.assertTrue(LLMTrace.objects.exists())

    def test_it_refuses_zero_days(self) -> None:
        self.trace(1)
        with self.assertRaisesMessage(CommandError, "--days must be at least 1."):
            call_command("purge_traces", "--days", "0", stdout=StringIO())
        self.assertTrue(LLMTrace.objects.exists())

    def test_it_records_the_purge(self) -> None:
        self.trace(100)
        self.trace(120)
        call_command("purge_traces", stdout=StringIO())
        event = AuditEvent.objects.get(event=Event.LLM_TRACES_PURGED)
        self.assertEqual(event.metadata, {"deleted": 2, "older_than_days": 90})
        self.assertIsNone(event.subject_id)

    def test_it_records_nothing_when_nothing_is_due(self) -> None:
        self.trace(1)
        call_command("purge_traces", stdout=StringIO())
        self.assertFalse(AuditEvent.objects.filter(event=Event.LLM_TRACES_PURGED).exists())
