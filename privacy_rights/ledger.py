"""The deletion ledger: which accounts were erased, by an opaque id only, so a restore can erase them again.

A backup taken before an erasure still holds the account. After restoring it, `manage.py replay_deletions`
walks the restored accounts, computes each one's ledger id and erases those the ledger names, before the
service is opened again.

The ledger id is HMAC-SHA256 under DELETION_LEDGER_KEY of the account's id and its sign-up time (to the
microsecond). Not the id alone: a restore also rewinds the id sequence, so a new account made after the
restore could get an erased account's id, and must not be erased for it. Without the key, the ledger
cannot be tested against a guessed id; with it, only against an account a backup still holds.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from accounts.models import User

_DOMAIN = b"omoikane.deletion-ledger.v1\x00"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def ledger_id(user: User) -> str:
    joined = (user.date_joined - _EPOCH) // timedelta(microseconds=1)
    message = _DOMAIN + f"{user.pk}\x00{joined}".encode("ascii")
    return hmac.new(settings.DELETION_LEDGER_KEY.encode("utf-8"), message, hashlib.sha256).hexdigest()
