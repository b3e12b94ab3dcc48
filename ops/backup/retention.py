"""Which backups to keep: every one of the last BACKUP_KEEP_DAILY_DAYS days, and the first of each of the
last BACKUP_KEEP_MONTHLY_MONTHS months. Unfinished backups older than a day are removed too.

An account erased after a kept backup was taken is not kept alive by it: a restore replays the deletion
ledger (the drill proves it), so no backup needs to be deleted early for an erasure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings

from ops.backup.targets import Target, complete_backups


def taken_at(name: str) -> datetime | None:
    try:
        return datetime.strptime(name.split("-")[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except (IndexError, ValueError):
        return None


def to_remove(names: list[str], complete: set[str], now: datetime) -> list[str]:
    daily_from = now - timedelta(days=settings.BACKUP_KEEP_DAILY_DAYS)
    months = settings.BACKUP_KEEP_MONTHLY_MONTHS
    first_kept_month = (now.year * 12 + now.month - 1) - months + 1
    firsts: dict[int, str] = {}
    for name in sorted(complete):
        when = taken_at(name)
        if when is not None:
            firsts.setdefault(when.year * 12 + when.month - 1, name)
    remove = []
    for name in sorted(names):
        when = taken_at(name)
        if when is None:
            continue  # not ours: never touched
        if name not in complete:
            if when < now - timedelta(days=1):
                remove.append(name)
            continue
        month = when.year * 12 + when.month - 1
        if when >= daily_from or (months and month >= first_kept_month and firsts.get(month) == name):
            continue
        remove.append(name)
    return remove


def prune(target: Target, now: datetime | None = None) -> list[str]:
    names = target.names()
    removed = to_remove(names, set(complete_backups(target)), now or datetime.now(UTC))
    for name in removed:
        target.remove(name)
    return removed
