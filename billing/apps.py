from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from omoikane import limits


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        # Inside ready(): plans imports the models, which exist only once the app registry is ready.
        from billing import plans

        limits.register(plans.user_quota)
