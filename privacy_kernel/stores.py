"""Stores outside the SQL database that hold a user's data: export reads them, erasure empties them.

Each app lists its stores in `<app>/privacy.py` as OUTSIDE_STORES, next to its PERSONAL declarations. The
names are the ones a Personal declaration gives in `outside`, and a test fails for a name no store answers
to, so a model cannot point at a store that export and erasure do not know.

Files named in a declaration's `files` need no store: export and erasure follow them through the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from privacy_kernel.registry import privacy_modules

if TYPE_CHECKING:
    from accounts.models import User


class StoreNotErased(Exception):
    """Raised by a store's erase when it could not remove the user's data and running the erasure again
    would not help soon (another company's service refused or stayed unreachable through its retries).
    The erasure goes on, and the receipt names the store with `reason`, in the user's language, instead
    of a count: the user learns what is left and why, rather than waiting for an erasure that never ends."""

    def __init__(self, reason: str | Promise) -> None:
        super().__init__(str(reason))
        self.reason = reason


@dataclass(frozen=True)
class OutsideStore:
    # The name Personal.outside uses ("audit archive").
    name: str
    # What the user calls it, in their language: the erasure receipt lists it by this.
    label: str | Promise
    # Removes everything the store holds about the user; returns how many objects went (for the receipt).
    # Called again after a crash, so removing what is already gone must not fail.
    erase: Callable[[User], int]
    # The user's records as JSON-serialisable dicts, written one per line into the export member
    # `export_to` (a .jsonl name such as "activity.jsonl"), before the rows the database holds there.
    export_rows: Callable[[User], Iterable[dict[str, Any]]] | None = None
    export_to: str = ""

    def __post_init__(self) -> None:
        if self.export_rows is not None and not self.export_to.endswith(".jsonl"):
            raise ValueError(f"{self.name}: export_to must name a .jsonl member of the export.")


@cache
def outside_stores() -> dict[str, OutsideStore]:
    """Every installed app's OUTSIDE_STORES, by name. A name registered twice is an error."""
    found: dict[str, OutsideStore] = {}
    for module in privacy_modules():
        for store in getattr(module, "OUTSIDE_STORES", []):
            if store.name in found:
                raise ValueError(f"The outside store {store.name!r} is registered twice.")
            found[store.name] = store
    return found
