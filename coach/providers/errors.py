"""The failures a provider reports, each with the message the user reads."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coach.providers.base import Completion, ProviderError

logger = logging.getLogger(__name__)

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


class BrokeBeforeText(Exception):
    """The stream failed before any text reached the caller, so starting again repeats nothing."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with jitter, as the SDKs do it: about 0.5 s, 1 s, 2 s … up to 8 s."""
    return min(0.5 * 2 ** (attempt - 1), 8.0) * (1 - 0.25 * random.random())  # noqa: S311  (jitter, not secrecy)


def with_restarts(stream: Callable[[], Completion], *, max_retries: int, provider: str) -> Completion:
    """Run `stream`, starting it again (with backoff) while it breaks before any text; a break after text
    has reached the caller fails as it is, so no text is ever sent twice."""
    attempt = 0
    while True:
        try:
            return stream()
        except BrokeBeforeText as broken:
            if attempt >= max_retries:
                raise failure(broken.kind) from broken
            attempt += 1
            logger.warning("%s stream broke before any text (%s); retry %d", provider, broken.kind, attempt)
            time.sleep(backoff_seconds(attempt))
