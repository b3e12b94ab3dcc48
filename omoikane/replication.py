"""How many copies of a committed write the database keeps right now, read from the database itself.

The Security page promises REPLICATION_FACTOR synchronous copies and /healthz fails when there are fewer, so
neither may take the number from a setting: it is read live, on every request, from
- PostgreSQL (a Patroni cluster): the primary plus its standbys that pg_stat_replication shows as synchronous
  ("sync" or "quorum"), when synchronous_commit makes a commit wait for them. The application's role needs
  pg_read_all_stats (or pg_monitor) to see sync_state; without it the state is "unknown", never "fine";
- YugabyteDB: the fault domains (cloud.region.zone) of the live tablet servers that yb_servers() lists. With
  the placement of deploy/yugabytedb/ (replication factor 3, one replica per zone) a tablet has a copy in
  each zone, so fewer live zones than promised means fewer copies. (This path cannot run here: YugabyteDB
  has no package for these machines.)
- SQLite: one copy, on one host.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DatabaseError, connections

# synchronous_commit values with which a commit waits for the synchronous standbys ("local" and "off" do not).
WAITING_COMMIT_LEVELS = frozenset({"on", "remote_write", "remote_apply"})


@dataclass(frozen=True)
class Replication:
    engine: str  # "sqlite", "postgresql" or "yugabytedb"
    copies: int | None  # copies of every committed write; None when the database would not say
    promised: int
    error: str = ""

    @property
    def replicated(self) -> bool:
        return self.copies is not None and self.copies > 1

    @property
    def ok(self) -> bool:
        """As many copies as promised (or more)."""
        return self.copies is not None and self.copies >= self.promised

    def as_dict(self) -> dict[str, object]:
        answer: dict[str, object] = {
            "ok": self.ok,
            "engine": self.engine,
            "copies": self.copies,
            "promised": self.promised,
        }
        if self.error:
            answer["error"] = self.error
        return answer


def copies_on_postgresql(sync_states: Iterable[str | None], synchronous_commit: str) -> int | None:
    """The primary's own copy plus one per synchronous standby; None if a standby's state is hidden (the role
    lacks pg_read_all_stats), since a hidden state could be either."""
    states = list(sync_states)
    if any(state is None for state in states):
        return None
    if synchronous_commit not in WAITING_COMMIT_LEVELS:
        return 1
    return 1 + sum(1 for state in states if state in {"sync", "quorum"})


def replication_state(promised: int, using: str = "default") -> Replication:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return Replication(engine=connection.vendor, copies=1, promised=promised)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            row = cursor.fetchone()
            if row is not None and "-YB-" in str(row[0]):
                cursor.execute("SELECT count(DISTINCT (cloud, region, zone)) FROM yb_servers()")
                zones = cursor.fetchone()
                return Replication(
                    engine="yugabytedb", copies=int(zones[0]) if zones else None, promised=promised
                )
            cursor.execute("SELECT current_setting('synchronous_commit')")
            level = cursor.fetchone()
            cursor.execute("SELECT sync_state FROM pg_stat_replication")
            states = [state for (state,) in cursor.fetchall()]
    except DatabaseError as error:
        return Replication(engine="postgresql", copies=None, promised=promised, error=type(error).__name__)
    copies = copies_on_postgresql(states, str(level[0]) if level else "")
    hidden = "" if copies is not None else "pg_stat_replication hides sync_state: grant pg_read_all_stats"
    return Replication(engine="postgresql", copies=copies, promised=promised, error=hidden)
