from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from applications import tasks  # noqa: F401  (connects the rescoring receiver)
