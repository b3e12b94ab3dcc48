"""Playwright against Debian's Chromium, for the journeys that must work in a real browser.

Playwright never downloads a browser here: it drives the system's /usr/bin/chromium (apt-get install
chromium), so the test runs offline and on the same browser build a CI machine installs.

The journeys run as in production: the web server (Django's live server), the task worker (`worker`, the
real ClaimingWorker in a thread) and the language model (`anthropic`, a local server speaking Anthropic's
Messages API) are separate, and the web server and the worker meet only in the database.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django.fixtures import Settings

from coach.tests.fakes import FakeAnthropic, fake_anthropic
from ops.worker import ClaimingWorker

# Playwright's sync API runs an asyncio loop in this thread, so Django would refuse every ORM call the
# test makes (SynchronousOnlyOperation) although nothing here is async. This is Django's documented
# switch for exactly that situation; it must be set before the first query.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Nothing but the live server may be contacted: no update checks, no sync, no component downloads.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Containers often give /dev/shm only 64 MB, too little for Chromium's renderer.
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium).")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    # English first, like most visitors; the journey switches the language itself.
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


# The worker looks for work this often when idle (the real one waits a second; a journey need not).
WORKER_POLL_SECONDS = 0.1
# A task the worker is in the middle of when the test ends gets this long to finish.
WORKER_STOP_SECONDS = 30


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Test databases in files rather than in memory, as in production.

    Django shares one in-memory SQLite connection between the test and the live server's threads; a
    worker thread would get a connection of its own to SQLite's shared cache, whose table locks fail at
    once instead of waiting. Files give every thread its own connection with WAL and busy_timeout
    (omoikane/settings.py), as the web server and the worker have when they share one database file.
    """
    from django.conf import settings

    folder = tmp_path_factory.mktemp("databases")
    for alias, database in settings.DATABASES.items():
        if database["ENGINE"] == "django.db.backends.sqlite3":
            database.setdefault("TEST", {})["NAME"] = str(folder / f"{alias}.sqlite3")


@pytest.fixture
def worker(live_server: Any, transactional_db: None) -> Iterator[ClaimingWorker]:
    """The task worker, as `manage.py worker` runs it, in a thread beside the live server.

    It stops before the test's data is flushed; a task that failed fails the test with its traceback.
    """
    worker = ClaimingWorker(
        queue_names=["default"],
        interval=WORKER_POLL_SECONDS,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-journey",
        excluded_queue_names=[],
    )
    crashed: list[BaseException] = []

    def run() -> None:
        try:
            worker.run()
        except BaseException as error:  # the worker loop itself broke, not a task
            crashed.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="task-worker", daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=WORKER_STOP_SECONDS)
    assert not thread.is_alive(), "the worker did not stop"
    assert not crashed, crashed
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert not failed.exists(), [(t.task_path, t.traceback) for t in failed]


@pytest.fixture
def anthropic(settings: Settings) -> Iterator[FakeAnthropic]:
    """A local server speaking Anthropic's Messages API, which the app (web server and worker) drafts with."""
    with fake_anthropic() as server:
        for name, value in server.django_settings().items():
            setattr(settings, name, value)
        yield server
