from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    """Django's admin app with our operator site (two-factor required, every page audited)."""

    default_site = "ops.admin_site.OperatorAdminSite"
