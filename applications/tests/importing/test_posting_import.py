"""A posting read from a web address by the worker: the form answers at once, the page shows the progress,
and a page that cannot be read says why, saves no application, and can be tried again."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from applications.models import Application, PostingImport
from applications.posting_import import do_request_import, do_run_import, import_posting
from applications.tests.importing.conftest import Site
from omoikane.testing import make_user
from privacy_kernel.audit import Actor
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

pytestmark = pytest.mark.django_db

REFRESH = '<noscript><meta http-equiv="refresh" content="2"></noscript>'


def events(response: object) -> list[tuple[str, dict[str, object]]]:
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    out = []
    for block in body.strip().split("\n\n"):
        name, data = block.split("\n")
        out.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return out


@pytest.fixture
def alice_client(client: Client) -> Client:
    client.force_login(make_user("alice@example.org"))
    return client


def queued(url: str) -> PostingImport:
    user = make_user("bob@example.org")
    return do_request_import(user, url, actor=Actor.system("test"))


def test_the_form_queues_the_import_and_answers_at_once(alice_client: Client) -> None:
    response = alice_client.post(reverse("applications:add"), {"url": "https://jobs.example.com/platform"})
    row = PostingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:import", args=[row.pk])
    assert (row.url, row.status) == ("https://jobs.example.com/platform", PostingImport.Status.QUEUED)
    assert not Application.objects.exists()
    task = DBTaskResult.objects.get(task_path__endswith="import_posting")
    assert task.args_kwargs["kwargs"] == {"user_id": row.user_id, "import_id": row.pk}
    assert AuditEvent.objects.filter(event=Event.POSTING_IMPORT_REQUESTED, subject=row.user).exists()


def test_the_form_refuses_a_private_address_at_once(alice_client: Client) -> None:
    response = alice_client.post(reverse("applications:add"), {"url": "http://192.168.1.10/job"})
    assert response.status_code == 400
    assert not PostingImport.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_progress_page_refreshes_without_javascript(alice_client: Client) -> None:
    alice_client.post(reverse("applications:add"), {"url": "https://jobs.example.com/platform"})
    row = PostingImport.objects.get()
    page = alice_client.get(reverse("applications:import", args=[row.pk])).content.decode()
    assert REFRESH in page
    assert "Waiting for the reader to start…" in page
    assert f'data-progress-url="{reverse("applications:import_stream", args=[row.pk])}"' in page
    assert "https://jobs.example.com/platform" in page


def test_the_worker_reads_the_page_and_saves_the_application(site: Site) -> None:
    row = queued(site.url("/posting"))
    application = do_run_import(row, fetch_page=site.fetch)
    assert application is not None
    assert application.title == "Platform Engineer (m/w/d)"
    assert application.found_in == "json-ld"
    assert application.scoring == Application.Scoring.QUEUED  # the score follows from the worker
    row.refresh_from_db()
    assert (row.status, row.application) == (PostingImport.Status.DONE, application)
    assert AuditEvent.objects.filter(event=Event.POSTING_IMPORTED, subject=row.user).exists()
    assert DBTaskResult.objects.filter(task_path__endswith="score_application").exists()
    # A second run of the same task finds nothing waiting.
    assert do_run_import(row, fetch_page=site.fetch) is None
    assert Application.objects.count() == 1


def test_the_progress_page_opens_the_application_once_read(client: Client, site: Site) -> None:
    row = queued(site.url("/posting"))
    do_run_import(row, fetch_page=site.fetch)
    client.force_login(row.user)
    application = Application.objects.get()
    response = client.get(reverse("applications:import", args=[row.pk]))
    assert (response.status_code, response["Location"]) == (302, application.get_absolute_url())
    stream = client.get(reverse("applications:import_stream", args=[row.pk]))
    assert events(stream) == [("done", {"url": application.get_absolute_url()})]


def test_a_page_that_cannot_be_read_says_why_and_saves_nothing(client: Client, site: Site) -> None:
    row = queued(site.url("/no-such-page"))
    assert do_run_import(row, fetch_page=site.fetch) is None
    row.refresh_from_db()
    assert row.status == PostingImport.Status.FAILED
    assert row.error.startswith("The site answered with an error (404).")
    assert not Application.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="score_application").exists()
    assert AuditEvent.objects.filter(event=Event.POSTING_IMPORT_FAILED, subject=row.user).exists()
    client.force_login(row.user)
    page = client.get(reverse("applications:import", args=[row.pk])).content.decode()
    assert "The posting could not be read" in page
    assert "The site answered with an error (404)." in page
    assert "No application was saved from this address." in page
    assert reverse("applications:import_retry", args=[row.pk]) in page
    assert REFRESH not in page
    stream = client.get(reverse("applications:import_stream", args=[row.pk]))
    assert events(stream) == [("failed", {})]


def test_the_task_refuses_a_local_address_in_the_users_words() -> None:
    # The form refuses these at once; a name is only known to be local when it is read, in the worker.
    row = queued("http://localhost/job")
    assert import_posting.call(user_id=row.user_id, import_id=row.pk) is None
    row.refresh_from_db()
    assert row.status == PostingImport.Status.FAILED
    assert "private" in row.error or "local" in row.error
    assert not Application.objects.exists()


def test_trying_again_queues_the_import_once(client: Client, site: Site) -> None:
    row = queued(site.url("/no-such-page"))
    do_run_import(row, fetch_page=site.fetch)
    client.force_login(row.user)
    url = reverse("applications:import_retry", args=[row.pk])
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("applications:import", args=[row.pk]),
    )
    row.refresh_from_db()
    assert (row.status, row.error) == (PostingImport.Status.QUEUED, "")
    assert DBTaskResult.objects.filter(task_path__endswith="import_posting").count() == 2
    # Queued already: a second click queues nothing.
    assert "This posting is being read already." in client.post(url, follow=True).content.decode()
    assert DBTaskResult.objects.filter(task_path__endswith="import_posting").count() == 2


def test_an_import_is_its_owners_only(client: Client) -> None:
    row = queued("https://jobs.example.com/platform")
    client.force_login(make_user("charlie@example.org"))
    for name in ("applications:import", "applications:import_stream"):
        assert client.get(reverse(name, args=[row.pk])).status_code == 404
    assert client.post(reverse("applications:import_retry", args=[row.pk])).status_code == 404
