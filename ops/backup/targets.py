"""Where backups go: a folder, or a bucket of their own behind an S3 API (`s3://bucket/prefix`).

A target only ever receives encrypted files. A backup is a "directory" of parts whose signed manifest is
written last: a backup without `manifest.sig` is unfinished (killed, or the disk filled) and never listed
as good.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from django.conf import settings

from omoikane.storage import S3Connection
from ops.backup.keys import BackupError

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

SIGNATURE = "manifest.sig"


class Target(Protocol):
    description: str

    def put(self, key: str, source: Path) -> None: ...
    def get(self, key: str, destination: Path) -> None: ...
    def names(self) -> list[str]: ...
    def keys(self, backup: str) -> list[str]: ...
    def remove(self, backup: str) -> None: ...


def complete_backups(target: Target) -> list[str]:
    """Names of the backups whose manifest signature was written, oldest first."""
    return sorted(name for name in target.names() if SIGNATURE in target.keys(name))


class FolderTarget:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.description = f"folder {root}"

    def put(self, key: str, source: Path) -> None:
        destination = self.root / key
        partial = destination.with_name(destination.name + ".partial")
        try:
            destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(source, partial)
            # Renamed only once whole: a reader never sees half a part under its real name.
            partial.replace(destination)
        except OSError as error:
            partial.unlink(missing_ok=True)
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise BackupError(f"The backup target ({self.description}) is full.") from None
            raise BackupError(
                f"Could not write to the backup target ({self.description}): {error.strerror}."
            ) from None

    def get(self, key: str, destination: Path) -> None:
        source = self.root / key
        if not source.is_file():
            raise BackupError(f"The backup part {key} is missing from the target.")
        shutil.copyfile(source, destination)

    def names(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return [
            path.name for path in self.root.iterdir() if path.is_dir() and path.name.startswith("backup-")
        ]

    def keys(self, backup: str) -> list[str]:
        folder = self.root / backup
        return sorted(path.name for path in folder.iterdir() if path.is_file()) if folder.is_dir() else []

    def remove(self, backup: str) -> None:
        shutil.rmtree(self.root / backup, ignore_errors=True)


class S3Target:
    def __init__(self, connection: S3Connection, bucket: str, prefix: str) -> None:
        self.connection = connection
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.description = f"s3://{bucket}/{self.prefix}"

    def client(self) -> S3Client:
        # Imported here: a deployment that backs up to a folder never loads boto3.
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.connection.endpoint_url,
            region_name=self.connection.region,
            aws_access_key_id=self.connection.access_key_id,
            aws_secret_access_key=self.connection.secret_access_key,
            verify=self.connection.ca_bundle or True,
            config=Config(
                signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 3}
            ),
        )

    def put(self, key: str, source: Path) -> None:
        # Imported here: see client().
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client().upload_file(str(source), self.bucket, self.prefix + key)
        except (BotoCoreError, ClientError) as error:
            raise BackupError(
                f"Could not write to the backup target ({self.description}): {type(error).__name__}."
            ) from None

    def get(self, key: str, destination: Path) -> None:
        # Imported here: see client().
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client().download_file(self.bucket, self.prefix + key, str(destination))
        except (BotoCoreError, ClientError):
            raise BackupError(
                f"The backup part {key} is missing from the target or cannot be read."
            ) from None

    def _list(self, prefix: str, delimiter: str | None) -> tuple[list[str], list[str]]:
        client = self.client()
        keys: list[str] = []
        prefixes: list[str] = []
        kwargs = {"Bucket": self.bucket, "Prefix": prefix}
        if delimiter:
            kwargs["Delimiter"] = delimiter
        for page in client.get_paginator("list_objects_v2").paginate(**kwargs):  # type: ignore[arg-type]
            keys += [item["Key"] for item in page.get("Contents", [])]
            prefixes += [item["Prefix"] for item in page.get("CommonPrefixes", [])]
        return keys, prefixes

    def names(self) -> list[str]:
        _keys, prefixes = self._list(self.prefix, "/")
        names = [p[len(self.prefix) :].strip("/") for p in prefixes]
        return [name for name in names if name.startswith("backup-")]

    def keys(self, backup: str) -> list[str]:
        keys, _prefixes = self._list(f"{self.prefix}{backup}/", None)
        return sorted(key.rsplit("/", 1)[-1] for key in keys)

    def remove(self, backup: str) -> None:
        client = self.client()
        keys, _prefixes = self._list(f"{self.prefix}{backup}/", None)
        for key in keys:
            client.delete_object(Bucket=self.bucket, Key=key)


def s3_connection() -> S3Connection:
    if not (settings.BACKUP_S3_ENDPOINT_URL and settings.BACKUP_S3_ACCESS_KEY_ID):
        raise BackupError(
            "An s3:// BACKUP_TARGET needs BACKUP_S3_ENDPOINT_URL, BACKUP_S3_ACCESS_KEY_ID and "
            "BACKUP_S3_SECRET_ACCESS_KEY."
        )
    return S3Connection(
        endpoint_url=settings.BACKUP_S3_ENDPOINT_URL,
        region=settings.BACKUP_S3_REGION,
        access_key_id=settings.BACKUP_S3_ACCESS_KEY_ID,
        secret_access_key=settings.BACKUP_S3_SECRET_ACCESS_KEY or "",
        require_tls=settings.PRODUCTION,
    )


def configured_target(value: str | None = None) -> Target:
    """The target BACKUP_TARGET names (or `value`)."""
    value = value if value is not None else settings.BACKUP_TARGET
    if not value:
        raise BackupError("BACKUP_TARGET is not set: there is nowhere to keep backups.")
    if value.startswith("s3://"):
        parts = urlsplit(value)
        if not parts.netloc:
            raise BackupError(f"BACKUP_TARGET {value!r} names no bucket (s3://bucket/prefix).")
        return S3Target(s3_connection(), parts.netloc, parts.path)
    if "://" in value:
        raise BackupError(f"BACKUP_TARGET must be a folder path or s3://bucket/prefix; got {value!r}.")
    return FolderTarget(Path(value).expanduser())
