from __future__ import annotations

import json

from django.urls import reverse

from applications.drafting.actions import do_cancel_generation
from applications.drafting.generate import run_generation
from applications.models import DraftGeneration, DraftVersion
from applications.tests.drafting.doubles import ScriptedProvider
from applications.tests.drafting.helpers import LETTER, applicant, as_user, request
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


def events(response: object) -> list[tuple[str, dict[str, object]]]:
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    out = []
    for block in body.strip().split("\n\n"):
        name, data = block.split("\n")
        out.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return out


class ProgressTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)
        self.generation = request(self.application)
        self.url = reverse("applications:letter_progress", args=[self.application.pk, self.generation.pk])
        self.stream_url = reverse(
            "applications:letter_stream", args=[self.application.pk, self.generation.pk]
        )
        self.client.force_login(self.alice)

    def test_it_refreshes_without_javascript_while_writing(self) -> None:
        DraftGeneration.objects.filter(pk=self.generation.pk).update(
            status="running", partial_text="Dear Hiring"
        )
        r = self.client.get(self.url)
        self.assertContains(r, '<noscript><meta http-equiv="refresh" content="2"></noscript>', html=False)
        self.assertContains(r, "Dear Hiring")
        self.assertContains(r, f'data-stream-url="{self.stream_url}"')
        self.assertContains(
            r, reverse("applications:letter_cancel", args=[self.application.pk, self.generation.pk])
        )

    def test_it_gives_the_script_the_status_for_when_text_arrives(self) -> None:
        # Rendered while the draft waits for the worker; omoikane.js swaps in data-writing on the first text.
        r = self.client.get(self.url)
        self.assertContains(r, "Waiting for the writer to start…")
        self.assertContains(r, 'data-writing="Writing… the text appears here as it is written."')

    def test_it_goes_to_the_letter_when_done(self) -> None:
        run_generation(self.generation, provider=ScriptedProvider(LETTER))
        r = self.client.get(self.url)
        self.assertRedirects(r, reverse("applications:letter", args=[self.application.pk]))

    def test_it_says_why_a_draft_failed(self) -> None:
        run_generation(self.generation, provider=ScriptedProvider(LETTER, fail_after=5))
        r = self.client.get(self.url)
        self.assertContains(r, "The draft could not be written")
        self.assertContains(r, "The model is overloaded right now.")
        self.assertNotContains(r, 'http-equiv="refresh"')

    def test_it_streams_the_text_then_done(self) -> None:
        run_generation(self.generation, provider=ScriptedProvider(LETTER))
        r = self.client.get(self.stream_url)
        self.assertEqual(r["Content-Type"], "text/event-stream")
        self.assertEqual(
            events(r),
            [
                ("text", {"text": LETTER}),
                ("done", {"url": reverse("applications:letter", args=[self.application.pk])}),
            ],
        )
        # Audited once, when the stream opened.
        self.assertEqual(AuditEvent.objects.filter(event=Event.DRAFT_PROGRESS_VIEWED).count(), 1)

    def test_it_streams_a_failure(self) -> None:
        run_generation(self.generation, provider=ScriptedProvider(LETTER, fail_after=5))
        ((name, data),) = [e for e in events(self.client.get(self.stream_url)) if e[0] != "text"]
        self.assertEqual(name, "failed")
        self.assertIn("overloaded", str(data["message"]))

    def test_it_cancels_a_queued_draft(self) -> None:
        cancel = reverse("applications:letter_cancel", args=[self.application.pk, self.generation.pk])
        r = self.client.post(cancel, follow=True)
        self.assertContains(r, "Cancelled. No letter was kept from this draft.")
        self.generation.refresh_from_db()
        self.assertEqual(self.generation.status, DraftGeneration.Status.CANCELLED)
        self.assertTrue(AuditEvent.objects.filter(event=Event.DRAFT_CANCELLED).exists())
        # The worker finds nothing left to do.
        self.assertIsNone(run_generation(self.generation, provider=ScriptedProvider(LETTER)))
        self.assertFalse(DraftVersion.objects.exists())
        self.assertEqual(events(self.client.get(self.stream_url))[-1][0], "cancelled")

    def test_it_says_when_there_is_nothing_to_cancel(self) -> None:
        run_generation(self.generation, provider=ScriptedProvider(LETTER))
        cancel = reverse("applications:letter_cancel", args=[self.application.pk, self.generation.pk])
        self.assertContains(self.client.post(cancel, follow=True), "This draft had finished already.")
        self.assertFalse(do_cancel_generation(self.generation, actor=as_user(self.alice)))

    def test_it_refuses_a_generation_of_another_application(self) -> None:
        other = request(applicant(self.alice))
        for name in ["letter_progress", "letter_stream"]:
            url = reverse(f"applications:{name}", args=[self.application.pk, other.pk])
            self.assertEqual(self.client.get(url).status_code, 404)
        url = reverse("applications:letter_cancel", args=[self.application.pk, other.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        other.refresh_from_db()
        self.assertFalse(other.cancel_requested)

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.get(self.stream_url).status_code, 404)
