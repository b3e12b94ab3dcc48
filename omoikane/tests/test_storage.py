"""Object storage: the filesystem default, and the S3 configuration proved against a real SeaweedFS."""

from __future__ import annotations

import io
import os
import re
import stat
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage, storages
from django.core.management import call_command
from django.test import override_settings
from pyrage import x25519
from pytest_django.fixtures import Settings

from materials.actions import do_add_material
from materials.tests.extraction.documents import cv_docx
from omoikane.storage import S3Connection, new_object_name, s3_storages
from omoikane.testing import make_user
from omoikane.tests.s3 import BUCKETS, S3Server, seaweedfs
from privacy_kernel.audit import Actor
from privacy_rights.archive import decode_object, decrypt
from privacy_rights.export import write_export
from privacy_rights.retention import delete_archives_of, run_retention
from privacy_rights.tests.archiving import NOW, at, record_at

MEDIA_BUCKET, ARCHIVE_BUCKET = BUCKETS


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with seaweedfs() as server:
        yield server


def s3_storage(connection: S3Connection, alias: str = "default") -> Storage:
    """A storage built exactly as settings.py builds STORAGES, through Django's own storage handler."""
    config = s3_storages(connection, bucket=MEDIA_BUCKET, archive_bucket=ARCHIVE_BUCKET)
    return storages.create_storage(config[alias])


def http_status(url: str) -> int:
    """The status of a plain GET: no credentials, no signature."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (a loopback http URL)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def settings_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("S3_", "STORAGE_", "AWS_", "DATABASE", "EMAIL"))
    }
    env.update(DJANGO_SETTINGS_MODULE="omoikane.settings", OMOIKANE_PROFILE="development")
    env.update(extra)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(settings.BASE_DIR),
        check=False,
        timeout=60,
    )


# --- The S3 path, against SeaweedFS ------------------------------------------------------------------------


def test_it_saves_reads_and_deletes_a_file(s3: S3Server) -> None:
    storage = s3_storage(s3.connection())
    content = os.urandom(200_000)
    name = storage.save(new_object_name("materials", "pdf"), ContentFile(content))

    assert storage.exists(name)
    assert storage.size(name) == len(content)
    with storage.open(name) as stored:
        assert stored.read() == content
    head = s3.admin_client().head_object(Bucket=MEDIA_BUCKET, Key=name)
    assert head["ContentLength"] == len(content)

    storage.delete(name)
    assert not storage.exists(name)


def test_it_stores_a_large_file_in_parts(s3: S3Server) -> None:
    storage = s3_storage(s3.connection())
    content = os.urandom(9 * 1024 * 1024)  # above boto3's 8 MiB multipart threshold, like a big export zip
    name = storage.save(new_object_name("exports", "zip"), ContentFile(content))
    try:
        with storage.open(name) as stored:
            assert stored.read() == content
    finally:
        storage.delete(name)


def test_it_keeps_the_archive_in_its_own_bucket(s3: S3Server) -> None:
    archive = s3_storage(s3.connection(), "archive")
    name = archive.save(new_object_name("audit", "bin"), ContentFile(b"sealed"))
    try:
        admin = s3.admin_client()
        assert admin.head_object(Bucket=ARCHIVE_BUCKET, Key=name)["ContentLength"] == 6
        with pytest.raises(ClientError) as missing:
            admin.head_object(Bucket=MEDIA_BUCKET, Key=name)
        assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    finally:
        archive.delete(name)


def test_it_never_makes_a_file_public(s3: S3Server) -> None:
    storage = s3_storage(s3.connection())
    name = storage.save(new_object_name("letters", "pdf"), ContentFile(b"%PDF-1.7 private"))
    try:
        assert http_status(f"{s3.endpoint_url}/{MEDIA_BUCKET}/{name}") == 403
        assert http_status(f"{s3.endpoint_url}/{MEDIA_BUCKET}/") == 403
        # url() only ever signs, and briefly: no address reaches the file without a fresh signature.
        signed = storage.url(name)
        assert "X-Amz-Signature=" in signed
        assert "X-Amz-Expires=300" in signed
        assert http_status(signed) == 200
    finally:
        storage.delete(name)


def test_it_refuses_wrong_credentials(s3: S3Server) -> None:
    storage = s3_storage(s3.connection())
    name = storage.save(new_object_name("materials", "txt"), ContentFile(b"mine"))
    try:
        for wrong in (
            s3.connection(secret_access_key="not-the-secret"),
            s3.connection(access_key_id="UNKNOWNKEY", secret_access_key="not-the-secret"),
        ):
            impostor = s3_storage(wrong)
            with pytest.raises(ClientError) as refused:
                impostor.save(new_object_name("materials", "txt"), ContentFile(b"theirs"))
            assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
            # Refused, not "missing": a health check on exists() must fail rather than pass quietly.
            with pytest.raises(ClientError):
                impostor.exists(name)
            with pytest.raises(ClientError):
                impostor.open(name).read()
        assert storage.exists(name)
    finally:
        storage.delete(name)


def test_it_never_overwrites_a_file_saved_under_the_same_name(s3: S3Server) -> None:
    storage = s3_storage(s3.connection())
    requested = new_object_name("materials", "txt")
    first = storage.save(requested, ContentFile(b"first"))
    second = storage.save(requested, ContentFile(b"second"))
    try:
        assert first == requested
        assert second != first
        with storage.open(first) as stored:
            assert stored.read() == b"first"
        with storage.open(second) as stored:
            assert stored.read() == b"second"
    finally:
        storage.delete(first)
        storage.delete(second)


def test_it_configures_s3_from_the_environment(s3: S3Server, tmp_path: Path) -> None:
    # settings.py itself, from the environment, then Django's own default_storage and storages["archive"].
    code = (
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage, storages\n"
        "print(default_storage.save('probe/settings.txt', ContentFile(b'default')))\n"
        "print(storages['archive'].save('probe/settings.txt', ContentFile(b'archive')))\n"
    )
    env = settings_env(
        VAR_DIR=str(tmp_path),
        STORAGE_BACKEND="s3",
        S3_ENDPOINT_URL=s3.endpoint_url,
        S3_BUCKET=MEDIA_BUCKET,
        S3_ARCHIVE_BUCKET=ARCHIVE_BUCKET,
        S3_ACCESS_KEY_ID=s3.access_key_id,
        S3_SECRET_ACCESS_KEY=s3.secret_access_key,
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    media_name, archive_name = result.stdout.split()
    admin = s3.admin_client()
    try:
        assert admin.get_object(Bucket=MEDIA_BUCKET, Key=media_name)["Body"].read() == b"default"
        assert admin.get_object(Bucket=ARCHIVE_BUCKET, Key=archive_name)["Body"].read() == b"archive"
    finally:
        admin.delete_object(Bucket=MEDIA_BUCKET, Key=media_name)
        admin.delete_object(Bucket=ARCHIVE_BUCKET, Key=archive_name)


@pytest.mark.django_db
def test_it_keeps_audit_archives_in_the_archive_bucket(
    s3: S3Server, settings: Settings, tmp_path: Path
) -> None:
    # The whole retention round trip on S3: archive, verify with the offline identity, erase.
    offline = x25519.Identity.generate()
    identity_file = tmp_path / "identity.txt"
    identity_file.write_text(f"{offline}\n")
    config = s3_storages(s3.connection(), bucket=MEDIA_BUCKET, archive_bucket=ARCHIVE_BUCKET)
    settings.STORAGES = {**settings.STORAGES, "archive": config["archive"]}
    settings.AUDIT_ARCHIVE_RECIPIENT = [str(offline.to_public())]
    settings.AUDIT_ARCHIVE_SERVER_KEY = None
    alice = make_user("alice@example.org")
    record_at(alice, [at(2027, 1, 5), at(2027, 1, 6), at(2027, 6, 1)])

    report = run_retention(now=NOW)

    name = f"audit/{alice.pk}/2027-01.jsonl.age"
    assert report.objects_written == 1
    admin = s3.admin_client()
    sealed = admin.get_object(Bucket=ARCHIVE_BUCKET, Key=name)["Body"].read()
    header, lines = decode_object(decrypt(sealed, [offline]))
    assert (header.subject_id, header.event_count, [line["sequence"] for line in lines]) == (
        alice.pk,
        2,
        [1, 2],
    )
    with pytest.raises(ClientError):
        admin.head_object(Bucket=MEDIA_BUCKET, Key=name)
    out = StringIO()
    call_command("audit_verify", "--identity", str(identity_file), stdout=out)
    assert "2 archived events decrypted and verified" in out.getvalue()

    assert delete_archives_of(alice.pk) == 1
    with pytest.raises(ClientError) as gone:
        admin.head_object(Bucket=ARCHIVE_BUCKET, Key=name)
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


# --- Configuration -----------------------------------------------------------------------------------------


def test_it_stops_at_start_up_without_a_bucket(tmp_path: Path) -> None:
    env = settings_env(
        VAR_DIR=str(tmp_path),
        STORAGE_BACKEND="s3",
        S3_ENDPOINT_URL="https://s3.omoikane.example",
        S3_ARCHIVE_BUCKET="omoikane-archive",
        S3_ACCESS_KEY_ID="omoikane",
        S3_SECRET_ACCESS_KEY="not-a-real-secret",
    )
    result = run_python("import omoikane.settings", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: The environment variable S3_BUCKET is required." in result.stderr


def test_it_refuses_a_malformed_storage_backend(tmp_path: Path) -> None:
    result = run_python("import omoikane.settings", settings_env(VAR_DIR=str(tmp_path), STORAGE_BACKEND="S3"))
    assert result.returncode != 0
    assert "STORAGE_BACKEND must be one of filesystem, s3; got 'S3'." in result.stderr


def connection(**overrides: object) -> S3Connection:
    values: dict[str, object] = {
        "endpoint_url": "https://s3.omoikane.example:8333",
        "region": "eu-central-1",
        "access_key_id": "omoikane",
        "secret_access_key": "not-a-real-secret",
        "require_tls": True,
    }
    values.update(overrides)
    return S3Connection(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"endpoint_url": "s3.omoikane.example"}, "S3_ENDPOINT_URL must be http"),
        ({"endpoint_url": "ftp://s3.omoikane.example"}, "S3_ENDPOINT_URL must be http"),
        ({"endpoint_url": "https://s3.omoikane.example/bucket"}, "S3_ENDPOINT_URL must be http"),
        ({"endpoint_url": "https://s3.omoikane.example?x=1"}, "S3_ENDPOINT_URL must be http"),
        ({"endpoint_url": "https://s3.omoikane.example:port"}, "S3_ENDPOINT_URL must be http"),
        ({"endpoint_url": "https://key:secret@s3.omoikane.example"}, "must not hold credentials"),
        ({"endpoint_url": "http://s3.omoikane.example"}, "must use https:// in the production profile"),
        ({"region": "EU Central"}, "S3_REGION must be a region name"),
        ({"ca_bundle": "no/such/ca.pem"}, "S3_CA_BUNDLE must name a CA certificate file"),
    ],
)
def test_it_refuses_a_malformed_s3_connection(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        connection(**overrides)


def test_it_never_echoes_credentials_from_the_endpoint() -> None:
    with pytest.raises(ImproperlyConfigured) as error:
        connection(endpoint_url="https://key:hunter2@s3.omoikane.example")
    assert "hunter2" not in str(error.value)


def test_it_refuses_bad_or_shared_buckets() -> None:
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET must be a bucket name"):
        s3_storages(connection(), bucket="Omoikane_Media", archive_bucket="omoikane-archive")
    with pytest.raises(ImproperlyConfigured, match="S3_ARCHIVE_BUCKET must be a bucket name"):
        s3_storages(connection(), bucket="omoikane-media", archive_bucket="ab")
    with pytest.raises(ImproperlyConfigured, match="S3_ARCHIVE_BUCKET must differ from S3_BUCKET"):
        s3_storages(connection(), bucket="omoikane", archive_bucket="omoikane")


def test_it_configures_s3_storage_as_private(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    config = s3_storages(
        connection(ca_bundle=str(ca)), bucket="omoikane-media", archive_bucket="omoikane-archive"
    )
    assert config["default"]["BACKEND"] == config["archive"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["archive"]["OPTIONS"]["bucket_name"] == "omoikane-archive"
    options = config["default"]["OPTIONS"]
    assert options["bucket_name"] == "omoikane-media"
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["custom_domain"] is None
    assert options["file_overwrite"] is False
    assert options["verify"] == str(ca)
    assert options["client_config"].signature_version == "s3v4"
    assert options["client_config"].s3 == {"addressing_style": "path"}


def test_it_keeps_files_in_var_by_default() -> None:
    assert settings.STORAGE_BACKEND == "filesystem"
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert settings.STORAGES["archive"]["OPTIONS"]["location"] == str(Path(settings.VAR_DIR) / "archive")
    assert "staticfiles" in settings.STORAGES


def test_it_keeps_files_on_disk_readable_by_the_app_alone(tmp_path: Path) -> None:
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        name = default_storage.save(new_object_name("materials", "txt"), ContentFile(b"private"))
        path = Path(default_storage.path(name))
    assert path.is_relative_to(tmp_path / "media")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


# --- Object names ------------------------------------------------------------------------------------------


def test_it_names_objects_without_anything_of_the_user() -> None:
    name = new_object_name("materials", "pdf")
    assert re.fullmatch(r"materials/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", name)
    assert new_object_name("exports/zips", "zip").startswith("exports/zips/")
    assert new_object_name("materials", "pdf") != name


@pytest.mark.parametrize("suffix", ["", "PDF", "tar.gz", "../pdf", "pdf/", "abcdefghi", "pdf\n"])
def test_it_refuses_a_suffix_outside_the_whitelist(suffix: str) -> None:
    with pytest.raises(ValueError, match="suffix"):
        new_object_name("materials", suffix)


@pytest.mark.parametrize("prefix", ["", "/materials", "materials/", "../materials", "Materials", "a//b"])
def test_it_refuses_a_malformed_prefix(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        new_object_name(prefix, "pdf")


@pytest.mark.django_db(databases="__all__")
def test_it_writes_an_export_into_s3(s3: S3Server) -> None:
    # On S3 the zip is made into a temporary file first (the uploader reads in threads of its own).
    storage = s3_storage(s3.connection())
    alice = make_user("alice@example.org")
    docx = do_add_material(
        alice, kind="cv", title="Word CV", actor=Actor.system("test"), data=cv_docx(), file_name="cv.docx"
    )
    name = new_object_name("exports", "zip")
    try:
        saved, size = write_export(alice, storage, name)
        assert (saved, size) == (name, storage.size(name))
        with storage.open(name) as stored:
            archive = zipfile.ZipFile(io.BytesIO(stored.read()))
        assert archive.testzip() is None
        assert archive.read(f"materials/{docx.pk}-word-cv/original.docx") == docx.original.read()
    finally:
        storage.delete(name)
