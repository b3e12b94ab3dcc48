from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application
from applications.tests.factories import add_application
from materials.actions import do_add_material
from materials.tests.extraction.documents import cv_docx
from materials.tests.factories import add_material
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_kernel.events import ActorKind, Event
from privacy_kernel.exports import JsonLines
from privacy_kernel.models import AuditEvent, ExportRequest
from privacy_kernel.registry import Personal
from privacy_rights.actions import do_request_erasure, do_request_export
from privacy_rights.export import Builder, Placement
from privacy_rights.jobs import expire_exports, run_export
from privacy_rights.tests.factories import do_add_application_reply, ready_export, still_stored


def unzip(export: ExportRequest) -> zipfile.ZipFile:
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


class ExportJobTests(BaseTestCase):
    # Export and erasure reach every database (the trace store too).
    databases = "__all__"

    def test_it_lays_the_zip_out_by_the_registry(self) -> None:
        material = add_material(self.alice, as_file=True, title="My CV")
        application = add_application(self.alice)
        reply = do_add_application_reply(application)
        export = ready_export(self.alice)
        names = set(unzip(export).namelist())
        folder = f"applications/{application.slug}/"
        for expected in [
            "README.md",
            "account.json",
            "activity.jsonl",
            f"materials/{material.pk}-my-cv/material.json",
            f"materials/{material.pk}-my-cv/text.md",
            f"materials/{material.pk}-my-cv/original.md",
            f"materials/{material.pk}-my-cv/chunks.json",
            f"{folder}application.json",
            f"{folder}scores.json",
            f"{folder}replies/{reply.pk}.json",
        ]:
            self.assertIn(expected, names)
        archive = unzip(export)
        self.assertEqual(archive.read(f"materials/{material.pk}-my-cv/original.md"), material.original.read())
        account = archive.read("account.json").decode()
        self.assertIn('"email": "alice@example.org"', account)
        self.assertNotIn("argon2", account)
        self.assertNotIn("charlie", "".join(archive.read(n).decode(errors="replace") for n in names))

    def test_it_stores_compressed_uploads_as_they_are_and_deflates_the_rest(self) -> None:
        docx = do_add_material(
            self.alice,
            kind="cv",
            title="Word CV",
            actor=Actor.system("test"),
            data=cv_docx(),
            file_name="cv.docx",
        )
        markdown = add_material(self.alice, as_file=True, title="Notes")
        archive = unzip(ready_export(self.alice))
        stored = archive.getinfo(f"materials/{docx.pk}-word-cv/original.docx")
        deflated = archive.getinfo(f"materials/{markdown.pk}-notes/original.md")
        self.assertEqual(stored.compress_type, zipfile.ZIP_STORED)
        self.assertEqual(stored.compress_size, stored.file_size)
        self.assertEqual(deflated.compress_type, zipfile.ZIP_DEFLATED)
        # Read back whole: zipfile checks each member's CRC as it reads.
        self.assertEqual(archive.read(stored), docx.original.read())
        self.assertEqual(archive.read(deflated), markdown.original.read())
        self.assertIsNone(archive.testzip())

    def test_it_marks_the_export_ready_records_it_and_emails_the_link(self) -> None:
        export = ready_export(self.alice)
        self.assertEqual(export.status, ExportRequest.Status.READY)
        self.assertGreater(export.size, 0)
        self.assertEqual(export.expires_at, export.finished_at + timedelta(days=7))  # type: ignore[operator]
        event = AuditEvent.objects.get(subject=self.alice, event=Event.EXPORT_READY)
        self.assertEqual(event.actor_kind, ActorKind.SYSTEM)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(f"/settings/export/{export.pk}/download/", str(mail.outbox[0].body))

    def test_it_does_the_work_once(self) -> None:
        export = ready_export(self.alice)
        self.assertEqual(run_export(export.pk), "ready")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(AuditEvent.objects.filter(event=Event.EXPORT_READY).count(), 1)

    def test_it_builds_nothing_for_an_account_being_erased(self) -> None:
        export = do_request_export(self.alice, actor=Actor.system("test"))
        do_request_erasure(self.alice, actor=Actor.system("test"))
        self.assertEqual(run_export(export.pk), "account locked")
        export.refresh_from_db()
        self.assertEqual((export.status, export.file.name), (ExportRequest.Status.PENDING, ""))

    def test_it_writes_json_lines_where_a_declaration_says(self) -> None:
        add_application(self.alice)
        place = JsonLines("calendar.jsonl", note="synced events")
        entry = Personal(Application, owner="user", export=place, label="events")
        members = list(Builder(self.alice)._place("", "calendar.jsonl", [Placement(entry, place)], None))
        self.assertEqual([m[0] for m in members], ["calendar.jsonl"])
        self.assertIn(b'"model": "applications.Application"', b"".join(members[0][4]))

    def test_it_deletes_expired_zips(self) -> None:
        export = ready_export(self.alice)
        ExportRequest.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        out = StringIO()
        call_command("expire_exports", stdout=out)
        self.assertIn("1 expired export zip(s) deleted.", out.getvalue())
        self.assertFalse(still_stored(export.file))
        self.assertEqual(expire_exports(), 0)

    def test_the_command_builds_an_export_for_a_written_request(self) -> None:
        ready_export(self.alice)  # a recent export does not stop a request received in writing
        out = StringIO()
        call_command("export_user", "alice@example.org", stdout=out)
        latest = ExportRequest.objects.filter(user=self.alice).first()
        assert latest is not None
        self.assertEqual(latest.status, ExportRequest.Status.READY)
        self.assertIn(latest.file.name, out.getvalue())
