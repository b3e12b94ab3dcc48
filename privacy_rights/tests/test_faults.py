"""A worker that fails or dies in the middle of an export or an erasure: the job is run again and finishes,
nothing is left half-done, and the user is told."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from materials.models import Material
from materials.tests.factories import add_material
from omoikane.testing import BaseTransactionTestCase
from ops.worker import claim_next
from privacy_kernel.audit import Actor
from privacy_kernel.models import ErasureRequest, ExportRequest
from privacy_rights.actions import do_request_erasure, do_request_export
from privacy_rights.erasure import erase_files, erase_tasks
from privacy_rights.tests.faulty import FlakyDeleteStorage, FlakySaveStorage


def run_worker(*extra: str) -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", *extra, verbosity=0)


def storages_with(alias: str, backend: str) -> dict[str, Any]:
    changed = dict(settings.STORAGES)
    changed[alias] = {**changed[alias], "BACKEND": backend}
    return changed


@override_settings(PRIVACY_JOB_RETRY_SECONDS=0)
class ErasureFaultTests(BaseTransactionTestCase):
    # Export and erasure reach every database (the trace store too).
    databases = "__all__"

    def setUp(self) -> None:
        super().setUp()
        self.materials = [add_material(self.alice, as_file=True, title=f"CV {n}") for n in range(3)]
        self.paths = [Path(m.original.path) for m in self.materials]
        run_worker()  # the rescoring the materials queued
        mail.outbox.clear()

    def test_it_finishes_after_object_storage_failed_midway(self) -> None:
        FlakyDeleteStorage.succeed, FlakyDeleteStorage.fail, FlakyDeleteStorage.calls = 1, 1, 0
        with override_settings(
            STORAGES=storages_with("default", "privacy_rights.tests.faulty.FlakyDeleteStorage")
        ):
            erasure = do_request_erasure(self.alice, actor=Actor.system("test"))
            run_worker("--max-tasks", "1")
            # Failed after one file: the rows are all there and still point at what is left to delete.
            failed = DBTaskResult.objects.get(
                task_path="privacy_rights.erasure.erase_account", status="FAILED"
            )
            self.assertEqual(failed.exception_class_path, "builtins.OSError")
            self.assertEqual(Material.objects.filter(user_id=self.alice.pk).count(), 3)
            self.assertEqual(sum(path.exists() for path in self.paths), 2)
            self.assertFalse(User.objects.get(pk=self.alice.pk).is_active)
            self.assertEqual(ErasureRequest.objects.get().error, "OSError")
            self.assertEqual(mail.outbox, [])
            run_worker()
        self.assertFalse(ErasureRequest.objects.filter(pk=erasure.pk).exists())
        self.assertFalse(User.objects.filter(pk=self.alice.pk).exists())
        self.assertFalse(any(path.exists() for path in self.paths))
        self.assertEqual(mail.outbox[-1].to, ["alice@example.org"])
        self.assertIn("Files of materials: 3", str(mail.outbox[-1].body))

    def test_it_resumes_after_the_worker_died(self) -> None:
        erasure = do_request_erasure(self.alice, actor=Actor.system("test"))
        # A worker took the job, did the first two steps and was killed: its task stays RUNNING.
        claimed = claim_next(DBTaskResult.objects.ready(), "killed-worker")
        assert claimed is not None
        erase_tasks(User.objects.get(pk=self.alice.pk), erasure)
        erase_files(User.objects.get(pk=self.alice.pk), erasure)
        self.assertFalse(any(path.exists() for path in self.paths))
        DBTaskResult.objects.filter(pk=claimed.pk).update(started_at=timezone.now() - timedelta(hours=2))
        run_worker()
        claimed.refresh_from_db()
        self.assertEqual(claimed.status, TaskResultStatus.SUCCESSFUL)
        self.assertFalse(User.objects.filter(pk=self.alice.pk).exists())
        # Counted once, from the rows, although the files went in the first attempt.
        self.assertIn("Files of materials: 3", str(mail.outbox[-1].body))


@override_settings(PRIVACY_JOB_RETRY_SECONDS=0)
class ExportFaultTests(BaseTransactionTestCase):
    # Export and erasure reach every database (the trace store too).
    databases = "__all__"

    def test_it_builds_the_export_again_after_a_failed_write(self) -> None:
        FlakySaveStorage.fail, FlakySaveStorage.calls = 1, 0
        with override_settings(
            STORAGES=storages_with("archive", "privacy_rights.tests.faulty.FlakySaveStorage")
        ):
            export = do_request_export(self.alice, actor=Actor.system("test"))
            run_worker("--max-tasks", "1")
            export.refresh_from_db()
            self.assertEqual((export.status, export.attempts, export.file.name), ("pending", 1, ""))
            root = Path(cast(FileSystemStorage, export.file.storage).location)
            self.assertEqual([p for p in root.rglob("*") if p.is_file()], [])
            self.assertEqual(mail.outbox, [])
            run_worker()
            export.refresh_from_db()
            self.assertEqual(export.status, ExportRequest.Status.READY)
            self.assertEqual([p for p in root.rglob("*") if p.is_file()], [Path(export.file.path)])
        self.assertIn("your export is ready", mail.outbox[-1].subject)

    def test_it_tells_the_user_when_every_attempt_failed(self) -> None:
        FlakySaveStorage.fail, FlakySaveStorage.calls = 10, 0
        with override_settings(
            STORAGES=storages_with("archive", "privacy_rights.tests.faulty.FlakySaveStorage")
        ):
            export = do_request_export(self.alice, actor=Actor.system("test"))
            run_worker()
        export.refresh_from_db()
        self.assertEqual((export.status, export.attempts), (ExportRequest.Status.FAILED, 3))
        self.assertIn("could not be made", mail.outbox[-1].subject)

    def test_it_builds_the_export_after_the_worker_died(self) -> None:
        export = do_request_export(self.alice, actor=Actor.system("test"))
        claimed = claim_next(DBTaskResult.objects.ready(), "killed-worker")
        assert claimed is not None
        ExportRequest.objects.filter(pk=export.pk).update(status=ExportRequest.Status.RUNNING)
        DBTaskResult.objects.filter(pk=claimed.pk).update(started_at=timezone.now() - timedelta(hours=2))
        run_worker()
        export.refresh_from_db()
        self.assertEqual(export.status, ExportRequest.Status.READY)
        self.assertIn("your export is ready", mail.outbox[-1].subject)
