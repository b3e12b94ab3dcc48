from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Calendars")

    def ready(self) -> None:
        # Inside ready(): connects the receivers once models are loaded (the feed's rotation on a password
        # change), registers the system check, and names events on the activity page.
        from calendars import checks, descriptions, receivers  # noqa: F401
