from __future__ import annotations

from django.tasks import task
from django.test import TestCase

from omoikane.testing import make_user


@task()
def noop() -> None:
    """A task that does nothing, to have something waiting in the queue."""


class HealthzTests(TestCase):
    def test_it_reports_every_backing_service(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(set(body["checks"]), {"database", "storage", "task_queue"})
        self.assertTrue(all(check["ok"] for check in body["checks"].values()))

    def test_it_counts_waiting_tasks(self) -> None:
        noop.enqueue()
        self.assertEqual(self.client.get("/healthz").json()["checks"]["task_queue"]["ready"], 1)

    def test_it_reveals_no_user_data(self) -> None:
        make_user("private.person@example.org", name="Private Person")
        content = self.client.get("/healthz").content.decode()
        self.assertNotIn("private.person", content)
        self.assertNotIn("Private Person", content)

    def test_it_is_never_cached(self) -> None:
        self.assertIn("no-cache", self.client.get("/healthz")["Cache-Control"])
