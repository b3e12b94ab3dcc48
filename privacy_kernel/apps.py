from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyKernelConfig(AppConfig):
    name = "privacy_kernel"
    # The label the audit tables, their migrations and their content types were created under: renaming it
    # would rename tables, which the additive-only migration rule forbids.
    label = "privacy"
    verbose_name = _("Privacy")
