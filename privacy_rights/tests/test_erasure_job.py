from __future__ import annotations

from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from accounts.models import User
from applications.models import Application
from applications.tasks import rescore_user
from applications.tests.factories import add_application
from materials.models import Chunk, Material
from materials.tests.factories import add_material
from omoikane.testing import BaseTestCase, make_user
from ops.worker import claim_next
from privacy_kernel.audit import Actor
from privacy_kernel.chain_verify import verify_database
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent, DeletionLedger, ErasureRequest, ExportRequest
from privacy_rights.actions import do_request_erasure
from privacy_rights.erasure import TasksStillRunning, run_erasure
from privacy_rights.ledger import ledger_id
from privacy_rights.tests.factories import do_add_application_reply, ready_export, still_stored


class ErasureJobTests(BaseTestCase):
    # Export and erasure reach every database (the trace store too).
    databases = "__all__"

    def setUp(self) -> None:
        super().setUp()
        self.material = add_material(self.alice, as_file=True)
        self.application = add_application(self.alice)
        do_add_application_reply(self.application)
        self.export = ready_export(self.alice)
        self.ledger = ledger_id(self.alice)
        self.erasure = do_request_erasure(self.alice, actor=Actor.system("test"))
        mail.outbox.clear()

    def test_it_removes_rows_and_files_and_sends_a_receipt(self) -> None:
        counts = run_erasure(self.erasure.pk)
        self.assertFalse(User.objects.filter(pk=self.alice.pk).exists())
        for model in (Material, Chunk, Application, ExportRequest, ErasureRequest):
            self.assertFalse(model.objects.exists(), model)
        self.assertFalse(AuditEvent.objects.filter(subject_id=self.alice.pk).exists())
        self.assertFalse(still_stored(self.material.original))
        self.assertFalse(still_stored(self.export.file))
        self.assertEqual(counts["files"], {"materials.Material": 1, "privacy.ExportRequest": 1})
        self.assertEqual(counts["rows"]["default"]["accounts.User"], 1)
        receipt = mail.outbox[-1]
        self.assertEqual(receipt.to, ["alice@example.org"])
        body = str(receipt.body)
        self.assertIn("Database: materials: 1", body)
        self.assertIn("Database: applications: 1", body)
        self.assertIn("Files of materials: 1", body)
        self.assertIn("Files of exports: 1", body)
        self.assertIn("this is the last email you receive from us", body)

    def test_it_writes_the_receipt_in_the_users_language(self) -> None:
        dutch = make_user("sanne@example.org", language="nl")
        add_material(dutch, as_file=True)
        erasure = do_request_erasure(dutch, actor=Actor.system("test"))
        run_erasure(erasure.pk)
        body = str(mail.outbox[-1].body)
        self.assertIn("Database: materiaal: 1", body)
        self.assertIn("fragmenten van je materiaal, met hun zoekvectoren", body)
        self.assertNotIn("Chunks", body)

    def test_it_leaves_a_ledger_entry_and_a_system_event_naming_only_it(self) -> None:
        run_erasure(self.erasure.pk)
        self.assertEqual(list(DeletionLedger.objects.values_list("ledger_id", flat=True)), [self.ledger])
        event = AuditEvent.objects.get(event=Event.ERASURE_COMPLETED)
        self.assertIsNone(event.subject_id)
        self.assertEqual(event.metadata, {"ledger_id": self.ledger})
        self.assertEqual(verify_database().breaks, [])

    def test_it_leaves_other_users_alone(self) -> None:
        material = add_material(self.charlie, as_file=True)
        run_erasure(self.erasure.pk)
        self.assertTrue(Material.objects.filter(user=self.charlie).exists())
        self.assertTrue(still_stored(material.original))
        self.assertTrue(AuditEvent.objects.filter(subject=self.charlie).exists())

    def test_it_does_nothing_the_second_time(self) -> None:
        run_erasure(self.erasure.pk)
        self.assertEqual(run_erasure(self.erasure.pk), {})
        self.assertEqual(len(mail.outbox), 1)

    def test_it_waits_for_a_running_task_of_the_user(self) -> None:
        rescore_user.enqueue(user_id=self.alice.pk)
        claim_next(DBTaskResult.objects.ready(), "busy-worker")
        with self.assertRaises(TasksStillRunning):
            run_erasure(self.erasure.pk)
        # Nothing of the account went yet, and the job is queued again for later.
        self.assertTrue(User.objects.filter(pk=self.alice.pk).exists())
        self.assertTrue(still_stored(self.material.original))
        # Besides the task the request queued (to run at once), the retry: later.
        retry = DBTaskResult.objects.get(
            task_path="privacy_rights.erasure.erase_account",
            run_after__gt=timezone.now(),
            run_after__lt=get_date_max(),
        )
        self.assertEqual(retry.args_kwargs["kwargs"], {"erasure_id": self.erasure.pk})
        self.assertGreater(retry.run_after, timezone.now())
        self.assertEqual(ErasureRequest.objects.get().error, "TasksStillRunning")


class EraseUserCommandTests(BaseTestCase):
    # Export and erasure reach every database (the trace store too).
    databases = "__all__"

    def test_it_erases_after_confirmation(self) -> None:
        add_material(self.alice)
        out = StringIO()
        call_command("erase_user", "Alice@example.org", "--yes", stdout=out)
        self.assertFalse(User.objects.filter(pk=self.alice.pk).exists())
        self.assertIn("Audit log: events:", out.getvalue())
        self.assertEqual(mail.outbox[-1].to, ["alice@example.org"])

    def test_it_erases_nothing_without_a_yes(self) -> None:
        with mock.patch("builtins.input", return_value="no"), self.assertRaises(CommandError):
            call_command("erase_user", "alice@example.org", stdout=StringIO())
        self.assertTrue(User.objects.get(pk=self.alice.pk).is_active)
        self.assertFalse(ErasureRequest.objects.exists())

    def test_it_says_when_no_account_has_the_address(self) -> None:
        with self.assertRaisesMessage(CommandError, "No account has this address."):
            call_command("erase_user", "nobody@example.org", "--yes", stdout=StringIO())
