from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyRightsConfig(AppConfig):
    name = "privacy_rights"
    verbose_name = _("Privacy rights")

    def ready(self) -> None:
        # Inside: registers the support events' detail lines with the kernel once every app is loaded.
        from privacy_rights.support import activity  # noqa: F401
