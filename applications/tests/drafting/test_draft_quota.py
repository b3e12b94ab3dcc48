"""The daily draft limit counts drafts: requests refused for any reason leave the quota as it was."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from applications.drafting.actions import drafts_today
from applications.drafting.generate import run_generation
from applications.models import DraftGeneration
from applications.tests.drafting.doubles import ScriptedProvider
from applications.tests.drafting.helpers import LETTER, applicant
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


@override_settings(DRAFTS_PER_DAY=3)
class DraftQuotaTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)
        self.url = reverse("applications:letter_draft", args=[self.application.pk])
        self.client.force_login(self.alice)

    def ask(self) -> str:
        return self.client.post(self.url, {"length": "medium"}, follow=True).content.decode()

    def finish_running(self) -> None:
        for generation in DraftGeneration.objects.filter(status=DraftGeneration.Status.QUEUED):
            run_generation(generation, provider=ScriptedProvider(LETTER))

    def test_it_spends_no_quota_on_refused_requests(self) -> None:
        for _ in range(2):  # invalid forms
            self.client.post(self.url, {"length": "epic"})
        self.ask()  # queued: one draft
        self.assertIn("A draft of this letter is being written already.", self.ask())  # busy
        self.assertEqual(drafts_today(self.alice), 1)
        self.finish_running()
        self.ask()
        self.finish_running()
        self.ask()
        self.finish_running()
        self.assertEqual(DraftGeneration.objects.count(), 3)  # all three allowed despite the refusals
        for _ in range(3):  # the limit refuses, and each refusal leaves the lockout as it was
            self.assertIn("You have asked for 3 drafts in the last 24 hours", self.ask())
        self.assertEqual(drafts_today(self.alice), 3)
        self.assertEqual(AuditEvent.objects.filter(event=Event.DRAFT_REQUESTED).count(), 3)

    def test_it_spends_no_quota_on_refused_regenerations(self) -> None:
        self.ask()
        self.finish_running()
        version = self.application.draft_versions.get()
        url = reverse("applications:letter_regenerate", args=[self.application.pk, version.pk])
        self.assertEqual(self.client.post(url, {"instruction": ""}).status_code, 400)
        self.assertEqual(drafts_today(self.alice), 1)

    def test_it_counts_only_rows_that_queued_a_draft(self) -> None:
        other: User = self.charlie
        self.ask()
        self.assertEqual((drafts_today(self.alice), drafts_today(other)), (1, 0))
