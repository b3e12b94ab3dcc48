"""The restore drill: the latest backup restored into scratch databases and storage, then checked.

Scratch: SQLite files, or for PostgreSQL fresh databases made beside the live one (dropped afterwards),
and folders for the objects, all in a private temp folder removed on every exit path. The checks on the
restored copy run as `manage.py` subprocesses pointed at it, the real commands an operator would run:
`audit_verify` (every chain must verify) and `replay_deletions` (run twice: the second run must find no
account left to erase, so an erased account cannot come back).
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connections
from psycopg import sql

from ops.backup import parts
from ops.backup.keys import BackupError
from ops.backup.restore import open_backup, restore
from ops.backup.targets import Target, complete_backups, configured_target
from privacy_kernel.models import DeletionLedger

MANAGE = Path(settings.BASE_DIR) / "manage.py"


@dataclass
class DrillResult:
    backup_name: str
    rows: int
    objects: int
    chains: int
    erased_again: int


def _url(db: dict[str, Any]) -> str:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"


@contextmanager
def scratch_database(alias: str, folder: Path) -> Iterator[dict[str, Any]]:
    live = connections[alias].settings_dict
    if live["ENGINE"] == "django.db.backends.sqlite3":
        yield {**live, "NAME": str(folder / f"{alias}.sqlite3")}
        return
    name = f"drill_{alias}_{secrets.token_hex(4)}"
    with psycopg.connect(**parts.pg_connect_kwargs(live), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {**live, "NAME": name}
    finally:
        with psycopg.connect(**parts.pg_connect_kwargs(live), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def carry_ledger(db: dict[str, Any]) -> int:
    """Copy the live deletion ledger into the restored database: the backup's own ledger is older than
    the erasures made since, which are exactly the ones the replay must apply. Opaque ids only."""
    rows = list(DeletionLedger.objects.values_list("ledger_id", "requested_at", "erased_at"))
    statement = (
        "INSERT INTO privacy_deletionledger (ledger_id, requested_at, erased_at) VALUES ({0}, {0}, {0}) "
        "ON CONFLICT (ledger_id) DO NOTHING"
    )
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # Stored as Django's SQLite backend stores an aware time: UTC, without an offset.
        def text(value: datetime) -> str:
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")

        with closing(sqlite3.connect(str(db["NAME"]))) as lite, lite:
            lite.executemany(statement.format("?"), [(i, text(r), text(e)) for i, r, e in rows])
    else:
        with psycopg.connect(**parts.pg_connect_kwargs(db)) as pg:
            pg.cursor().executemany(statement.format("%s"), rows)
    return len(rows)


def _manage(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(MANAGE), command],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )


def run_drill(target: Target | None = None) -> DrillResult:
    target = target or configured_target()
    names = complete_backups(target)
    if not names:
        raise BackupError(f"There is no complete backup in {target.description} to drill.")
    name = names[-1]
    with tempfile.TemporaryDirectory(prefix="omoikane-drill-") as temp:
        folder = Path(temp)
        with (
            open_backup(target, name) as opened,
            scratch_database("default", folder) as main,
            scratch_database("traces", folder) as traces,
        ):
            var = folder / "var"
            restored = restore(
                opened,
                databases={"default": main, "traces": traces},
                storages={
                    "default": FileSystemStorage(location=var / "media"),
                    "archive": FileSystemStorage(location=var / "archive"),
                },
            )
            carry_ledger(main)
            env = {
                **os.environ,
                "OMOIKANE_PROFILE": "development",
                "DEBUG": "false",
                "DATABASE_URL": _url(main),
                "TRACES_DATABASE_URL": _url(traces),
                "VAR_DIR": str(var),
                "STORAGE_BACKEND": "filesystem",
                "SECRET_KEY": settings.SECRET_KEY,
                "DELETION_LEDGER_KEY": settings.DELETION_LEDGER_KEY,
                "CALENDAR_CREDENTIALS_KEY": settings.CALENDAR_CREDENTIALS_KEY,
            }
            verified = _manage("audit_verify", env)
            if verified.returncode != 0:
                raise BackupError(
                    f"audit_verify failed on the restored copy: {verified.stderr.strip()[-300:]}"
                )
            chains = re.search(r"Verified (\d+) chains", verified.stdout)
            replayed = _manage("replay_deletions", env)
            again = _manage("replay_deletions", env)
            counts = [re.search(r"(\d+) account\(s\) erased again", r.stdout) for r in (replayed, again)]
            if replayed.returncode or again.returncode or counts[0] is None or counts[1] is None:
                raise BackupError(
                    f"replay_deletions failed on the restored copy: {replayed.stderr.strip()[-300:]}"
                )
            if int(counts[1].group(1)) != 0:
                raise BackupError("An erased account was still present after replaying the deletion ledger.")
    return DrillResult(
        name, restored.rows, restored.objects, int(chains.group(1)) if chains else 0, int(counts[0].group(1))
    )
