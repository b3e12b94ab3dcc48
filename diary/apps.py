from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = _("Diary")

    def ready(self) -> None:
        # Inside ready(): connects the receivers once models are loaded; names entries on the activity page.
        from diary import descriptions, receivers  # noqa: F401
