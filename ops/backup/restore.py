"""`manage.py restore` and the restore drill's core: open a backup, prove it whole, then restore it.

Nothing is restored before everything is proven: the manifest's signature verifies, the manifest decrypts
with our identity, and every part is present with the size and SHA-256 the manifest names. Only then are
the databases and storages (which must be empty) filled, and what was restored is checked again: each
part's plaintext hash, each table's row count and each object's hash against the manifest.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pyrage
from django.core.files.storage import Storage

from ops.backup import keys, parts
from ops.backup.keys import BackupError
from ops.backup.make import FORMAT
from ops.backup.targets import SIGNATURE, Target


@dataclass
class Opened:
    name: str
    manifest: dict[str, Any]
    folder: Path
    # Part name -> its verified encrypted file in `folder`.
    files: dict[str, Path] = field(default_factory=dict)


@dataclass
class Restored:
    rows: int = 0
    objects: int = 0


@contextmanager
def open_backup(target: Target, name: str) -> Iterator[Opened]:
    """Fetch and prove a backup; its encrypted parts live in a private temp folder while in use."""
    with tempfile.TemporaryDirectory(prefix="omoikane-restore-") as temp:
        folder = Path(temp)
        present = target.keys(name)
        if SIGNATURE not in present:
            raise BackupError(f"{name} is not a complete backup (it has no signed manifest).")
        target.get(f"{name}/manifest.age", folder / "manifest.age")
        target.get(f"{name}/{SIGNATURE}", folder / SIGNATURE)
        sealed = (folder / "manifest.age").read_bytes()
        keys.check_signature(sealed, (folder / SIGNATURE).read_bytes())
        try:
            manifest = json.loads(pyrage.decrypt(sealed, [keys.identity()]))
        except pyrage.DecryptError:
            raise BackupError("The backup cannot be decrypted with this identity (wrong key).") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{name} is not a backup this version can read.")
        opened = Opened(name, manifest, folder)
        for described in [*manifest["databases"].values(), *manifest["storages"].values()]:
            part = described["part"]
            path = folder / part
            target.get(f"{name}/{part}", path)
            if path.stat().st_size != described["encrypted_bytes"]:
                raise BackupError(
                    f"The backup part {part} is truncated or grown: its size is not the manifest's."
                )
            if parts.file_sha256(path) != described["encrypted_sha256"]:
                raise BackupError(f"The backup part {part} was changed: its SHA-256 is not the manifest's.")
            opened.files[part] = path
        yield opened


def database_is_empty(db: dict[str, Any]) -> bool:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name.startswith("file:"):  # an in-memory database shared in this process: ask it, not the disk
            return not parts.sqlite_counts(name)
        return not Path(name).exists() or not parts.sqlite_counts(name)
    with psycopg.connect(**parts.pg_connect_kwargs(db)) as conn:
        found = conn.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    return found is not None and found[0] == 0


def storage_is_empty(storage: Storage) -> bool:
    return next(parts.walk(storage), None) is None


def _decrypt_to(path: Path, writer: Any, described: dict[str, Any], part: str) -> None:
    hashing = parts.HashingWriter(writer)
    with path.open("rb") as source:
        try:
            pyrage.decrypt_io(source, hashing, [keys.identity()])
        except pyrage.DecryptError:
            raise BackupError(f"The backup part {part} cannot be decrypted (wrong key or damaged).") from None
    if hashing.hexdigest() != described["sha256"]:
        raise BackupError(f"The backup part {part} decrypted to something else than was backed up.")


def _restore_database(opened: Opened, described: dict[str, Any], db: dict[str, Any]) -> int:
    part = described["part"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        if described["engine"] != "sqlite":
            raise BackupError("This backup holds a PostgreSQL database; restore it into PostgreSQL.")
        path = Path(str(db["NAME"]))
        if str(path).startswith("file:"):
            raise BackupError("A SQLite restore needs a database file, not an in-memory database.")
        with path.open("wb") as out:
            _decrypt_to(opened.files[part], out, described, part)
        counts = parts.sqlite_counts(path)
    else:
        if described["engine"] != "postgresql":
            raise BackupError("This backup holds a SQLite database; restore it into SQLite.")
        process = parts.pg_restore(db)
        stdin = process.stdin
        if stdin is None:  # opened with stdin=PIPE: never None
            raise BackupError("pg_restore could not be started.")
        try:
            _decrypt_to(opened.files[part], stdin, described, part)
        finally:
            stdin.close()
            errors = process.stderr.read() if process.stderr else b""
            process.wait()
        if process.returncode != 0:
            raise BackupError(f"pg_restore failed: {errors.decode(errors='replace')[:200]}")
        with psycopg.connect(**parts.pg_connect_kwargs(db)) as conn:
            tables = [
                r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ]
            counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # type: ignore[index]  # noqa: S608
    if counts != described["rows"]:
        differ = sorted(
            t for t in set(counts) | set(described["rows"]) if counts.get(t) != described["rows"].get(t)
        )
        raise BackupError(f"Restored row counts differ from the manifest in: {', '.join(differ[:5])}.")
    return sum(counts.values())


def _restore_storage(opened: Opened, described: dict[str, Any], storage: Storage) -> int:
    part = described["part"]
    hashes: dict[str, str] = {}
    with parts.threaded_pipe(
        lambda writer: _decrypt_to(opened.files[part], writer, described, part)
    ) as reader:
        parts.read_objects_tar(reader, storage, hashes)
    if hashes != described["objects"]:
        missing = sorted(set(described["objects"]) - set(hashes))
        raise BackupError(
            f"Restored objects differ from the manifest ({len(missing)} missing, "
            f"{sum(1 for k, v in hashes.items() if described['objects'].get(k) != v)} changed)."
        )
    return len(hashes)


def restore(
    opened: Opened, *, databases: Mapping[str, dict[str, Any]], storages: Mapping[str, Storage]
) -> Restored:
    """Restore a proven backup into empty databases and storages; refuse anything that is not empty."""
    for alias, db in databases.items():
        if not database_is_empty(db):
            raise BackupError(f"The {alias} database is not empty: restore only into an empty database.")
    for name, storage in storages.items():
        if not storage_is_empty(storage):
            raise BackupError(f"The {name} storage is not empty: restore only into an empty storage.")
    restored = Restored()
    for alias, db in databases.items():
        restored.rows += _restore_database(opened, opened.manifest["databases"][alias], db)
    for name, storage in storages.items():
        restored.objects += _restore_storage(opened, opened.manifest["storages"][name], storage)
    return restored
