from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyRightsConfig(AppConfig):
    name = "privacy_rights"
    verbose_name = _("Privacy rights")

    def ready(self) -> None:
        from privacy_rights import checks  # noqa: F401  (inside ready(): registers the system checks)
