"""The failures a provider reports, each with the message the user reads."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coach.providers.base import ProviderError

MESSAGES: dict[str, Promise] = {
    "rate_limited": _(
        "The writing service has had too many requests just now. Please try again in a minute or two."
    ),
    "overloaded": _("The writing service is overloaded right now. Please try again in a few minutes."),
    "timeout": _("The writing service took too long to answer. Please try again."),
    "cut_off": _(
        "The connection to the writing service broke off while your draft was being written. "
        "Nothing was kept; please try again."
    ),
    "auth": _(
        "The writing service did not accept this installation's credentials. This is a problem on our "
        "side, not yours; please try again later."
    ),
    "bad_request": _(
        "The writing service could not accept this request. Shorter instructions or fewer materials may help."
    ),
    "unavailable": _("The writing service cannot be reached right now. Please try again later."),
}


def failure(kind: str) -> ProviderError:
    return ProviderError(MESSAGES[kind], kind=kind)


def kind_for_status(status: int) -> str:
    if status == 429:
        return "rate_limited"
    if status in (503, 529):
        # Anthropic says "overloaded" with 529; self-hosted servers (vLLM, llama.cpp) with 503.
        return "overloaded"
    if status in (401, 403):
        return "auth"
    if status in (408, 504):
        return "timeout"
    if 400 <= status < 500:
        return "bad_request"
    return "unavailable"
