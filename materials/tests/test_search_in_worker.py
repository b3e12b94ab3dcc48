"""Embedding leaves the request: an upload stores the text and chunks at once, the worker embeds them, and
the material's page shows the progress (streamed, or refreshed without JavaScript); an embedding that fails
says so, keeps the text, and can be tried again."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from coach.indexing import embed_chunk_texts
from materials.embedding import ChunkVectors, register_embedder
from materials.models import Chunk, Material
from materials.tasks import embed_material
from materials.tests.factories import CV_TEXT
from omoikane.testing import BaseTestCase, BaseTransactionTestCase
from omoikane.tests.test_query_counts import AUDIT_ROW, SIGNED_IN_BASE
from privacy_kernel.events import Event
from privacy_kernel.models import AuditEvent

REFRESH = '<noscript><meta http-equiv="refresh" content="2"></noscript>'


def events(response: object) -> list[tuple[str, dict[str, object]]]:
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    out = []
    for block in body.strip().split("\n\n"):
        name, data = block.split("\n")
        out.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return out


def broken_model(texts: Sequence[str]) -> ChunkVectors:
    raise RuntimeError("the embedding model could not be loaded")


@contextmanager
def embedder(function: object) -> Iterator[None]:
    """Another embedder through the registry coach uses (materials/embedding.py), then coach's again."""
    register_embedder(function)  # type: ignore[arg-type]
    try:
        yield
    finally:
        register_embedder(embed_chunk_texts)


class SearchInTheWorkerTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def upload(self) -> Material:
        cv = SimpleUploadedFile("cv.md", CV_TEXT.encode(), content_type="text/markdown")
        response = self.client.post(reverse("materials:add"), {"kind": "cv", "title": "", "file": cv})
        material = Material.objects.get(user=self.alice)
        self.assertRedirects(response, material.get_absolute_url(), fetch_redirect_response=False)
        return material

    def embed(self, material: Material) -> None:
        embed_material.call(user_id=self.alice.pk, material_id=material.pk)
        material.refresh_from_db()

    def test_it_stores_the_text_and_chunks_and_queues_the_embedding(self) -> None:
        material = self.upload()
        self.assertEqual(material.search, Material.Search.QUEUED)
        self.assertGreater(material.chunks.count(), 3)
        self.assertFalse(material.chunks.filter(embedding__isnull=False).exists())
        task = DBTaskResult.objects.get(task_path__endswith="embed_material")
        self.assertEqual(task.args_kwargs["kwargs"], {"user_id": self.alice.pk, "material_id": material.pk})
        # No score may claim to have seen a material search cannot find yet.
        self.assertEqual(Material.objects.versions_of(self.alice), {})

    def test_an_upload_costs_a_fixed_number_of_queries(self) -> None:
        cv = SimpleUploadedFile("cv.md", CV_TEXT.encode(), content_type="text/markdown")
        # No embedding in the request. Session and user, the quota, the write's savepoint and its release,
        # the primary-CV check, the material, its chunks, the audit row and the queued embedding.
        self.client.get(reverse("materials:list"))
        with self.assertNumQueries(SIGNED_IN_BASE + 7 + AUDIT_ROW):
            self.client.post(reverse("materials:add"), {"kind": "cv", "title": "", "file": cv})

    def test_the_page_shows_the_progress_and_refreshes_without_javascript(self) -> None:
        material = self.upload()
        page = self.client.get(material.get_absolute_url())
        self.assertContains(page, REFRESH, html=False)
        self.assertContains(page, "The material is saved. Preparing it for search…")
        stream_url = reverse("materials:search_stream", args=[material.pk])
        self.assertContains(page, f'data-progress-url="{stream_url}"')

    def test_the_worker_embeds_the_chunks_and_the_page_says_nothing_more(self) -> None:
        material = self.upload()
        self.embed(material)
        self.assertEqual(material.search, Material.Search.READY)
        self.assertFalse(material.chunks.filter(embedding__isnull=True).exists())
        event = AuditEvent.objects.get(event=Event.MATERIAL_INDEXED)
        self.assertEqual((event.subject, event.actor_label), (self.alice, "search"))
        self.assertEqual(Material.objects.versions_of(self.alice), {str(material.pk): 1})
        page = self.client.get(material.get_absolute_url())
        self.assertNotContains(page, REFRESH, html=False)
        self.assertNotContains(page, "Preparing it for search")
        r = self.client.get(reverse("materials:search_stream", args=[material.pk]))
        self.assertEqual(events(r), [("done", {})])

    def test_a_corrected_text_is_embedded_again_in_the_worker(self) -> None:
        material = self.upload()
        self.embed(material)
        r = self.client.post(
            reverse("materials:edit", args=[material.pk]), {"text": CV_TEXT + "\n- Led the on-call rota.\n"}
        )
        self.assertRedirects(r, material.get_absolute_url(), fetch_redirect_response=False)
        material.refresh_from_db()
        self.assertEqual((material.version, material.search), (2, Material.Search.QUEUED))
        self.assertTrue(material.chunks.filter(embedding__isnull=True).exists())
        self.embed(material)
        self.assertEqual(material.search, Material.Search.READY)
        self.assertTrue(
            material.chunks.filter(text__contains="on-call rota", embedding__isnull=False).exists()
        )

    def test_an_embedding_that_fails_says_so_and_keeps_the_text(self) -> None:
        material = self.upload()
        with embedder(broken_model), self.assertRaises(RuntimeError):
            self.embed(material)
        material.refresh_from_db()
        self.assertEqual(material.search, Material.Search.FAILED)
        self.assertIn("card-settlement pipeline", material.text)
        self.assertFalse(Chunk.objects.filter(embedding__isnull=False).exists())
        self.assertTrue(AuditEvent.objects.filter(event=Event.MATERIAL_INDEXING_FAILED).exists())
        page = self.client.get(material.get_absolute_url())
        self.assertContains(page, "We could not prepare this material for search. Its text is saved")
        self.assertContains(page, reverse("materials:search_retry", args=[material.pk]))
        self.assertNotContains(page, REFRESH, html=False)
        r = self.client.get(reverse("materials:search_stream", args=[material.pk]))
        self.assertEqual(events(r), [("failed", {})])

    def test_trying_again_queues_the_embedding_once(self) -> None:
        material = self.upload()
        with embedder(broken_model), self.assertRaises(RuntimeError):
            self.embed(material)
        url = reverse("materials:search_retry", args=[material.pk])
        self.assertRedirects(self.client.post(url), material.get_absolute_url())
        material.refresh_from_db()
        self.assertEqual(material.search, Material.Search.QUEUED)
        self.assertTrue(AuditEvent.objects.filter(event=Event.MATERIAL_INDEXING_RETRIED).exists())
        r = self.client.post(url, follow=True)
        self.assertContains(r, "This material is ready for search, or being prepared already.")
        self.assertEqual(DBTaskResult.objects.filter(task_path__endswith="embed_material").count(), 2)
        self.embed(material)
        self.assertEqual(material.search, Material.Search.READY)

    def test_the_stream_and_the_retry_are_the_owners_only(self) -> None:
        material = self.upload()
        self.client.force_login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("materials:search_stream", args=[material.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.post(reverse("materials:search_retry", args=[material.pk])).status_code, 404
        )


class WorkerTests(BaseTransactionTestCase):
    def test_the_worker_embeds_an_upload_and_the_scores_follow(self) -> None:
        self.client.force_login(self.alice)
        cv = SimpleUploadedFile("cv.md", CV_TEXT.encode(), content_type="text/markdown")
        self.client.post(reverse("materials:add"), {"kind": "cv", "title": "", "file": cv})
        # Not announced before the chunks can be found: nothing rescored yet.
        self.assertFalse(DBTaskResult.objects.filter(task_path__endswith="rescore_user").exists())
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        material = Material.objects.get()
        self.assertEqual(material.search, Material.Search.READY)
        self.assertFalse(Chunk.objects.filter(embedding__isnull=True).exists())
        # Embedded, the material is announced: the applications' scores are brought up to date.
        self.assertTrue(DBTaskResult.objects.filter(task_path__endswith="rescore_user").exists())
