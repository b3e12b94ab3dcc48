"""Object storage: the STORAGES entries settings.py uses, and the names stored files get.

Files live in var/ by default and in S3-compatible object storage (SeaweedFS or MinIO in the EEA, through
django-storages and boto3) when STORAGE_BACKEND=s3. Either way every stored file is private: nothing here
gives a file a public address, and only our own views ever hand a file to a browser.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"

# Readable by the account that runs the web server and the worker, by nobody else on the host.
PRIVATE_FILE_MODES = {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700}

# A signed URL should never be needed (our views stream files); if one is ever made, it lives briefly.
SIGNED_URL_SECONDS = 300

_PREFIX = re.compile(r"[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*")
_SUFFIX = re.compile(r"[a-z0-9]{1,8}")
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_REGION = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def new_object_name(prefix: str, suffix: str) -> str:
    """A fresh name chosen here, e.g. "materials/2026/11/<32 hex digits>.pdf": nothing of the user's in it.

    The prefix is one or more lowercase path segments chosen by the code, the suffix 1 to 8 lowercase letters
    or digits (map a content type to it; never take it from an uploaded file's name).
    """
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"An object name prefix is lowercase path segments; got {prefix!r}.")
    if not _SUFFIX.fullmatch(suffix):
        raise ValueError(f"An object name suffix is 1 to 8 lowercase letters or digits; got {suffix!r}.")
    return f"{prefix}/{datetime.now(UTC):%Y/%m}/{uuid.uuid4().hex}.{suffix}"


def filesystem_storages(*, archive_root: Path) -> dict[str, dict[str, Any]]:
    """The default storage (in MEDIA_ROOT) and the archive storage (apart from it) on the local disk."""
    return {
        # No location: it follows MEDIA_ROOT, also when a test points MEDIA_ROOT elsewhere.
        "default": {"BACKEND": FILESYSTEM_BACKEND, "OPTIONS": dict(PRIVATE_FILE_MODES)},
        "archive": {
            "BACKEND": FILESYSTEM_BACKEND,
            "OPTIONS": {"location": str(archive_root), **PRIVATE_FILE_MODES},
        },
    }


@dataclass(frozen=True, kw_only=True)
class S3Connection:
    """Where the S3 API is and who we are there; checked when made, so a bad value stops the start."""

    endpoint_url: str
    region: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    # A CA certificate file to verify the endpoint with, instead of the system's CAs.
    ca_bundle: str | None = None
    # The production profile: object storage is on other hosts, so the files travel over TLS only.
    require_tls: bool

    def __post_init__(self) -> None:
        parts = urlsplit(self.endpoint_url)
        if parts.username is not None or parts.password is not None:
            raise ImproperlyConfigured(
                "S3_ENDPOINT_URL must not hold credentials; use S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY."
            )
        try:
            parts.port  # noqa: B018  (raises ValueError for a malformed port)
        except ValueError:
            valid_port = False
        else:
            valid_port = True
        if (
            parts.scheme not in {"http", "https"}
            or not parts.hostname
            or not valid_port
            or parts.path not in {"", "/"}
            or parts.query
            or parts.fragment
        ):
            raise ImproperlyConfigured(
                "S3_ENDPOINT_URL must be http(s)://host[:port] without a path or query; "
                f"got {self.endpoint_url!r}."
            )
        if self.require_tls and parts.scheme != "https":
            raise ImproperlyConfigured(
                f"S3_ENDPOINT_URL must use https:// in the production profile; got {self.endpoint_url!r}."
            )
        if len(self.region) > 32 or not _REGION.fullmatch(self.region):
            raise ImproperlyConfigured(
                f"S3_REGION must be a region name such as eu-central-1; got {self.region!r}."
            )
        if self.ca_bundle is not None and not Path(self.ca_bundle).is_file():
            raise ImproperlyConfigured(
                f"S3_CA_BUNDLE must name a CA certificate file; got {self.ca_bundle!r}."
            )


def s3_storages(connection: S3Connection, *, bucket: str, archive_bucket: str) -> dict[str, dict[str, Any]]:
    """The default storage and the archive storage as two private buckets behind one S3 endpoint.

    settings.py builds its STORAGES from this and the S3 tests build their storages from it too, so what the
    tests prove against a real server is what production runs.
    """
    for name, value in (("S3_BUCKET", bucket), ("S3_ARCHIVE_BUCKET", archive_bucket)):
        if not _BUCKET.fullmatch(value) or ".." in value:
            raise ImproperlyConfigured(
                f"{name} must be a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens; "
                f"got {value!r}."
            )
    if bucket == archive_bucket:
        raise ImproperlyConfigured("S3_ARCHIVE_BUCKET must differ from S3_BUCKET: archives are kept apart.")
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": _s3_options(connection, bucket)},
        "archive": {"BACKEND": S3_BACKEND, "OPTIONS": _s3_options(connection, archive_bucket)},
    }


def _s3_options(connection: S3Connection, bucket: str) -> dict[str, Any]:
    # Imported here: a filesystem deployment never loads botocore.
    from botocore.config import Config

    return {
        "bucket_name": bucket,
        "endpoint_url": connection.endpoint_url,
        "region_name": connection.region,
        # Every credential is explicit, so none comes from AWS_* variables or ~/.aws of the host.
        "access_key": connection.access_key_id,
        "secret_key": connection.secret_access_key,
        "security_token": None,
        "session_profile": None,
        "verify": connection.ca_bundle or True,
        # No ACL on upload: objects stay as private as the bucket, which grants nothing to anonymous users.
        "default_acl": None,
        # url() only ever makes short-lived signed URLs, never a bare public one; no custom (CDN) domain.
        "querystring_auth": True,
        "querystring_expire": SIGNED_URL_SECONDS,
        "custom_domain": None,
        # A second file saved under a taken name gets another name instead of replacing the first.
        "file_overwrite": False,
        "location": "",
        "gzip": False,
        "object_parameters": {},
        # With a client_config, django-storages ignores its signature_version and addressing_style options:
        # both are set here. Path-style addressing is what SeaweedFS and MinIO serve without wildcard DNS.
        "client_config": Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            connect_timeout=5,
            read_timeout=30,
            retries={"mode": "standard", "max_attempts": 3},
        ),
    }


class _ArchiveStorage(LazyObject):  # type: ignore[type-arg]
    """The "archive" storage, looked up when first used, and again after a test changes STORAGES."""

    def _setup(self) -> None:
        self._wrapped = storages["archive"]


_archive_storage = _ArchiveStorage()


def archive_storage() -> Storage:
    """For FileField(storage=archive_storage): files kept apart from uploads (audit archives, export zips)."""
    # The lazy object stands in for the Storage it wraps (as django's default_storage does).
    storage: Storage = _archive_storage  # type: ignore[assignment]
    return storage


@receiver(setting_changed)
def _forget_archive_storage(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _archive_storage._wrapped = empty  # type: ignore[assignment]
