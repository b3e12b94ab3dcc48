from __future__ import annotations

from django.apps import AppConfig
from django.urls import register_converter

from omoikane.numbers import IdConverter


class OmoikaneConfig(AppConfig):
    name = "omoikane"
    verbose_name = "Omoikane"

    def ready(self) -> None:
        from omoikane import checks  # noqa: F401  (registers the system checks)

        # Before any URLconf is read: every route with a row's key in it says <id:...>, not <int:...>, which
        # would let 4,000-digit numbers through to the database.
        register_converter(IdConverter, "id")
