"""The sub-processor register: the one source for the public page and for the audit of calls to them.

Status is read from the running configuration, so the page cannot say "in use" for a service the code
has no credentials for, nor hide one it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coach.providers import provider_status
from coach.traces import last_observed_region


@dataclass(frozen=True)
class SubProcessor:
    key: str
    name: str
    purpose: Promise
    data_categories: Promise
    location: Promise
    configured: Callable[[], bool]

    @property
    def in_use(self) -> bool:
        return self.configured()


SUB_PROCESSORS: tuple[SubProcessor, ...] = (
    SubProcessor(
        key="anthropic",
        name="Anthropic PBC",
        purpose=_("Drafts cover letters with the Claude model, only when you ask for a draft."),
        data_categories=_(
            "The job posting, the parts of your CV materials and past letters chosen for that draft, "
            "and your instructions for it."
        ),
        location=_("EU inference region where the API offers it; Anthropic does not train on API data."),
        configured=lambda: bool(settings.ANTHROPIC_API_KEY),
    ),
    SubProcessor(
        key="stripe",
        name="Stripe Payments Europe Ltd.",
        purpose=_("Takes subscription payments."),
        data_categories=_(
            "Your email address and subscription state. Card details go to Stripe, never to us."
        ),
        location=_("European Union (Ireland)"),
        configured=lambda: bool(settings.STRIPE_SECRET_KEY),
    ),
    SubProcessor(
        key="cloudflare",
        name="Cloudflare, Inc.",
        purpose=_("DNS and the redirect-only domains that point to Omoikane."),
        data_categories=_(
            "Network metadata of requests to redirect-only domains (IP address, time). No content."
        ),
        location=_("Global edge network; it sees no content of your account."),
        configured=lambda: settings.CLOUDFLARE_DNS,
    ),
)


def drafting_status() -> dict[str, str]:
    """Which model writes drafts in this installation, the inference region asked of Anthropic, and the
    region Anthropic last reported (from the newest successful call in the trace store)."""
    status = provider_status()
    # Only Anthropic reports a region; the other providers never write one, so the query is skipped.
    status["last_region"] = last_observed_region() if status["key"] == "anthropic" else ""
    return status
