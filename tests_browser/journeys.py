"""What several journeys do alike: sign in through the form, wait for the worker, save a download."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Download, Error, Page, expect

from omoikane.testing import PASSWORD

# Long enough for the worker on a busy two-core machine; every wait below is bounded by one of these.
WORKER_SECONDS = 60
POLL_SECONDS = 0.1


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through allauth's form, as a user does."""
    page.goto(base_url + reverse("account_login"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    # Signing in lands on the user's home page: what to do now.
    assert page.url.endswith(reverse("pages:start")), page.url


def wait_for[T](check: Callable[[], T | None], what: str, *, seconds: float = WORKER_SECONDS) -> T:
    """Poll `check` (a database read, the mail outbox) until it returns something; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {seconds} s for {what}")
        time.sleep(POLL_SECONDS)


def open_download(page: Page, url: str, folder: Path) -> tuple[Download, bytes]:
    """Open a link that answers with an attachment, as following it from an email does."""
    with page.expect_download() as info:
        try:
            page.goto(url)
        except Error as error:
            # Chromium aborts a navigation that turns into a download; the download itself goes on.
            if "Download is starting" not in error.message and "ERR_ABORTED" not in error.message:
                raise
    download = info.value
    assert download.failure() is None, download.failure()
    path = folder / download.suggested_filename
    download.save_as(path)
    return download, path.read_bytes()


def click_and_wait(page: Page, name: str) -> None:
    """Press the button called `name` and wait for the page it leads to."""
    button = page.get_by_role("button", name=name, exact=True)
    expect(button).to_have_count(1)
    with page.expect_navigation():
        button.click()
