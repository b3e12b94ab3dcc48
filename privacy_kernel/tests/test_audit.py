from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from omoikane.testing import BaseTestCase
from privacy_kernel import audit
from privacy_kernel.audit import Actor, audited
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.masking import MASK, mask, mask_text
from privacy_kernel.models import AuditEvent


class RecordTests(BaseTestCase):
    def test_it_records_who_did_what_to_whom(self) -> None:
        request = RequestFactory().get("/", HTTP_USER_AGENT="Firefox 140", REMOTE_ADDR="192.0.2.7")
        request.user = self.alice
        row = audit.record(
            Event.PROFILE_UPDATED,
            actor=Actor.from_request(request),
            subject=self.alice,
            target=self.alice,
            data={"fields": ["name"]},
        )
        row.refresh_from_db()
        self.assertEqual((row.actor_kind, row.actor, row.subject), (ActorKind.USER, self.alice, self.alice))
        self.assertEqual((row.target_type, row.target_id), ("accounts.user", str(self.alice.pk)))
        self.assertEqual((row.ip, row.user_agent), ("192.0.2.7", "Firefox 140"))

    def test_it_masks_secrets_before_writing(self) -> None:
        row = audit.record(
            Event.PROFILE_UPDATED,
            actor=Actor.system("test"),
            subject=self.alice,
            data={
                "password": "hunter2hunter2",
                "nested": {"api_key": "abc"},
                "note": "key sk-ant-api03-abcdefgh12",
            },
        )
        row.refresh_from_db()
        self.assertEqual(row.metadata, {"password": MASK, "nested": {"api_key": MASK}, "note": f"key {MASK}"})
        self.assertNotIn("hunter2", str(AuditEvent.objects.values_list("metadata", flat=True)))

    def test_it_records_sub_processor_and_system_actors(self) -> None:
        row = audit.record(Event.PROFILE_UPDATED, actor=Actor.sub_processor("anthropic"), subject=self.alice)
        self.assertEqual(
            (row.actor_kind, row.actor_label, row.actor), (ActorKind.SUB_PROCESSOR, "anthropic", None)
        )


class MaskingTests(BaseTestCase):
    def test_it_masks_values_that_look_like_keys_anywhere(self) -> None:
        self.assertEqual(mask_text("Bearer abcdefghijklmnop"), MASK)
        self.assertEqual(mask_text("use sk_live_1234567890abc now"), f"use {MASK} now")
        self.assertEqual(mask(["whsec_abcdefgh1234", 3]), [MASK, 3])

    def test_it_keeps_ordinary_data(self) -> None:
        data = {"page": "accounts:settings", "count": 2, "fields": ["name"]}
        self.assertEqual(mask(data), data)


class AuditedDecoratorTests(BaseTestCase):
    def call(self, view: object, user: object) -> HttpResponse:
        request = RequestFactory().get("/settings/")
        request.user = user  # type: ignore[assignment]
        return view(request)  # type: ignore[operator]

    def test_it_records_an_access_by_a_signed_in_user(self) -> None:
        view = audited(Event.ACCOUNT_PAGE_VIEWED)(lambda request: HttpResponse("ok"))
        self.call(view, self.alice)
        self.assertEqual(AuditEvent.objects.get().event, Event.ACCOUNT_PAGE_VIEWED)

    def test_it_does_not_repeat_what_an_action_recorded(self) -> None:
        # A change is recorded by its action, and the view then redirects: the redirect adds no row.
        def view(request: HttpRequest) -> HttpResponse:
            audit.record(Event.PROFILE_UPDATED, actor=Actor.from_request(request), subject=self.alice)
            return HttpResponseRedirect("/settings/")

        self.call(audited(Event.ACCOUNT_PAGE_VIEWED, writes=[Event.PROFILE_UPDATED])(view), self.alice)
        self.assertEqual(list(AuditEvent.objects.values_list("event", flat=True)), [Event.PROFILE_UPDATED])

    def test_it_records_what_a_page_showed_after_a_change_that_was_refused(self) -> None:
        # The form came back with an error: nothing changed, but the page showed the user's data again.
        view = audited(Event.ACCOUNT_PAGE_VIEWED, writes=[Event.PROFILE_UPDATED])(
            lambda request: HttpResponse()
        )
        self.call(view, self.alice)
        self.assertEqual(
            list(AuditEvent.objects.values_list("event", flat=True)), [Event.ACCOUNT_PAGE_VIEWED]
        )

    def test_it_records_nothing_of_its_own_for_a_view_that_only_changes_data(self) -> None:
        view = audited(writes=[Event.PROFILE_UPDATED])(lambda request: HttpResponse())
        self.call(view, self.alice)
        self.assertFalse(AuditEvent.objects.exists())

    def test_it_refuses_a_view_that_declares_no_event(self) -> None:
        with self.assertRaises(ValueError):
            audited()

    def test_it_records_nothing_for_failed_requests(self) -> None:
        view = audited(Event.ACCOUNT_PAGE_VIEWED)(lambda request: HttpResponse("no", status=400))
        self.call(view, self.alice)
        self.assertFalse(AuditEvent.objects.exists())
