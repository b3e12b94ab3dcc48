"""A calendar in a real browser: connect a CalDAV calendar (a real Radicale server), see the interview the
worker synced and confirm which application it is about, then add the interview of an invitation found in a
reply to that calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from applications.actions import do_add_reply
from applications.intake import reply_from_text
from applications.tests.factories import add_application
from calendars.models import CalendarConnection, CalendarEvent
from calendars.testing import radicale
from calendars.tests.factories import ACTOR, vevent
from omoikane.testing import make_user
from ops.worker import ClaimingWorker
from tests_browser.journeys import click_and_wait, sign_in, wait_for

EMAIL = "alice@example.org"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, databases=["default", "traces"])
def test_it_connects_a_calendar_links_an_interview_and_adds_one_from_a_reply(
    live_server: Any, page: Page, settings: Settings, worker: ClaimingWorker
) -> None:
    base = live_server.url
    alice = make_user(EMAIL, name="Alice Andersen")
    application = add_application(alice, title="Backend Engineer", company="Fjordpay AS")
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    invitation = (
        "Dear Alice,\n\nThank you for applying. We would like to invite you to a second interview on "
        f"{(soon + dt.timedelta(days=7)):%d %B %Y} at 14:00.\n\nBest regards,\nIngrid\n"
    )
    reply = do_add_reply(application, reply_from_text(invitation), actor=ACTOR)

    with radicale() as server:
        settings.CALENDAR_TEST_LOOPBACK_PORTS = [server.port]
        calendar = server.make_calendar("Work")
        calendar.save_event(
            vevent("first-round", "Interview Fjordpay AS (video)", f":{soon:%Y%m%dT%H%M%SZ}",
                   f":{soon + dt.timedelta(hours=1):%Y%m%dT%H%M%SZ}")
        )  # fmt: skip
        sign_in(page, base, EMAIL)

        # 1. Connect: the server's address, the user name and an app password; discovery finds "Work".
        page.goto(base + "/calendar/")
        page.locator("#id_url").fill(server.url)
        page.locator("#id_username").fill(server.username)
        page.locator("#id_password").fill(server.password)
        click_and_wait(page, "Connect")
        expect(page.locator(".messages, [role=status], body").first).to_contain_text("Calendar connected")
        connection = CalendarConnection.objects.get()
        assert connection.name == "Work" and server.password not in connection.secret

        # 2. The worker syncs it; the interview shows with a suggestion, which the user confirms.
        wait_for(lambda: CalendarEvent.objects.filter(uid="first-round").first(), "the first sync")
        page.reload()
        event = page.locator(".calendar-event").filter(has_text="Interview Fjordpay AS (video)")
        expect(event).to_contain_text("This looks like it is about “Backend Engineer")
        expect(page.locator(".calendar-connection")).to_contain_text("Synced")
        with page.expect_navigation():
            event.get_by_role("button", name="Confirm the link").click()
        assert CalendarEvent.objects.get(uid="first-round").application == application
        expect(page.locator(".calendar-event").filter(has_text="Interview Fjordpay AS")).to_contain_text(
            "About"
        )

        # 3. The invitation in the reply: "Add to calendar" reads its time and writes it to "Work".
        page.goto(base + application.get_absolute_url())
        page.locator(f"#reply-{reply.pk}").get_by_role("link", name="Add to calendar").click()
        expect(page.locator("#id_starts_at")).to_have_value(f"{(soon + dt.timedelta(days=7)):%Y-%m-%d}T14:00")
        click_and_wait(page, "Add to “Work”")
        assert page.url.endswith(application.get_absolute_url()), page.url
        expect(page.locator("body")).to_contain_text("The interview is in your calendar “Work”.")
        summaries = sorted(
            str(icalendar.Calendar.from_ical(item.data).walk("VEVENT")[0]["SUMMARY"])
            for item in calendar.events()
        )
        assert summaries == ["Interview Fjordpay AS (video)", "Interview: Backend Engineer at Fjordpay AS"]
