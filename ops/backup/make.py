"""`manage.py backup`: one consistent, encrypted, signed backup of everything we hold.

Parts, each age-encrypted to every backup recipient:
  db.age            the main database (pg_dump custom format, or a SQLite file from its online backup API)
  traces.age        the LLM trace store, likewise
  objects-default.age, objects-archive.age
                    a tar of every stored object (uploads, sent PDFs; audit archives, export zips)
  manifest.age      JSON: every part's SHA-256 (plaintext and encrypted) and size, every table's row count,
                    every object's SHA-256, the schema version and the deletion ledger's head
  manifest.sig      Ed25519 signature of manifest.age, written last: a backup without it is unfinished
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pyrage
from django.core.files.storage import storages
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from ops.backup import keys, parts
from ops.backup.targets import SIGNATURE, Target, configured_target
from privacy_kernel.models import DeletionLedger

FORMAT = "omoikane.backup.v1"
DATABASE_PARTS = {"default": "db.age", "traces": "traces.age"}
STORAGE_PARTS = {"default": "objects-default.age", "archive": "objects-archive.age"}


@dataclass
class Made:
    name: str
    size: int = 0
    rows: int = 0
    objects: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)


def new_name() -> str:
    return f"backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def schema_version() -> dict[str, str]:
    """The newest applied migration of each app: a restore into older code can be refused on it."""
    newest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name").order_by("app", "name"):
        newest[app] = name
    return newest


def ledger_head() -> dict[str, Any]:
    """How many erasures the ledger holds and a digest of them: a restore proves which ledger it replayed."""
    ids = sorted(DeletionLedger.objects.values_list("ledger_id", flat=True))
    return {"count": len(ids), "sha256": hashlib.sha256("\n".join(ids).encode()).hexdigest()}


def _encrypt_stream(reader: Any, destination: Path) -> dict[str, Any]:
    hashing = parts.HashingReader(reader)
    with destination.open("wb") as out:
        pyrage.encrypt_io(hashing, out, keys.recipients())
    return {
        "sha256": hashing.hexdigest(),
        "bytes": hashing.size,
        "encrypted_sha256": parts.file_sha256(destination),
        "encrypted_bytes": destination.stat().st_size,
    }


def _dump_database(alias: str, folder: Path) -> tuple[dict[str, Any], dict[str, int]]:
    db = connections[alias].settings_dict
    destination = folder / DATABASE_PARTS[alias]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        copy = folder / f"{alias}.sqlite3"
        try:
            counts = parts.sqlite_copy(str(db["NAME"]), copy)
            with copy.open("rb") as source:
                described = _encrypt_stream(source, destination)
        finally:
            copy.unlink(missing_ok=True)
        return {"engine": "sqlite", **described}, counts
    # PostgreSQL and YugabyteDB's YSQL: the rows are counted in the very snapshot pg_dump dumps.
    with psycopg.connect(**parts.pg_connect_kwargs(db), autocommit=True) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # type: ignore[index]  # noqa: S608
        process = parts.pg_dump(db, snapshot)
        described = _encrypt_stream(process.stdout, destination)
        _out, errors = process.communicate()
        if process.returncode != 0:
            raise keys.BackupError(f"pg_dump failed for {alias}: {errors.decode(errors='replace')[:200]}")
        conn.execute("ROLLBACK")
    return {"engine": "postgresql", **described}, counts


def _dump_storage(name: str, folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    hashes: dict[str, str] = {}
    storage = storages[name]
    with parts.threaded_pipe(lambda writer: parts.write_objects_tar(storage, writer, hashes)) as reader:
        described = _encrypt_stream(reader, folder / STORAGE_PARTS[name])
    return described, hashes


def make_backup(target: Target | None = None) -> Made:
    """Write one backup to `target` (BACKUP_TARGET); remove what was written if anything fails."""
    target = target or configured_target()
    made = Made(new_name())
    # The temp folder is private (mode 0700) and removed on every exit path; what it holds is encrypted,
    # but for the short-lived SQLite copy that the online backup API needs.
    with tempfile.TemporaryDirectory(prefix="omoikane-backup-") as temp:
        folder = Path(temp)
        try:
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "name": made.name,
                "created_at": datetime.now(UTC).isoformat(),
                "schema": schema_version(),
                "ledger": ledger_head(),
                "databases": {},
                "storages": {},
            }
            for alias, part in DATABASE_PARTS.items():
                described, counts = _dump_database(alias, folder)
                manifest["databases"][alias] = {"part": part, "rows": counts, **described}
                target.put(f"{made.name}/{part}", folder / part)
                (folder / part).unlink()
                made.size += described["encrypted_bytes"]
                made.rows += sum(counts.values())
            for name, part in STORAGE_PARTS.items():
                described, hashes = _dump_storage(name, folder)
                manifest["storages"][name] = {"part": part, "objects": hashes, **described}
                target.put(f"{made.name}/{part}", folder / part)
                (folder / part).unlink()
                made.size += described["encrypted_bytes"]
                made.objects += len(hashes)
            sealed = pyrage.encrypt(json.dumps(manifest, sort_keys=True).encode(), keys.recipients())
            (folder / "manifest.age").write_bytes(sealed)
            (folder / SIGNATURE).write_bytes(keys.signing_key().sign(sealed))
            target.put(f"{made.name}/manifest.age", folder / "manifest.age")
            # Last: from here on the backup is complete and listed as good.
            target.put(f"{made.name}/{SIGNATURE}", folder / SIGNATURE)
        except BaseException:
            target.remove(made.name)
            raise
    made.size += len(sealed)
    made.manifest = manifest
    return made
