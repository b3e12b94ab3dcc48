from __future__ import annotations

from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from coach import embeddings
from materials import embedding


class ChunkEmbedderTests(SimpleTestCase):
    def test_it_embeds_with_the_model_coach_registered(self) -> None:
        embedded = embedding.embed_chunk_texts(["Backend engineer, Python and PostgreSQL.", "Oslo"])
        self.assertEqual(len(embedded.vectors), 2)
        self.assertEqual(len(embedded.vectors[0]), embeddings.dimension() * 4)
        self.assertEqual(
            (embedded.model_name, embedded.model_version), (embeddings.MODEL_NAME, embeddings.MODEL_VERSION)
        )

    def test_it_says_what_is_missing_when_no_embedder_is_registered(self) -> None:
        with (
            mock.patch.object(embedding, "_embedder", None),
            self.assertRaisesMessage(ImproperlyConfigured, "No chunk embedder is registered"),
        ):
            embedding.embed_chunk_texts(["Oslo"])
