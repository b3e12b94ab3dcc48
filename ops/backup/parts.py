"""Streams that hash what passes through them, and the database engines' dump and restore.

A part is produced as a stream (pg_dump's output, a tar of stored objects written by a thread into a pipe,
SQLite's online-backup copy) and encrypted with age straight into a file of the backup's private temp
folder: no plaintext of PostgreSQL or of object storage ever reaches a disk here. SQLite's online backup API
needs a file: that copy lives in the same private temp folder, which is removed on every exit path.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import tarfile
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage

from ops.backup.keys import BackupError


class HashingReader:
    """Reads from `source`, keeping the SHA-256 and length of what was read."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.source.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


class HashingWriter:
    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.target.write(data)

    def flush(self) -> None:
        self.target.flush()

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def threaded_pipe(produce: Callable[[IO[bytes]], Any]) -> Iterator[IO[bytes]]:
    """A reader fed by `produce(writer)` in a thread; its error is raised here when the reader is done."""
    read_fd, write_fd = os.pipe()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with os.fdopen(write_fd, "wb") as writer:
                produce(writer)
        except BaseException as error:  # handed to the reading side, which raises it
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    with os.fdopen(read_fd, "rb") as reader:
        try:
            yield reader
        finally:
            # Drain so a producer blocked on a full pipe can finish and the thread ends.
            while reader.read(1 << 16):
                pass
    thread.join()
    if errors:
        raise errors[0]


# --- Stored objects ---------------------------------------------------------------------------------------


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return  # a filesystem storage's folder is made on its first file: none yet
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from walk(storage, f"{folder}/{directory}" if folder else directory)


def write_objects_tar(storage: Storage, writer: IO[bytes], hashes: dict[str, str]) -> None:
    """Every object of `storage` as one tar stream, its SHA-256 put in `hashes`."""
    with tarfile.open(fileobj=writer, mode="w|") as tar:
        for name in walk(storage):
            info = tarfile.TarInfo(name)
            info.size = storage.size(name)
            info.mode = 0o600
            with storage.open(name, "rb") as source:
                reader = HashingReader(source)
                tar.addfile(info, reader)
            hashes[name] = reader.hexdigest()


def read_objects_tar(reader: IO[bytes], storage: Storage, hashes: dict[str, str]) -> None:
    """Store every object of the tar stream, each under its own name, its SHA-256 put in `hashes`."""
    with tarfile.open(fileobj=reader, mode="r|") as tar:
        for member in tar:
            if not member.isfile() or member.name.startswith("/") or ".." in member.name.split("/"):
                raise BackupError(f"The backup holds an object with a name we never store: {member.name!r}.")
            source = tar.extractfile(member)
            if source is None:  # a regular file always has contents; this is a damaged tar
                raise BackupError(f"The backup holds an unreadable object: {member.name!r}.")
            hashing = HashingReader(source)
            content = File(hashing, name=member.name)  # type: ignore[arg-type]  # read() is all it uses
            content.size = member.size
            saved = storage.save(member.name, content)
            if saved != member.name:
                raise BackupError(f"The storage already held {member.name}: restore needs an empty storage.")
            hashes[member.name] = hashing.hexdigest()


# --- Databases --------------------------------------------------------------------------------------------


def pg_environment(db: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for `db`: the password travels in the environment, never on a command line."""
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db.get("NAME") or "",
        "PGSSLMODE": db.get("OPTIONS", {}).get("sslmode", ""),
        "PGSSLROOTCERT": db.get("OPTIONS", {}).get("sslrootcert", ""),
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def pg_connect_kwargs(db: dict[str, Any], *, dbname: str | None = None) -> dict[str, Any]:
    options = db.get("OPTIONS", {})
    values = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": dbname or db.get("NAME"),
        "sslmode": options.get("sslmode"),
        "sslrootcert": options.get("sslrootcert"),
    }
    return {key: value for key, value in values.items() if value is not None}


def sqlite_copy(source: str, destination: Path) -> dict[str, int]:
    """A consistent copy through SQLite's online backup API; the row count of every table."""
    # A "file:" name is an in-memory database shared within this process (Django's test databases).
    with (
        closing(sqlite3.connect(source, uri=source.startswith("file:"))) as live,
        closing(sqlite3.connect(destination)) as copy,
    ):
        live.backup(copy)
    return sqlite_counts(destination)


def sqlite_counts(path: Path | str) -> dict[str, int]:
    name = str(path)
    with closing(sqlite3.connect(name, uri=name.startswith("file:"))) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        return {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608 (names from sqlite_master)


def pg_dump(db: dict[str, Any], snapshot: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (fixed arguments; the values come from our settings)
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"],  # noqa: S607
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=pg_environment(db),
    )


def pg_restore(db: dict[str, Any]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (fixed arguments; the values come from our settings)
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", db["NAME"]],  # noqa: S607
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=pg_environment(db),
    )
