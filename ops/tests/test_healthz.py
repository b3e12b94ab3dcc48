from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.tasks import task
from django.test import TestCase, override_settings
from django.utils import timezone

from omoikane.testing import make_user
from privacy_kernel.audit import Actor
from privacy_kernel.models import ErasureRequest, ExportRequest
from privacy_rights.actions import do_request_erasure, do_request_export


@task()
def noop() -> None:
    """A task that does nothing, to have something waiting in the queue."""


class HealthzTests(TestCase):
    def test_it_reports_every_backing_service(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(
            set(body["checks"]),
            {"database", "replication", "storage", "task_queue", "privacy_deadlines", "restore_drill"},
        )
        self.assertTrue(all(check["ok"] for check in body["checks"].values()))

    def test_it_counts_waiting_tasks(self) -> None:
        noop.enqueue()
        self.assertEqual(self.client.get("/healthz").json()["checks"]["task_queue"]["ready"], 1)

    def test_it_fails_when_an_export_is_later_than_the_security_page_promises(self) -> None:
        user = make_user("late@example.org")
        export = do_request_export(user, actor=Actor.system("test"), rate_limited=False)
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        ExportRequest.objects.filter(pk=export.pk).update(
            requested_at=timezone.now() - timedelta(hours=settings.EXPORT_WITHIN_HOURS, minutes=1)
        )
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["privacy_deadlines"]["exports_late"], 1)

    def test_it_fails_when_an_erasure_is_later_than_the_security_page_promises(self) -> None:
        user = make_user("leaving@example.org")
        do_request_erasure(user, actor=Actor.system("test"))
        ErasureRequest.objects.update(
            requested_at=timezone.now() - timedelta(days=settings.ERASURE_WITHIN_DAYS, minutes=1)
        )
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["privacy_deadlines"]["erasures_late"], 1)

    @override_settings(REPLICATION_FACTOR=1)
    def test_it_passes_with_the_copies_promised(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        replication = response.json()["checks"]["replication"]
        self.assertEqual((replication["copies"], replication["promised"]), (1, 1))

    @override_settings(REPLICATION_FACTOR=3)
    def test_it_fails_with_fewer_copies_than_the_security_page_promises(self) -> None:
        # One SQLite file or one PostgreSQL server: one copy, read from the database, not from a setting.
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        replication = response.json()["checks"]["replication"]
        self.assertEqual(replication["engine"], connection.vendor)
        self.assertEqual((replication["ok"], replication["copies"], replication["promised"]), (False, 1, 3))

    def test_it_reveals_no_user_data(self) -> None:
        make_user("private.person@example.org", name="Private Person")
        content = self.client.get("/healthz").content.decode()
        self.assertNotIn("private.person", content)
        self.assertNotIn("Private Person", content)

    def test_it_is_never_cached(self) -> None:
        self.assertIn("no-cache", self.client.get("/healthz")["Cache-Control"])


class LivenessTests(TestCase):
    """The edge's health check: this host answers and reaches its database, whatever the durability report."""

    @override_settings(BACKUP_TARGET="", PRODUCTION=True, REPLICATION_FACTOR=3)
    def test_it_keeps_a_host_in_the_pool_while_the_full_report_fails(self) -> None:
        self.assertEqual(self.client.get("/healthz").status_code, 503)
        response = self.client.get("/healthz/live")
        self.assertEqual((response.status_code, response.json()), (200, {"status": "ok"}))
