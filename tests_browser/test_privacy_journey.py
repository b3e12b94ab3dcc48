"""Leaving, in a real browser: ask for the export in Settings, follow the emailed link to the zip the worker
built, then delete the account (re-authenticate, type the address, confirm), and find that it is gone.

One test on purpose: the export comes first, as the delete page advises.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from accounts.models import User
from applications.tests.drafting.helpers import applicant
from omoikane.testing import PASSWORD, make_user
from ops.worker import ClaimingWorker
from privacy_kernel.models import ErasureRequest, ExportRequest
from tests_browser.journeys import click_and_wait, open_download, sign_in, wait_for

EMAIL = "noor.de.vries@example.org"
NAME = "Noor de Vries"
# The export and the erasure reach the LLM trace store too, a database of its own (coach/routers.py).
DATABASES = ["default", "traces"]


def email_about(outbox: list[EmailMessage], words: str) -> EmailMessage | None:
    return next((message for message in outbox if words in str(message.subject)), None)


def open_settings_page(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.locator("nav.settings-nav").get_by_role("link", name=name, exact=True).click()


def sign_in_refused(page: Page, base: str) -> None:
    page.goto(base + reverse("account_login"))
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.url.endswith(reverse("account_login")), page.url
    expect(page.locator("main")).to_contain_text(
        "The email address and/or password you specified are not correct."
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, databases=DATABASES)
def test_it_exports_the_data_then_deletes_the_account(
    live_server: Any,
    page: Page,
    worker: ClaimingWorker,
    mailoutbox: list[EmailMessage],
    settings: Settings,
    tmp_path: Path,
) -> None:
    base = live_server.url
    settings.SITE_URL = base  # the emailed links point at this server
    user = make_user(EMAIL, name=NAME)
    application = applicant(user)
    sign_in(page, base, EMAIL)
    page.get_by_role("link", name="Settings", exact=True).click()

    # Settings → Export: ask for the zip; the worker builds it and emails the link.
    open_settings_page(page, "Export your data")
    expect(page.locator("main h1")).to_have_text("Export your data")
    click_and_wait(page, "Export my data")
    expect(page.locator("main")).to_contain_text(
        f"We are building your export. We will email {EMAIL} a download link when it is ready."
    )
    message = wait_for(lambda: email_about(mailoutbox, "export is ready"), "the email with the export's link")
    assert message.to == [EMAIL]
    match = re.search(r"https?://\S+/download/", str(message.body))
    assert match, message.body
    link = match.group(0)
    assert link.startswith(base), link

    # The link, opened signed in, downloads the zip.
    download, data = open_download(page, link, tmp_path)
    assert re.fullmatch(r"omoikane-export-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert {"README.md", "account.json"} <= set(names), names
        account = json.loads(archive.read("account.json"))
        everything = b"".join(archive.read(name) for name in names)
    assert EMAIL in json.dumps(account), account
    assert application.title.encode() in everything
    export = ExportRequest.objects.get(user=user)
    assert (export.status, export.download_count) == (ExportRequest.Status.READY, 1)
    page.goto(base + reverse("privacy:export"))
    row = page.locator("table.data-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Ready")
    expect(row.get_by_role("link", name="Download", exact=True)).to_have_attribute(
        "href", reverse("privacy:export_download", args=[export.pk])
    )

    # Settings → Delete: the page asks for the password again first.
    open_settings_page(page, "Delete your account")
    assert reverse("account_reauthenticate") in page.url, page.url
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.url.endswith(reverse("privacy:delete")), page.url
    expect(page.locator("main h1")).to_have_text("Delete your account")

    # A wrong address is refused, and nothing happens.
    page.locator("#id_email").fill("someone.else@example.org")
    click_and_wait(page, "Delete my account for good")
    expect(page.locator("#id_email_error")).to_have_text(
        f"That is not the address you sign in with. Type {EMAIL} to confirm."
    )
    assert not ErasureRequest.objects.exists()
    assert User.objects.get(pk=user.pk).is_active

    # The address typed right: signed out at once, with the confirmation page.
    page.locator("#id_email").fill(EMAIL)
    click_and_wait(page, "Delete my account for good")
    assert page.url.endswith(reverse("privacy:deleted")), page.url
    expect(page.locator("main h1")).to_have_text("Your account is being deleted")
    expect(page.locator("header").get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    page.goto(base + reverse("accounts:settings"))
    assert reverse("account_login") in page.url, "settings must need a session"

    # Signing in again fails, at once and after the worker has erased the account.
    sign_in_refused(page, base)
    receipt = wait_for(lambda: email_about(mailoutbox, "account has been deleted"), "the erasure receipt")
    assert receipt.to == [EMAIL]
    assert not User.objects.filter(email=EMAIL).exists()
    sign_in_refused(page, base)
