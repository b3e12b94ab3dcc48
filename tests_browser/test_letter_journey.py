"""The letter of an application in a real browser, with the worker writing it through a model that
streams slowly: watch the draft being written, cancel one, edit, compare two versions, mark one as sent
and download its PDF; and, without JavaScript, watch the progress page refresh itself until the letter
is there.

The first journey is one test on purpose: every step starts from the state the previous one left.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from applications.drafting.generate import word_count
from applications.models import Application, DraftGeneration, DraftVersion, SentVersion, Status
from applications.tests.drafting.helpers import LETTER, applicant
from coach.tests.fakes import FakeAnthropic
from omoikane.testing import make_user
from ops.worker import ClaimingWorker
from tests_browser.journeys import WORKER_SECONDS, click_and_wait, sign_in, wait_for

EMAIL = "alice@example.org"
NAME = "Alice Andersen"  # the name the letter is signed with: known, so not flagged
MADE_UP = "I led the machine-learning team at Google for twelve years."
FIRST = LETTER.replace("I look forward", f"{MADE_UP}\n\nI look forward")
# Long enough to be cancelled long before its end.
LONG = FIRST + "\n\n" + " ".join(["I have more to say about settlement pipelines."] * 30)
STRESS = "my PostgreSQL partitioning work"
ADDED = "Mentoring junior developers keeps me sharp."
# The model sends a word every PAUSE seconds: the first letter takes about seven seconds to arrive,
# time enough to watch it grow, on any machine.
PAUSE = 0.1
WAIT_MS = WORKER_SECONDS * 1000
WRITING = "Writing… the text appears here as it is written."
# The worker records every model call in the trace store, a database of its own (coach/routers.py).
DATABASES = ["default", "traces"]


def letter_url(base: str, application: Application) -> str:
    return base + reverse("applications:letter", args=[application.pk])


def streamed_text(page: Page) -> str:
    return page.locator("[data-stream-url]").text_content() or ""


def wait_for_more_text(page: Page, than: str) -> str:
    """Wait until the page shows more of the letter than `than`; the text it shows then."""
    page.wait_for_function(
        "n => document.querySelector('[data-stream-url]').textContent.trim().length > n",
        arg=len(than.strip()),
        timeout=WAIT_MS,
    )
    return streamed_text(page)


def running(application: Application) -> DraftGeneration:
    generation = application.draft_generations.first()
    assert generation is not None
    return generation


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, databases=DATABASES)
def test_it_drafts_cancels_edits_compares_and_sends_a_letter(
    live_server: Any, page: Page, worker: ClaimingWorker, anthropic: FakeAnthropic, tmp_path: Path
) -> None:
    base = live_server.url
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    user = make_user(EMAIL, name=NAME)
    application = applicant(user)  # a CV, a letter of theirs, and a posting to write to
    url = letter_url(base, application)
    sign_in(page, base, EMAIL)

    # 1. Choose how the letter should sound and ask for a draft; watch it being written.
    anthropic.queue_text(FIRST, pause=PAUSE)
    page.goto(base + application.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Letter", exact=True).click()
    assert page.url == url, page.url
    expect(page.locator(".empty-state")).to_contain_text("No letter yet.")
    page.locator("#id_tone").select_option("warm")
    page.locator("#id_length").select_option("short")
    page.locator("#id_language").select_option("en")
    page.locator("#id_stress").fill(STRESS)
    click_and_wait(page, "Draft")
    assert "/letter/drafts/" in page.url, page.url
    first = wait_for_more_text(page, "")
    second = wait_for_more_text(page, first)
    # The text grew while the letter was still being written: the page is on the progress view, says so,
    # and the worker has not finished.
    assert len(second) > len(first)
    assert FIRST.startswith(second.strip()), second
    assert "/letter/drafts/" in page.url, page.url
    assert running(application).status == DraftGeneration.Status.RUNNING
    expect(page.locator("[data-stream-status]")).to_have_text(WRITING)
    assert len(anthropic.requests) == 1

    # The page moves on by itself once the letter is written.
    expect(page).to_have_url(url, timeout=WAIT_MS)
    version = DraftVersion.objects.get(application=application)
    assert version.text == FIRST.strip()
    expect(page.locator("#version-heading")).to_have_text("Version 1")
    meta = page.locator("#version-heading + .meta")
    expect(meta).to_contain_text(f"{word_count(FIRST)} words")
    expect(meta).to_contain_text(f"Drafted by {version.model} (anthropic)")
    expect(page.locator(".unsupported h3")).to_have_text("Not found in your materials")
    expect(page.locator(".unsupported li mark.mark-unsupported")).to_have_text([MADE_UP])
    expect(page.locator(".letter-text mark.mark-unsupported")).to_have_text([MADE_UP])
    expect(page.locator("#id_text")).to_have_value(FIRST.strip())
    # The choices reached the model.
    task = json.dumps(anthropic.bodies[0]["messages"], ensure_ascii=False)
    assert "Tone: warm and personal" in task, task
    assert f"Stress: {STRESS}" in task, task

    # 2. Ask for another draft and cancel it while it streams: nothing is kept.
    anthropic.queue_text(LONG, pause=PAUSE)
    page.locator("#id_tone").select_option("formal")
    click_and_wait(page, "Draft")
    progress_url = page.url
    wait_for_more_text(page, "")
    cancelled = running(application)
    assert cancelled.status == DraftGeneration.Status.RUNNING
    click_and_wait(page, "Cancel")
    assert page.url == url, page.url
    expect(page.locator("main")).to_contain_text("Cancelled. No letter was kept from this draft.")
    # Even before the worker has stopped, the page does not say the draft is still being written.
    expect(page.locator("main")).not_to_contain_text("A draft is being written.")
    wait_for(
        lambda: DraftGeneration.objects.filter(
            pk=cancelled.pk, status=DraftGeneration.Status.CANCELLED
        ).exists(),
        "the worker to stop the cancelled draft",
    )
    cancelled.refresh_from_db()
    assert cancelled.version is None
    assert len(cancelled.partial_text) < len(LONG)
    assert application.draft_versions.count() == 1
    page.reload()
    expect(page.locator("#version-heading")).to_have_text("Version 1")
    expect(page.locator("ol.versions li")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("A draft is being written.")
    page.goto(progress_url)
    expect(page.locator("main h1")).to_have_text("Draft cancelled")
    page.goto(url)

    # 3. Edit the letter in place: version 2, and the words added show in the comparison.
    edited = FIRST.strip().replace("I look forward", f"{ADDED}\n\nI look forward")
    page.locator("#id_text").fill(edited)
    # The word count under the letter follows the typing.
    expect(page.locator("[data-word-count-for=id_text]")).to_have_text(f"{word_count(edited)} words")
    click_and_wait(page, "Save as a new version")
    expect(page.locator("main")).to_contain_text("Saved as version 2.")
    expect(page.locator("#version-heading")).to_have_text("Version 2")
    expect(page.locator("#version-heading + .meta")).to_contain_text("Edited by you")
    expect(page.locator("ol.versions li")).to_have_count(2)
    click_and_wait(page, "Compare")
    expect(page.locator("main h1")).to_have_text("Version 1 → version 2")
    inserted = " ".join(page.locator(".diff ins").all_inner_texts())
    for word in ADDED.split():
        assert word in inserted, inserted
    expect(page.locator(".diff del")).to_have_count(0)

    # 4. Mark version 2 as sent through the employer's portal today, and download the PDF kept of it.
    page.goto(url)
    today = timezone.localdate()
    page.locator("#id_channel").select_option("portal")
    page.locator("#id_sent_on").fill(today.isoformat())
    click_and_wait(page, "Mark this version as sent")
    expect(page.locator("main")).to_contain_text(
        "Marked as sent. The letter is kept as a PDF exactly as it was."
    )
    expect(page.locator("#send-heading + p")).to_have_text(
        "This version was sent. Its text and PDF are kept as they were."
    )
    sent = SentVersion.objects.get(application=application)
    assert (sent.version.number, sent.channel, sent.sent_on) == (2, "portal", today)
    application.refresh_from_db()
    assert application.status == Status.SENT
    sent_panel = page.locator("aside section", has=page.get_by_role("heading", name="Sent", exact=True))
    expect(sent_panel).to_contain_text("The employer's application portal")
    pdf_link = sent_panel.get_by_role("link", name="PDF", exact=True)
    with page.expect_response(lambda r: "/pdf/" in r.url) as response_info, page.expect_download() as info:
        pdf_link.click()
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    download = info.value
    assert download.suggested_filename == f"letter-{application.slug}-v2.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    assert len(anthropic.requests) == 2
    assert not csp_violations, csp_violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, databases=DATABASES)
def test_it_refreshes_the_progress_page_without_javascript(
    live_server: Any, browser: Browser, worker: ClaimingWorker, anthropic: FakeAnthropic
) -> None:
    base = live_server.url
    user: User = make_user(EMAIL, name=NAME)
    application = applicant(user)
    url = letter_url(base, application)
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        progress_loads: list[str] = []
        page.on(
            "response",
            lambda r: (
                progress_loads.append(r.url) if "/letter/drafts/" in r.url and r.status == 200 else None
            ),
        )
        sign_in(page, base, EMAIL)
        anthropic.queue_text(FIRST, pause=PAUSE)
        page.goto(url)
        click_and_wait(page, "Draft")
        assert "/letter/drafts/" in page.url, page.url
        # A refresh shows what is written so far; the page keeps refreshing until the letter is there.
        expect(page.locator("[data-stream-url]")).to_contain_text("Dear Hiring Team", timeout=WAIT_MS)
        expect(page).to_have_url(url, timeout=WAIT_MS)
        assert len(progress_loads) >= 2, progress_loads
        assert len(set(progress_loads)) == 1, progress_loads
        expect(page.locator("main")).to_contain_text("Your draft is ready.")
        expect(page.locator("#version-heading")).to_have_text("Version 1")
        expect(page.locator("#version-heading + .meta")).to_contain_text(f"{word_count(FIRST)} words")
        expect(page.locator(".unsupported li")).to_have_text([MADE_UP])
    finally:
        context.close()
