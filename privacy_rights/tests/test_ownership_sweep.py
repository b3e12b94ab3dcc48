"""Every URL that takes an object id answers 404 to a user who does not own the object.

A new URL with a parameter fails `test_it_knows_every_url_with_a_parameter` until it is added to
OBJECT_URLS below (with how to make alice's object for it) or to NOT_OBJECT_URLS (with a reason).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.actions import do_add_reply
from applications.intake import reply_from_text
from applications.models import Application
from applications.posting_import import do_request_import
from applications.tests.factories import add_application
from calendars.models import CalendarConnection, CalendarEvent
from coach.traces import record_trace
from diary.actions import do_add_approach, do_tag_application
from diary.models import Approach, DiaryEntry
from diary.tests.factories import add_entry
from materials.actions import do_import_linkedin
from materials.models import Material
from materials.tests.factories import add_material
from materials.tests.linkedin.exports import english_export as linkedin_export
from omoikane.testing import BaseTestCase, sign_in_recently
from privacy_kernel.audit import Actor
from privacy_kernel.models import SupportGrant
from privacy_rights.support.actions import do_grant_support
from privacy_rights.tests.factories import ready_export
from privacy_rights.tests.urlwalk import routes


def _passkey(user: User) -> dict[str, Any]:
    # No Omoikane action creates passkeys: allauth does, after a browser ceremony the test cannot perform.
    key = Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop key", "credential": {}}
    )
    return {"pk": key.pk}


def _material(user: User) -> dict[str, Any]:
    return {"pk": add_material(user, as_file=True).pk}


def _linkedin_material(user: User) -> dict[str, Any]:
    material = do_import_linkedin(user, linkedin_export(), actor=Actor.system("test"))
    return {"pk": material.pk}


def _application(user: User) -> dict[str, Any]:
    return {"pk": add_application(user).pk}


def _posting_import(user: User) -> dict[str, Any]:
    row = do_request_import(user, "https://jobs.example.com/backend", actor=Actor.system("test"))
    return {"pk": row.pk}


def _reply(user: User) -> dict[str, Any]:
    application = add_application(user)
    reply = do_add_reply(
        application, reply_from_text("Unfortunately we chose another candidate."), actor=Actor.system("test")
    )
    return {"pk": application.pk, "reply_pk": reply.pk}


def _approach(user: User) -> dict[str, Any]:
    # Names are unique per user, and each URL makes its own.
    name = f"Approach {Approach.objects.filter(user=user).count() + 1}"
    return {"pk": do_add_approach(user, name, actor=Actor.system("test")).pk}


def _approach_use(user: User) -> dict[str, Any]:
    approach = Approach.objects.get(pk=_approach(user)["pk"])
    use = do_tag_application(approach, add_application(user), actor=Actor.system("test"))
    assert use is not None
    return {"pk": use.pk}


def _diary_entry(user: User) -> dict[str, Any]:
    return {"pk": add_entry(user, "Called them first.").pk}


def _support_grant(user: User) -> dict[str, Any]:
    grant = do_grant_support(user, duration=timedelta(hours=4), reason="Help me", actor=Actor.system("test"))
    return {"pk": grant.pk}


def _trace(user: User) -> dict[str, Any]:
    trace = record_trace(
        user_id=user.pk,
        purpose="draft",
        target=None,
        provider="anthropic",
        model="m",
        request={},
        outcome="ok",
    )
    return {"pk": trace.pk}


def _export(user: User) -> dict[str, Any]:
    return {"pk": ready_export(user).pk}


def _letter(user: User) -> dict[str, Any]:
    from applications.tests.drafting.helpers import draft

    version = draft(add_application(user))
    return {"pk": version.application_id, "version_pk": version.pk}


def _generation(user: User) -> dict[str, Any]:
    from applications.tests.drafting.helpers import request

    generation = request(add_application(user))
    return {"pk": generation.application_id, "generation_pk": generation.pk}


def _sent_letter(user: User) -> dict[str, Any]:
    from django.utils import timezone

    from applications.drafting.actions import do_mark_sent
    from applications.tests.drafting.helpers import draft

    version = draft(add_application(user))
    sent = do_mark_sent(version, channel="email", sent_on=timezone.localdate(), actor=Actor.system("test"))
    return {"pk": version.application_id, "sent_pk": sent.pk}


def _calendar(user: User) -> dict[str, Any]:
    # A read-only ICS connection, stored as its first sync leaves it: no server needed for the sweep.
    connection = CalendarConnection.objects.create(
        user=user, kind=CalendarConnection.Kind.ICS, url="https://cal.example/c.ics", name="Work"
    )
    return {"pk": connection.pk}


def _calendar_event(user: User) -> dict[str, Any]:
    connection = CalendarConnection.objects.get(pk=_calendar(user)["pk"])
    event = CalendarEvent.objects.create(
        connection=connection,
        uid="sweep",
        summary="Interview",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
    )
    return {"pk": event.pk}


def _interview_reply(user: User) -> dict[str, Any]:
    application = add_application(user)
    reply = do_add_reply(
        application, reply_from_text("We invite you to an interview on 3 March 2031 at 14:00."),
        actor=Actor.system("test"),
    )  # fmt: skip
    return {"pk": reply.pk}


OBJECT_URLS: dict[str, Callable[[User], dict[str, Any]]] = {
    "mfa_remove_webauthn": _passkey,
    "mfa_edit_webauthn": _passkey,
    "materials:detail": _material,
    "materials:edit": _material,
    "materials:download": _material,
    "materials:primary": _material,
    "materials:delete": _material,
    "materials:linkedin_reimport": _linkedin_material,
    "materials:linkedin_choose": _linkedin_material,
    "materials:search_stream": _material,
    "materials:search_retry": _material,
    "applications:detail": _application,
    "applications:edit": _application,
    "applications:status": _application,
    "applications:notes": _application,
    "applications:rescore": _application,
    "applications:score_stream": _application,
    "applications:import": _posting_import,
    "applications:import_stream": _posting_import,
    "applications:import_retry": _posting_import,
    "applications:follow_up": _application,
    "applications:delete": _application,
    "applications:add_reply": _application,
    "applications:confirm_reply": _reply,
    "applications:delete_reply": _reply,
    "diary:edit": _diary_entry,
    "diary:delete": _diary_entry,
    "diary:approach": _approach,
    "diary:tag": _approach,
    "diary:delete_approach": _approach,
    "diary:untag": _approach_use,
    "privacy:support_revoke": _support_grant,
    "coach:ai_trace": _trace,
    "privacy:export_download": _export,
    "applications:letter": _application,
    "applications:letter_draft": _application,
    "applications:letter_edit": _application,
    "applications:letter_diff": _application,
    "applications:letter_progress": _generation,
    "applications:letter_stream": _generation,
    "applications:letter_cancel": _generation,
    "applications:letter_regenerate": _letter,
    "applications:letter_send": _letter,
    "applications:letter_sent_pdf": _sent_letter,
    "calendars:disconnect": _calendar,
    "calendars:sync": _calendar,
    "calendars:link": _calendar_event,
    "calendars:unlink": _calendar_event,
    "calendars:add_interview": _interview_reply,
    "calendars:download_interview": _interview_reply,
}

NOT_OBJECT_URLS: dict[str, str] = {
    "account_confirm_email": "takes a signed, expiring confirmation key, not an object id",
    "account_reset_password_from_key": "takes a signed, expiring reset token, not an object id",
    "calendars:feed": "takes the feed's secret token, not an object id; a wrong one is a 404 (test_feed.py)",
}


def _exempt(name: str, route: str) -> bool:
    # The operator site is staff-only with two-factor authentication; tests/test_operator_site.py covers it.
    return route.startswith(settings.ADMIN_PATH) or name in NOT_OBJECT_URLS


class OwnershipSweepTests(BaseTestCase):
    # Export and erasure reach every database (the trace store too).
    databases = "__all__"

    def test_it_knows_every_url_with_a_parameter(self) -> None:
        unknown = [
            f"{r.name} ({r.route})"
            for r in routes()
            if r.params and not _exempt(r.name, r.route) and r.name not in OBJECT_URLS
        ]
        self.assertEqual(unknown, [], "Add these to OBJECT_URLS or NOT_OBJECT_URLS: " + ", ".join(unknown))

    def test_it_answers_404_to_a_stranger(self) -> None:
        sign_in_recently(self.client, self.charlie)
        for name, make in OBJECT_URLS.items():
            url = reverse(name, kwargs=make(self.alice))
            with self.subTest(url=name):
                # Each method the view accepts answers 404; the others are refused before any lookup.
                statuses = {
                    self.client.get(url).status_code,
                    self.client.post(url, {"name": "Stolen"}).status_code,
                }
                self.assertIn(404, statuses)
                self.assertLessEqual(statuses, {404, 405})
        self.assertTrue(Authenticator.objects.filter(user=self.alice).exists())
        self.assertFalse(Authenticator.objects.filter(data__name="Stolen").exists())
        self.assertEqual(Material.objects.filter(user=self.alice).count(), 9)  # one per material URL above
        self.assertEqual(Material.objects.filter(user=self.charlie).count(), 0)
        self.assertFalse(Application.objects.filter(user=self.charlie).exists())
        self.assertFalse(Application.objects.filter(user=self.alice, status="rejected").exists())
        self.assertEqual(DiaryEntry.objects.filter(user=self.alice, text="Called them first.").count(), 2)
        self.assertFalse(DiaryEntry.objects.filter(user=self.charlie).exists())
        self.assertEqual(SupportGrant.objects.active().filter(user=self.alice).count(), 1)

    def test_it_serves_the_owner(self) -> None:
        # Proves the sweep requests real URLs: the same requests succeed for the owner.
        sign_in_recently(self.client, self.alice)
        for name, make in OBJECT_URLS.items():
            url = reverse(name, kwargs=make(self.alice))
            with self.subTest(url=name):
                # 405 for views that only take POST: the URL resolved and the object was found.
                self.assertIn(self.client.get(url).status_code, {200, 405})
