"""A LinkedIn data export in a real browser: upload it on the materials page, correct a line of the CV it
becomes, and score a posting against the corrected text. The worker embeds the text and computes the score
while the pages wait for it (they reload themselves once it is done)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from applications.models import Application
from materials.models import Material
from materials.tests.linkedin.exports import UNRELATED, english_export
from omoikane.testing import make_user
from ops.worker import ClaimingWorker
from tests_browser.journeys import WORKER_SECONDS, click_and_wait, sign_in

EMAIL = "alice@example.org"
POSTING = """Senior Backend Engineer at Kvasir Payments, Oslo

We build the settlement platform for Nordic card payments.

Requirements
- Five years of Python and Django.
- Experience with PostgreSQL at scale.
- Kafka event streaming.
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, databases=["default", "traces"])
def test_it_imports_an_export_corrects_a_line_and_scores_a_posting(
    live_server: Any, page: Page, worker: ClaimingWorker, tmp_path: Path
) -> None:
    base = live_server.url
    make_user(EMAIL, name="Alice Andersen")
    sign_in(page, base, EMAIL)
    export = tmp_path / "Basic_LinkedInDataExport_12-07-2026.zip"
    export.write_bytes(english_export(extra=UNRELATED))

    # 1. The materials page says what is read and what is left out; the upload becomes the primary CV.
    page.goto(base + "/materials/")
    expect(page.locator("#linkedin-heading + p")).to_contain_text("Profile.csv, Positions.csv")
    page.locator("form[action$='/materials/linkedin/'] input[type=file]").set_input_files(export)
    click_and_wait(page, "Import from LinkedIn")
    material = Material.objects.get()
    assert page.url.endswith(material.get_absolute_url()), page.url
    expect(page.locator("#linkedin-heading")).to_contain_text("Imported from LinkedIn on")
    expect(page.locator("body")).to_contain_text("5 other files left out unread.")
    expect(page.locator("h1 .badge")).to_have_text("Primary CV")

    # 2. Correct a line: the LinkedIn description said nothing about Kafka.
    page.get_by_role("link", name="Correct the text").click()
    corrected = material.text.replace(
        "- Built the payments API in Django.",
        "- Built the payments API in Django and streamed events with Kafka.",
    )
    page.locator("#id_text").fill(corrected)
    click_and_wait(page, "Save the text")
    material.refresh_from_db()
    assert material.version == 2 and "streamed events with Kafka" in material.text
    # The page says the text is being prepared for search, and reloads itself once the worker is done.
    expect(page.locator("[data-progress-url]")).to_have_count(0, timeout=WORKER_SECONDS * 1000)
    material.refresh_from_db()
    assert material.search == Material.Search.READY

    # 3. Score a posting against it: the corrected line is the evidence for Kafka.
    page.goto(base + "/applications/new/")
    page.locator("#id_text").fill(POSTING)
    click_and_wait(page, "Add and score")
    application = Application.objects.get()
    assert page.url.endswith(application.get_absolute_url()), page.url
    # Saved at once; the score appears when the worker has computed it.
    expect(page.locator(".score-large")).to_be_visible(timeout=WORKER_SECONDS * 1000)
    expect(page.locator(".requirements")).to_contain_text("streamed events with Kafka")
