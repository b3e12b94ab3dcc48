"""Per-user limits that a feature asks about without knowing who sets them.

Drafting and uploads ask `quota(user, DRAFTS_PER_MONTH)` or `quota(user, STORAGE_BYTES)`. Billing, a feature
that stands beside them, registers the policy that answers from the user's plan; the features never import
it. With no policy registered (billing off, a self-hosted instance) the answer is "no limit", and each
feature keeps only its own operational bounds (MATERIALS_QUOTA_BYTES, DRAFTS_PER_DAY).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DRAFTS_PER_MONTH = "drafts_per_month"
STORAGE_BYTES = "storage_bytes"
NAMES = (DRAFTS_PER_MONTH, STORAGE_BYTES)


@dataclass(frozen=True)
class Quota:
    # None: no limit from any plan.
    limit: int | None
    # Where the user can raise the limit ("" when nothing can): the refusal message links to it.
    upgrade_url: str = ""


NO_LIMIT = Quota(None)

# The user is typed loosely on purpose: this module sits below the accounts app and must not import it.
Policy = Callable[[Any, str], Quota]
_policy: list[Policy] = []


def register(policy: Policy) -> None:
    """Install the one policy (billing's, from its AppConfig.ready). Registering again replaces it."""
    _policy[:] = [policy]


def quota(user: Any, name: str) -> Quota:
    if name not in NAMES:
        raise ValueError(f"Unknown limit {name!r}.")
    return _policy[0](user, name) if _policy else NO_LIMIT
