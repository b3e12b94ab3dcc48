"""What is working, in a real browser: name an approach, tag an application with it on the approach page,
record a reply in the diary with the approach ticked, and read the insights page's numbers, from "1 more
needed" to a difference the intervals support.

One test on purpose: every step starts from the state the previous one left.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from applications.models import Application
from diary.actions import do_tag_application
from diary.models import Approach, DiaryEntry
from diary.tests.factories import sent_application
from omoikane.testing import make_user
from privacy_kernel.audit import Actor
from tests_browser.journeys import click_and_wait, sign_in

EMAIL = "noor.de.vries@example.org"
SVG = "{http://www.w3.org/2000/svg}"


def chart_values(page: Page, chart_id: str) -> list[str]:
    """The numbers a chart shows, read from the SVG the browser has, parsed as XML."""
    svg = page.locator(f"svg#{chart_id}").evaluate("e => e.outerHTML")
    root = ET.fromstring(svg)  # noqa: S314  (our own page, parsed to check it)
    return [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "value"]


def seed(user: Any) -> tuple[Application, Application]:
    """Forty letters sent a month ago, through the real actions: 18 tried with a referral (13 answered),
    20 without (2 answered), and two more the journey itself tags and records an answer for."""
    actor = Actor.system("test")
    referral = Approach.objects.get(user=user, name="A referral")
    for number in range(18):
        application = sent_application(
            user, sent_days_ago=30, reply_after_days=4 if number < 13 else None, title=f"Tried {number}"
        )
        do_tag_application(referral, application, actor=actor)
    for number in range(20):
        sent_application(
            user, sent_days_ago=30, reply_after_days=6 if number < 2 else None, title=f"Plain {number}"
        )
    quiet = sent_application(user, sent_days_ago=30, title="Data engineer")
    answered = sent_application(user, sent_days_ago=30, title="Platform engineer")
    return quiet, answered


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_tags_applications_records_an_answer_and_reads_the_insights(live_server: Any, page: Page) -> None:
    base = live_server.url
    user = make_user(EMAIL, name="Noor de Vries")
    sign_in(page, base, EMAIL)

    # Name the approach on the insights page; it opens the approach's own page.
    page.goto(base + reverse("diary:insights"))
    expect(page.locator("#overall-replies")).to_contain_text("0/0")
    page.get_by_label("Name an approach you try").fill("A referral")
    click_and_wait(page, "Add the approach")
    expect(page.get_by_role("heading", level=1)).to_have_text("A referral")
    quiet, answered = seed(user)

    # Tag one more application on the approach page.
    page.reload()
    page.locator("#id_application").select_option(label=str(quiet))
    click_and_wait(page, "Tag the application")
    expect(page.locator(".approach-uses")).to_contain_text("Data engineer")

    # 19 tried with it, 13 of them answered: one short of a comparison, and the page says so.
    page.goto(base + reverse("diary:insights"))
    table = page.locator(f"section#approach-{Approach.objects.get(user=user).pk}")
    expect(table.locator("tr", has_text="With").first).to_contain_text("13/19 · 1 more needed")
    expect(page.locator("svg#chart-approach-" + str(Approach.objects.get(user=user).pk))).to_have_count(0)
    expect(page.get_by_text("went with more replies than the rest")).to_have_count(0)

    # Record the Platform engineer's answer in the diary, with the approach ticked: an outcome, and the
    # approach tried on that application.
    page.goto(base + reverse("diary:index"))
    page.get_by_label("What did you do or try?").fill("Jan passed my letter on; they called back today.")
    page.locator("#id_kind").select_option(label="Reply received")
    page.locator("#id_application").select_option(label=str(answered))
    page.get_by_label("A referral").check()
    click_and_wait(page, "Add to the diary")
    entry = DiaryEntry.objects.get(user=user)
    expect(page.locator(f"#entry-{entry.pk}")).to_contain_text("A referral")

    # Now 20 on each side: 14 of 20 with the referral, 2 of 20 without, and the intervals do not overlap.
    page.goto(base + reverse("diary:insights"))
    approach = Approach.objects.get(user=user)
    expect(page.locator("#overall-replies")).to_contain_text("16/40 · 40 % (95 % interval 0.26–0.55)")
    expect(table.locator("tr", has_text="With").first).to_contain_text(
        "14/20 · 70 % (95 % interval 0.48–0.85)"
    )
    expect(table.locator("tr", has_text="Without")).to_contain_text("2/20 · 10 % (95 % interval 0.03–0.30)")
    expect(page.get_by_text("“With” went with more replies than the rest.")).to_be_visible()
    expect(page.get_by_text("association, not cause").first).to_be_visible()
    assert chart_values(page, f"chart-approach-{approach.pk}") == ["70 % (14/20)", "10 % (2/20)"]
    assert chart_values(page, "chart-funnel") == ["40", "40", "16", "0", "0"]
    # Tagged on the approach page or by the seed: 19 applications; the diary entry tagged the 20th.
    expect(page.locator(".approach-list")).to_contain_text("A referral · 19 applications · 1 diary entry")
