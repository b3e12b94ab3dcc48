"""Diary entries tagged with the approaches the user tried, and what the insights make of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from applications.tests.factories import add_application
from diary.actions import DiaryError, do_add_approach, do_add_entry
from diary.insights import compute
from diary.models import DiaryEntry, EntryApproach
from diary.tests.factories import add_entry, sent_application
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

if TYPE_CHECKING:
    # Only in the type stubs: what the test client's requests return.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

ACTOR = Actor.system("test")


class EntryApproachTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)
        self.referral = do_add_approach(self.alice, "A referral", actor=ACTOR)
        self.call = do_add_approach(self.alice, "A call first", actor=ACTOR)

    def _post(self, url: str, **fields: object) -> Response:
        data: dict[str, object] = {
            "kind": "tried",
            "text": "Asked Jan to pass my CV on.",
            "outcome": "",
            "occurred_on": timezone.localdate().isoformat(),
            "application": "",
        }
        data.update(fields)
        return self.client.post(url, data)

    def test_it_tags_a_new_entry_and_shows_the_tags(self) -> None:
        application = add_application(self.alice, title="Data engineer")
        self._post(reverse("diary:add"), application=application.pk, approaches=[self.referral.pk])
        entry = DiaryEntry.objects.get(user=self.alice)
        self.assertEqual(list(entry.approaches.all()), [self.referral])
        page = self.client.get(reverse("diary:index")).content.decode()
        self.assertIn(f'href="{reverse("diary:approach", args=[self.referral.pk])}">A referral</a>', page)
        approach_page = self.client.get(reverse("diary:approach", args=[self.referral.pk]))
        self.assertContains(approach_page, "Asked Jan to pass my CV on.")
        event = AuditEvent.objects.get(subject=self.alice, event=Event.DIARY_ENTRY_ADDED)
        # Ids only: the approach's name is the user's words.
        self.assertEqual(event.metadata["approaches"], [self.referral.pk])

    def test_it_changes_the_tags_when_the_entry_is_edited(self) -> None:
        entry = do_add_entry(
            self.alice, kind="tried", text="Called.", approaches=[self.referral], actor=ACTOR
        )
        response = self._post(
            reverse("diary:edit", args=[entry.pk]), text="Called.", approaches=[self.call.pk]
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(entry.approaches.all()), [self.call])
        event = AuditEvent.objects.filter(event=Event.DIARY_ENTRY_EDITED).get()
        self.assertEqual(event.metadata, {"changed": ["approaches"]})
        self._post(reverse("diary:edit", args=[entry.pk]), text="Called.")
        self.assertFalse(entry.approaches.exists())

    def test_it_refuses_someone_elses_approach(self) -> None:
        theirs = do_add_approach(self.charlie, "Their trick", actor=ACTOR)
        response = self._post(reverse("diary:add"), approaches=[theirs.pk])
        self.assertContains(response, "Choose among your approaches.", status_code=400)
        self.assertFalse(DiaryEntry.objects.exists())
        with self.assertRaisesMessage(DiaryError, "Choose among your approaches."):
            do_add_entry(self.alice, kind="tried", text="Called.", approaches=[theirs], actor=ACTOR)
        self.assertFalse(DiaryEntry.objects.exists())
        self.assertFalse(EntryApproach.objects.exists())

    def test_an_edit_without_approaches_to_choose_from_keeps_the_tags(self) -> None:
        entry = add_entry(self.charlie, "Nothing to tag.")
        self.client.force_login(self.charlie)
        response = self._post(reverse("diary:edit", args=[entry.pk]), text="Still nothing.")
        self.assertEqual(response.status_code, 302)
        self.assertNotContains(self.client.get(reverse("diary:index")), "Approaches you tried")

    def test_the_insights_count_an_application_tried_through_a_tagged_entry(self) -> None:
        tagged = sent_application(self.alice, sent_days_ago=5, reply_after_days=1)
        untagged = sent_application(self.alice, sent_days_ago=5)
        do_add_entry(
            self.alice,
            kind="tried",
            text="Jan passed it on.",
            application=tagged,
            approaches=[self.referral],
            actor=ACTOR,
        )
        # An entry without an application has no outcome to count.
        do_add_entry(self.alice, kind="tried", text="Met Jan.", approaches=[self.call], actor=ACTOR)
        records = {r.id: r for r in compute(self.alice).records}
        self.assertEqual(records[tagged.pk].approaches, {self.referral.pk})
        self.assertEqual(records[untagged.pk].approaches, set())
        page = self.client.get(reverse("diary:insights")).content.decode()
        self.assertIn("0 applications · 1 diary entry", page)

    def test_deleting_the_approach_keeps_the_entry(self) -> None:
        entry = do_add_entry(
            self.alice, kind="tried", text="Called.", approaches=[self.referral], actor=ACTOR
        )
        self.client.post(reverse("diary:delete_approach", args=[self.referral.pk]))
        self.assertTrue(DiaryEntry.objects.filter(pk=entry.pk).exists())
        self.assertFalse(EntryApproach.objects.exists())
