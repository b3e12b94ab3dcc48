"""Backups with S3 on both sides, against a real SeaweedFS: uploads and archives in their buckets, the
backup in a bucket of its own (`BACKUP_TARGET=s3://…`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.test import override_settings

from materials.tests.factories import add_material
from omoikane.storage import s3_storages
from omoikane.testing import make_user
from omoikane.tests.s3 import REGION, S3Server, seaweedfs
from ops.backup.drill import scratch_database
from ops.backup.keys import BackupError
from ops.backup.make import make_backup
from ops.backup.restore import open_backup, restore
from ops.backup.targets import complete_backups, configured_target

MEDIA, ARCHIVE, BACKUPS = "omoikane-bk-media", "omoikane-bk-archive", "omoikane-bk-backups"
STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with seaweedfs((MEDIA, ARCHIVE, BACKUPS)) as server:
        yield server


@pytest.fixture
def s3_settings(s3: S3Server, tmp_path: Path) -> Iterator[None]:
    with override_settings(
        VAR_DIR=tmp_path / "var",
        STORAGES={
            **s3_storages(s3.connection(), bucket=MEDIA, archive_bucket=ARCHIVE),
            "staticfiles": STATIC,
        },
        BACKUP_TARGET=f"s3://{BACKUPS}/{tmp_path.name}",
        BACKUP_S3_ENDPOINT_URL=s3.endpoint_url,
        BACKUP_S3_REGION=REGION,
        BACKUP_S3_ACCESS_KEY_ID=s3.access_key_id,
        BACKUP_S3_SECRET_ACCESS_KEY=s3.secret_access_key,
    ):
        yield


@pytest.mark.django_db(transaction=True, databases=["default", "traces"])
def test_it_round_trips_through_s3(s3: S3Server, s3_settings: None, tmp_path: Path) -> None:
    material = add_material(make_user("s3-alice@example.org"), as_file=True)
    original = storages["default"].open(str(material.original.name)).read()
    target = configured_target()
    made = make_backup(target)
    assert complete_backups(target) == [made.name]
    # Only ciphertext in the backup bucket.
    admin = s3.admin_client()
    for item in admin.list_objects_v2(Bucket=BACKUPS, Prefix=f"{tmp_path.name}/{made.name}/")["Contents"]:
        body = admin.get_object(Bucket=BACKUPS, Key=item["Key"])["Body"].read()
        assert b"Fjordpay" not in body
        assert b"s3-alice@example.org" not in body
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    # Scratch databases of the engine under test, as the restore drill makes them.
    with ExitStack() as stack:
        databases = {
            alias: stack.enter_context(scratch_database(alias, scratch)) for alias in ("default", "traces")
        }
        restored_storages = {
            "default": FileSystemStorage(location=scratch / "media"),
            "archive": FileSystemStorage(location=scratch / "archive"),
        }
        with open_backup(target, made.name) as opened:
            restored = restore(opened, databases=databases, storages=restored_storages)
        assert restored.objects == made.objects >= 1
        assert restored_storages["default"].open(str(material.original.name)).read() == original


@pytest.mark.django_db(transaction=True, databases=["default", "traces"])
def test_it_refuses_a_tampered_object_in_the_bucket(s3: S3Server, s3_settings: None, tmp_path: Path) -> None:
    add_material(make_user("s3-bob@example.org"), as_file=True)
    target = configured_target()
    made = make_backup(target)
    key = f"{tmp_path.name}/{made.name}/objects-default.age"
    admin = s3.admin_client()
    body = bytearray(admin.get_object(Bucket=BACKUPS, Key=key)["Body"].read())
    body[200] ^= 0xFF
    admin.put_object(Bucket=BACKUPS, Key=key, Body=bytes(body))
    with (
        pytest.raises(BackupError, match=r"objects-default\.age was changed"),
        open_backup(target, made.name),
    ):
        pass


def test_it_needs_the_backup_credentials_for_an_s3_target() -> None:
    with (
        override_settings(BACKUP_TARGET="s3://bucket/prefix", BACKUP_S3_ENDPOINT_URL=None),
        pytest.raises(BackupError, match="BACKUP_S3_ENDPOINT_URL"),
    ):
        configured_target()
