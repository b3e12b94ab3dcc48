from __future__ import annotations

from io import StringIO

from django.core import mail
from django.core.management import call_command

from accounts.models import User
from materials.models import Material
from materials.tests.factories import add_material
from omoikane.testing import BaseTestCase
from privacy_kernel.audit import Actor
from privacy_kernel.models import DeletionLedger
from privacy_rights.actions import do_request_erasure
from privacy_rights.erasure import run_erasure
from privacy_rights.tests.factories import still_stored


class ReplayDeletionsTests(BaseTestCase):
    # Export and erasure reach every database (the trace store too).
    databases = "__all__"

    def setUp(self) -> None:
        super().setUp()
        add_material(self.alice, as_file=True)
        self.alice_id, self.joined = self.alice.pk, self.alice.date_joined
        run_erasure(do_request_erasure(self.alice, actor=Actor.system("test")).pk)
        mail.outbox.clear()

    def restore_alice_from_backup(self) -> User:
        # As an older backup would bring her back: the same row (id, sign-up time) and her data.
        user = User.objects.create(
            pk=self.alice_id, email="alice@example.org", name="Alice Andersen", date_joined=self.joined
        )
        add_material(user, as_file=True)
        return user

    def test_it_erases_a_restored_account_again(self) -> None:
        restored = self.restore_alice_from_backup()
        material = Material.objects.get(user=restored)
        out = StringIO()
        call_command("replay_deletions", stdout=out)
        self.assertFalse(User.objects.filter(pk=self.alice_id).exists())
        self.assertFalse(Material.objects.filter(user_id=self.alice_id).exists())
        self.assertFalse(still_stored(material.original))
        self.assertIn("1 account(s) erased again", out.getvalue())
        # The person was told the first time; a replay sends nothing.
        self.assertEqual(mail.outbox, [])
        self.assertEqual(DeletionLedger.objects.count(), 1)

    def test_it_spares_a_new_account_that_got_the_same_id(self) -> None:
        newcomer = User.objects.create(pk=self.alice_id, email="newcomer@example.org")
        call_command("replay_deletions", stdout=StringIO())
        self.assertTrue(User.objects.filter(pk=newcomer.pk, email="newcomer@example.org").exists())
        self.assertTrue(User.objects.filter(pk=self.charlie.pk).exists())

    def test_it_does_nothing_when_nothing_was_restored(self) -> None:
        out = StringIO()
        call_command("replay_deletions", stdout=out)
        self.assertIn("0 account(s) erased again; 1 in the ledger.", out.getvalue())
        self.assertEqual(User.objects.count(), 1)
