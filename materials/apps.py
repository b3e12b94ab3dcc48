from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "materials"
    verbose_name = _("CV materials and letter samples")

    def ready(self) -> None:
        from materials import descriptions  # noqa: F401  (names materials on the activity page)
