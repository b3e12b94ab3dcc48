from __future__ import annotations

from django.apps import AppConfig


class OmoikaneConfig(AppConfig):
    name = "omoikane"
    verbose_name = "Omoikane"

    def ready(self) -> None:
        from omoikane import checks  # noqa: F401  (registers the system checks)
