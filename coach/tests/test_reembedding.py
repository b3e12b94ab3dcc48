from __future__ import annotations

from django.core.management import call_command
from django.test import TransactionTestCase
from django_tasks_db.models import DBTaskResult

from coach import embeddings
from coach.indexing import enqueue_stale, reembed_user
from materials.models import Chunk
from materials.tests.factories import add_material
from omoikane.testing import make_user
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent


class ReembeddingTests(TransactionTestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice@example.org")
        self.material = add_material(self.alice)
        self.current = {c.pk: bytes(c.embedding or b"") for c in Chunk.objects.all()}
        # As if an older model had embedded these chunks.
        Chunk.objects.update(model_version="old-model-1", embedding=b"\x00" * 4 * embeddings.dimension())

    def test_it_finds_users_with_chunks_from_another_model(self) -> None:
        bob = make_user("bob@example.org")
        add_material(bob)  # current model: not stale
        self.assertEqual(enqueue_stale(), 1)
        task = DBTaskResult.objects.get(task_path__endswith="reembed_user")
        self.assertEqual(task.args_kwargs["kwargs"], {"user_id": self.alice.pk})

    def test_it_reembeds_in_the_background(self) -> None:
        enqueue_stale()
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        for chunk in Chunk.objects.all():
            self.assertEqual(chunk.model_version, embeddings.MODEL_VERSION)
            self.assertEqual(bytes(chunk.embedding or b""), self.current[chunk.pk])
        event = AuditEvent.objects.get(event=Event.MATERIALS_REEMBEDDED)
        self.assertEqual((event.subject, event.actor_label), (self.alice, "reembed"))

    def test_it_does_nothing_when_everything_is_current(self) -> None:
        reembed_user.call(user_id=self.alice.pk)
        self.assertEqual(reembed_user.call(user_id=self.alice.pk), 0)
