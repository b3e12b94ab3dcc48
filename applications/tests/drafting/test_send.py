from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.db.models import RestrictedError
from django.http import HttpResponseBase
from django.urls import reverse
from django.utils import timezone

from applications.actions import do_add_reply, do_delete_application
from applications.drafting.actions import do_mark_sent
from applications.intake import reply_from_text
from applications.models import SentVersion, Status
from applications.tests.drafting.helpers import LETTER, applicant, as_user, draft
from diary.models import DiaryEntry, Kind
from omoikane.errors import Refused
from omoikane.testing import BaseTestCase
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

PLANTED = LETTER.replace("I look forward", "Call me on +47 987 65 432.\n\nI look forward")


class SendTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = applicant(self.alice)
        self.version = draft(self.application)
        self.url = reverse("applications:letter_send", args=[self.application.pk, self.version.pk])
        self.client.force_login(self.alice)
        self.today = timezone.localdate()

    def send(self, **data: object) -> HttpResponseBase:
        return self.client.post(self.url, {"channel": "email", "sent_on": self.today.isoformat(), **data})

    def test_it_freezes_the_version_with_a_pdf(self) -> None:
        r = self.send(channel="portal")
        self.assertRedirects(r, reverse("applications:letter", args=[self.application.pk]))
        sent = SentVersion.objects.get()
        self.assertEqual(
            (sent.version, sent.text, sent.channel, sent.sent_on),
            (self.version, LETTER, "portal", self.today),
        )
        self.assertTrue((sent.pdf.name or "").startswith("letters/"))
        with sent.pdf.open("rb") as handle:
            self.assertEqual(handle.read(5), b"%PDF-")
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, Status.SENT)
        self.assertEqual(self.application.status_changes.last().reason, "letter")  # type: ignore[union-attr]
        event = AuditEvent.objects.get(event=Event.LETTER_SENT)
        self.assertEqual(event.metadata["channel"], "portal")
        entry = DiaryEntry.objects.get(user=self.alice)
        self.assertEqual((entry.kind, entry.application), (Kind.LETTER_SENT, self.application))
        self.assertIn("Sent the letter (version 1) by", entry.text)

    def test_it_offers_ragged_right_or_justified_paragraphs(self) -> None:
        page = self.client.get(reverse("applications:letter", args=[self.application.pk]))
        self.assertContains(page, '<option value="ragged" selected>Ragged right</option>', html=True)
        self.assertContains(page, '<option value="justified">Justified</option>', html=True)
        self.assertRedirects(
            self.send(justify="justified"), reverse("applications:letter", args=[self.application.pk])
        )
        self.assertTrue(SentVersion.objects.exists())

    def test_it_refuses_an_unknown_paragraph_setting(self) -> None:
        r = self.send(justify="centred")
        self.assertContains(r, "Select a valid choice.", status_code=400)
        self.assertFalse(SentVersion.objects.exists())

    def test_it_sends_a_version_once(self) -> None:
        self.send()
        r = self.send()
        self.assertContains(r, "This version was marked as sent already.", status_code=400)
        self.assertEqual(SentVersion.objects.count(), 1)

    def test_it_asks_before_sending_flagged_details(self) -> None:
        flagged = draft(self.application, PLANTED)
        self.assertEqual(flagged.flags, [{"kind": "phone", "value": "+47 987 65 432"}])
        url = reverse("applications:letter_send", args=[self.application.pk, flagged.pk])
        r = self.client.post(url, {"channel": "email", "sent_on": self.today.isoformat()})
        self.assertContains(r, "confirm that you want to send it as it is", status_code=400)
        self.assertFalse(SentVersion.objects.exists())
        self.assertEqual(
            default_storage.listdir("letters")[1] if default_storage.exists("letters") else [], []
        )
        r = self.client.post(url, {"channel": "email", "sent_on": self.today.isoformat(), "confirm": "on"})
        self.assertEqual(r.status_code, 302)
        self.assertTrue(AuditEvent.objects.get(event=Event.LETTER_SENT).metadata["flags_confirmed"])

    def test_it_refuses_bad_input(self) -> None:
        self.assertContains(self.send(channel="pigeon"), "Select a valid choice", status_code=400)
        tomorrow_but_one = self.today + dt.timedelta(days=2)
        self.assertContains(
            self.send(sent_on=tomorrow_but_one.isoformat()), "The date is in the future", status_code=400
        )
        self.assertEqual(self.send(sent_on="yesterday").status_code, 400)
        self.assertFalse(SentVersion.objects.exists())
        other = draft(applicant(self.alice))
        url = reverse("applications:letter_send", args=[self.application.pk, other.pk])
        self.assertEqual(
            self.client.post(url, {"channel": "email", "sent_on": self.today.isoformat()}).status_code, 404
        )

    def test_it_never_changes_a_sent_letter(self) -> None:
        sent = do_mark_sent(self.version, channel="email", sent_on=self.today, actor=as_user(self.alice))
        sent.text = "Rewritten history"
        with self.assertRaises(TypeError):
            sent.save()
        with self.assertRaises(TypeError):
            SentVersion.objects.filter(pk=sent.pk).update(text="Rewritten history")
        with self.assertRaises(RestrictedError):
            self.version.delete()
        sent.refresh_from_db()
        self.assertEqual(sent.text, LETTER)
        with self.assertRaises(Refused) as refused:
            do_mark_sent(self.version, channel="post", sent_on=self.today, actor=as_user(self.alice))
        self.assertEqual(refused.exception.code, "sent")

    def test_it_leaves_a_later_status_alone(self) -> None:
        from applications.actions import do_change_status

        do_change_status(self.application, Status.INTERVIEWING, actor=as_user(self.alice))
        self.send()
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, Status.INTERVIEWING)

    def test_it_serves_the_pdf_to_its_owner_only(self) -> None:
        self.send()
        sent = SentVersion.objects.get()
        url = reverse("applications:letter_sent_pdf", args=[self.application.pk, sent.pk])
        r = self.client.get(url)
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertIn("attachment;", r["Content-Disposition"])
        self.assertEqual(b"".join(r.streaming_content)[:5], b"%PDF-")  # type: ignore[attr-defined]
        self.assertEqual(AuditEvent.objects.get(event=Event.SENT_LETTER_DOWNLOADED).target_id, str(sent.pk))
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_links_a_reply_to_the_sent_letter(self) -> None:
        self.send()
        sent = SentVersion.objects.get()
        reply = do_add_reply(
            self.application, reply_from_text("We would like to meet you."), actor=as_user(self.alice)
        )
        self.assertEqual(reply.sent_version, sent)
        r = self.client.get(self.application.get_absolute_url())
        self.assertContains(r, reverse("applications:letter_sent_pdf", args=[self.application.pk, sent.pk]))

    def test_it_removes_the_pdf_with_the_application(self) -> None:
        self.send()
        name = SentVersion.objects.get().pdf.name or ""
        self.assertTrue(default_storage.exists(name))
        do_delete_application(self.application, actor=as_user(self.alice))
        self.assertFalse(default_storage.exists(name))
        self.assertFalse(SentVersion.objects.exists())

    def test_it_checks_ownership(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.send().status_code, 404)
        self.assertFalse(SentVersion.objects.exists())
