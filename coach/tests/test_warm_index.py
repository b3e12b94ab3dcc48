"""The warm per-user index (coach/warm_index.py): kept, invalidated by the materials, never another user's."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from accounts.models import User
from coach import warm_index
from coach.retrieval import UserIndex, search
from materials.actions import do_delete_material, do_update_text
from materials.models import Material
from materials.tests.factories import LETTER_TEXT, add_material
from omoikane.testing import BaseTestCase, make_user, run_queued
from privacy_kernel.audit import Actor
from privacy_kernel.chain import maintenance
from privacy_kernel.stores import outside_stores

ALICE_CV = "# Alice\n\n- Ran PostgreSQL clusters for a payments company.\n- Led a team of four engineers.\n"
CHARLIE_CV = "# Charlie\n\n- Ran Kubernetes clusters at a bank for ten years.\n- Wrote Terraform modules.\n"


def file_of(user: User) -> Path:
    return Path(settings.WARM_INDEX_DIR) / f"{user.pk}.npz"


class WarmIndexTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.cv = add_material(self.alice, text=ALICE_CV)
        self.letter = add_material(self.alice, kind=Material.Kind.LETTER, text=LETTER_TEXT, title="Letter")

    def test_it_answers_from_memory_while_the_materials_stay_the_same(self) -> None:
        first = UserIndex.load(self.alice)
        # One question to the database: the materials' keys. No chunk is read again.
        with self.assertNumQueries(1):
            second = UserIndex.load(self.alice)
        self.assertIs(first, second)
        self.assertTrue(file_of(self.alice).is_file())

    def test_it_is_read_from_the_file_by_another_process(self) -> None:
        built = UserIndex.load(self.alice)
        warm_index.clear_memory()  # what a process that never built it has
        with self.assertNumQueries(1):
            read = UserIndex.load(self.alice)
        self.assertIsNot(read, built)
        self.assertEqual([c.pk for c in read.chunks], [c.pk for c in built.chunks])
        self.assertEqual([c.text for c in read.chunks], [c.text for c in built.chunks])
        self.assertEqual(read.matrix.tobytes(), built.matrix.tobytes())
        query = "PostgreSQL for payments"
        self.assertEqual(read.lexical.scores(query).tolist(), built.lexical.scores(query).tolist())
        self.assertEqual(read.chunks[0].material.title, self.cv.title)
        self.assertEqual(read.chunks[0].user_id, self.alice.pk)

    def test_it_is_rebuilt_when_a_material_changes_and_only_that_material_is_read_again(self) -> None:
        before = UserIndex.load(self.alice)
        letter_part = warm_index._memory[self.alice.pk].parts[self.letter.pk]
        do_update_text(
            self.cv, ALICE_CV + "- Introduced Kafka for settlement events.\n", actor=Actor.system("test")
        )
        run_queued("embed_material", user_id=self.alice.pk, material_id=self.cv.pk)  # as the worker does
        after = UserIndex.load(self.alice)
        self.assertIsNot(after, before)
        self.assertIn("Kafka", search(self.alice, "Kafka event streaming")[0].chunk.text)
        # The letter's n-gram counts were kept, not counted again.
        self.assertIs(warm_index._memory[self.alice.pk].parts[self.letter.pk], letter_part)
        # The rebuilt index scores as one built from nothing does.
        warm_index.forget(self.alice.pk)
        fresh = UserIndex.load(self.alice)
        query = "Kafka and PostgreSQL"
        self.assertEqual([c.pk for c in fresh.chunks], [c.pk for c in after.chunks])
        self.assertEqual(
            fresh.lexical.scores(query).round(12).tolist(), after.lexical.scores(query).round(12).tolist()
        )

    def test_it_forgets_a_deleted_material(self) -> None:
        UserIndex.load(self.alice)
        do_delete_material(self.letter, actor=Actor.system("test"))
        index = UserIndex.load(self.alice)
        self.assertEqual({c.material_id for c in index.chunks}, {self.cv.pk})

    def test_it_builds_a_subset_by_kind(self) -> None:
        letters = UserIndex.load(self.alice, kinds=["letter"])
        self.assertTrue(letters.chunks)
        self.assertEqual({c.material.kind for c in letters.chunks}, {"letter"})
        self.assertIs(UserIndex.load(self.alice, kinds=["letter"]), letters)

    def test_one_users_index_never_answers_another_users_query(self) -> None:
        add_material(self.charlie, text=CHARLIE_CV)
        UserIndex.load(self.charlie)
        for user in (self.alice, self.charlie):
            with self.subTest(user=user.email):
                index = UserIndex.load(user)
                self.assertTrue(all(c.user_id == user.pk for c in index.chunks))
                for query in ("Kubernetes at a bank", "PostgreSQL for payments", "Terraform"):
                    self.assertTrue(all(m.chunk.user_id == user.pk for m in index.search(query, limit=20)))
        self.assertNotIn("Kubernetes", " ".join(c.text for c in UserIndex.load(self.alice).chunks))

    def test_an_erased_accounts_index_never_answers_the_next_account_with_its_id(self) -> None:
        UserIndex.load(self.alice)
        old_id, old_file = self.alice.pk, file_of(self.alice)
        # The account goes without the store being emptied (say the erasure job died before that step),
        # so its file and this process's entry are still there when the id is given out again.
        with maintenance():  # audit rows go with the account only inside this block (PostgreSQL)
            self.alice.delete()
        self.assertTrue(old_file.is_file())
        dora = User.objects.create_user("dora@example.org", "unused-password-123", id=old_id)
        add_material(dora, text=CHARLIE_CV)
        index = UserIndex.load(dora)
        self.assertEqual({c.user_id for c in index.chunks}, {old_id})
        texts = " ".join(c.text for c in index.chunks)
        self.assertIn("Kubernetes", texts)
        self.assertNotIn("PostgreSQL", texts)
        self.assertNotIn("Dear", texts)
        for match in search(dora, "PostgreSQL clusters for a payments company", limit=20):
            self.assertNotIn("PostgreSQL", match.chunk.text)
        # Nor from the file, in a process that never had it in memory.
        warm_index.clear_memory()
        self.assertNotIn("PostgreSQL", " ".join(c.text for c in UserIndex.load(dora).chunks))

    def test_erasure_removes_the_file_and_this_processs_copy(self) -> None:
        UserIndex.load(self.alice)
        store = outside_stores()["search index"]
        self.assertEqual(store.erase(self.alice), 2)
        self.assertFalse(file_of(self.alice).exists())
        self.assertNotIn(self.alice.pk, warm_index._memory)
        # Erasing again (a retried job) finds nothing and does not fail.
        self.assertEqual(store.erase(self.alice), 0)

    def test_no_file_is_kept_for_a_user_without_materials(self) -> None:
        self.assertEqual(UserIndex.load(self.charlie).chunks, [])
        self.assertFalse(file_of(self.charlie).exists())

    def test_a_damaged_file_is_rebuilt_from_the_database(self) -> None:
        built = UserIndex.load(self.alice)
        warm_index.clear_memory()
        file_of(self.alice).write_bytes(b"not an index")
        with self.assertLogs("coach.warm_index", "WARNING"):
            read = UserIndex.load(self.alice)
        self.assertEqual([c.pk for c in read.chunks], [c.pk for c in built.chunks])

    def test_it_keeps_query_vectors_with_the_index(self) -> None:
        index = UserIndex.load(self.alice)
        first = index.embed(["PostgreSQL at scale", "Team lead"], query=True)
        self.assertEqual(len(index.embedded), 2)
        again = index.embed(["Team lead", "PostgreSQL at scale"], query=True)
        self.assertEqual(again[0].tobytes(), first[1].tobytes())
        self.assertEqual(index.embed([], query=True).shape, (0, 384))
        # A user's kept vectors are that user's: another index starts empty.
        make_user("erin@example.org")
        self.assertEqual(UserIndex.load(self.charlie).embedded, {})
