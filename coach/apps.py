from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachConfig(AppConfig):
    name = "coach"
    verbose_name = _("Coach")

    def ready(self) -> None:
        # inside ready(): coach.indexing imports models, which exist only once the app registry is loaded
        from coach.indexing import embed_chunk_texts
        from materials.embedding import register_embedder

        # Materials embeds a material's chunks before storing them, with the model coach owns; it cannot
        # import coach (it sits below), so coach hands it the embedder here.
        register_embedder(embed_chunk_texts)
