from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyRightsConfig(AppConfig):
    name = "privacy_rights"
    verbose_name = _("Privacy rights")

    def ready(self) -> None:
        # Inside ready(): registers the system checks, and the support events' and pages' detail lines with
        # the kernel.
        from privacy_rights import checks, page_names  # noqa: F401
        from privacy_rights.support import activity  # noqa: F401
