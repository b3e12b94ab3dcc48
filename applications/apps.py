from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # Inside ready(): connects the rescoring receiver and names applications on the activity page.
        from applications import descriptions, tasks  # noqa: F401
