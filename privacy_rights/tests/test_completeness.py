"""Export and erasure are complete: proven with canaries planted in every row the registry says is the
user's, then looked for in the export (all there) and, after erasure, in every database, storage tree and
the cache (none left).

A new Personal model fails `test_it_*` here until the fixture gives the user rows in it (or it is listed in
canaries.MAY_BE_EMPTY with a reason), so its author must show that export and erasure reach it.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from coach import warm_index
from coach.retrieval import UserIndex
from materials.models import Material
from omoikane.testing import BaseTransactionTestCase, make_user
from privacy_kernel.audit import Actor
from privacy_kernel.chain_verify import verify_database
from privacy_kernel.models import DeletionLedger, ErasureRequest
from privacy_kernel.registry import personal_models
from privacy_rights.actions import do_request_erasure
from privacy_rights.export import SECRET_FIELDS, location_of, zip_chunks
from privacy_rights.tests import canaries
from privacy_rights.tests.factories import fill_account, ready_export, still_stored


class CompletenessTests(BaseTransactionTestCase):
    # Export and erasure reach every database (the trace store too).
    databases = "__all__"

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.email = self.alice.email
        self.made = fill_account(self.alice, Client())
        # What no action of ours creates: a passkey (allauth, after a browser ceremony) and an operator's
        # change of the account on the operator site (Django admin's log).
        Authenticator.objects.create(
            user=self.alice, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop key", "credential": {}}
        )
        operator = make_user("operator@example.org", staff=True)
        LogEntry.objects.log_actions(
            user_id=operator.pk, queryset=[self.alice], action_flag=CHANGE, change_message="Changed name."
        )
        # Charlie's data must survive alice's erasure, and alice tried charlie's export link once.
        self.charlie_export = ready_export(self.charlie)
        alice_client = Client()
        alice_client.force_login(self.alice)
        alice_client.get(reverse("privacy:export_download", args=[self.charlie_export.pk]))
        self.charlie_material = Material.objects.get(pk=fill_material(self.charlie))

    def plant_everywhere(self) -> canaries.Planted:
        planted = canaries.Planted()
        entries = [e for e in personal_models() if e.model._meta.label not in canaries.MADE_BY_ERASURE]
        canaries.plant(self.alice, planted, entries)
        empty = sorted(
            label for label, rows in planted.rows.items() if not rows and label not in canaries.MAY_BE_EMPTY
        )
        self.assertEqual(
            empty,
            [],
            "Give the user rows in these models in privacy_rights/tests/factories.fill_account: "
            + str(empty),
        )
        return planted

    def test_it_exports_every_canary(self) -> None:
        planted = self.plant_everywhere()
        data = b"".join(zip_chunks(User.objects.get(pk=self.alice.pk)))
        archive = zipfile.ZipFile(io.BytesIO(data))
        self.assertIsNone(archive.testzip())
        text = "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        exported = {e.model._meta.label for e in personal_models() if location_of(e) is not None}
        missing = []
        for canary, (label, field_name, pk) in planted.fields.items():
            if label in exported and f"{label}.{field_name}" not in SECRET_FIELDS and canary not in text:
                missing.append(f"{label}.{field_name} of row {pk}")
        for canary, (label, field_name, pk) in planted.files.items():
            if label in exported and canary not in text:
                missing.append(f"file {label}.{field_name} of row {pk}")
        self.assertEqual(missing, [])
        # Secrets are planted too, and must not come out.
        for canary, (label, field_name, _pk) in planted.fields.items():
            if f"{label}.{field_name}" in SECRET_FIELDS:
                self.assertNotIn(canary, text, f"{label}.{field_name}")
        self.assertIn("README.md", archive.namelist())
        self.assertIn("Export schema version: 1.", archive.read("README.md").decode())

    def test_it_erases_every_canary_from_every_store(self) -> None:
        planted = self.plant_everywhere()
        user = User.objects.get(pk=self.alice.pk)
        # The warm search index holds copies of the chunks (canaries included) in a file and in memory.
        self.assertTrue(UserIndex.load(user).chunks)
        index_files = Path(settings.WARM_INDEX_DIR)
        self.assertTrue((index_files / f"{user.pk}.npz").is_file())
        erasure = do_request_erasure(user, actor=Actor.system("test"))
        canaries.plant(user, planted, [e for e in personal_models() if e.model is ErasureRequest])
        receipt_to = ErasureRequest.objects.get(pk=erasure.pk).email
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

        user_id = self.alice.pk
        patterns = [re.compile(re.escape(canary)) for canary in sorted(planted.all)]
        patterns += [
            re.compile(re.escape(self.email), re.IGNORECASE),
            re.compile(hashlib.sha256(self.email.encode()).hexdigest()),
            # The per-user rate-limit keys; the lookahead keeps user 1 from matching user 12.
            re.compile(rf":user:{user_id}(?![0-9])"),
        ]
        self.assertEqual(canaries.database_hits(patterns), [])
        self.assertEqual(canaries.storage_hits(patterns), [])
        self.assertFalse((index_files / f"{user_id}.npz").exists())
        self.assertNotIn(user_id, warm_index._memory)
        self.assertEqual(canaries.user_id_in_foreign_keys(user_id), [])
        stub = User(pk=user_id)
        leftovers = {e.model._meta.label: e.rows_of(stub).count() for e in personal_models()}
        self.assertEqual({label: n for label, n in leftovers.items() if n}, {})

        # The receipt went to the address the request held, with counts per store.
        receipt = mail.outbox[-1]
        self.assertEqual(receipt.to, [receipt_to])
        self.assertIn("your account has been deleted", receipt.subject)
        self.assertRegex(str(receipt.body), r"Audit log: events: [1-9]")
        self.assertRegex(str(receipt.body), r"Files of materials: 1")
        self.assertRegex(str(receipt.body), r"Files of exports: 1")
        self.assertRegex(str(receipt.body), r"Task queue: rows: [1-9]")
        self.assertRegex(str(receipt.body), r"Cache: entries: [1-9]")
        self.assertRegex(
            str(receipt.body), r"[Ss]earch index of your materials \(a copy kept for speed\): [12]"
        )
        # What remains: the ledger entry, and the erasure's own task row, which holds no data of the user.
        self.assertEqual(DeletionLedger.objects.count(), 1)
        own = DBTaskResult.objects.get(task_path="privacy_rights.erasure.erase_account")
        self.assertEqual(own.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(own.args_kwargs["kwargs"], {"erasure_id": erasure.pk})

        # Charlie is untouched, and every chain left still verifies.
        self.assertTrue(User.objects.filter(pk=self.charlie.pk, is_active=True).exists())
        self.assertTrue(EmailAddress.objects.filter(user=self.charlie).exists())
        self.charlie_material.refresh_from_db()
        self.assertTrue(still_stored(self.charlie_material.original))
        self.assertTrue(still_stored(self.charlie_export.file))
        self.assertEqual(verify_database().breaks, [])


def fill_material(user: User) -> int:
    from materials.tests.factories import add_material

    material: models.Model = add_material(user, as_file=True)
    return int(material.pk)
