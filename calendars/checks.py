"""Refuse to start production with a calendar setting meant for tests only, or with a key that is no key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from calendars.credentials import key_is_valid


@register()
def check_calendar_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.PRODUCTION and settings.CALENDAR_TEST_LOOPBACK_PORTS:
        errors.append(
            Error(
                "CALENDAR_TEST_LOOPBACK_PORTS lets calendar connections reach this host; tests only.",
                id="calendars.E001",
            )
        )
    if settings.CALENDAR_CREDENTIALS_KEY and not key_is_valid(settings.CALENDAR_CREDENTIALS_KEY):
        errors.append(
            Error(
                "CALENDAR_CREDENTIALS_KEY is not a Fernet key (32 url-safe base64-encoded bytes).",
                id="calendars.E002",
            )
        )
    return errors
