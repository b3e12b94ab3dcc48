"""TEMPORARY: the providers branch's get_provider() replaces this file at merge."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coach.providers.base import Provider, ProviderError


def get_provider() -> Provider:
    raise ProviderError(_("No drafting provider is configured."), kind="not_configured")
