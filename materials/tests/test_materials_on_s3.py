"""The material upload path end to end on a real S3 server (SeaweedFS), as production runs it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from materials.models import Material
from materials.tests.factories import CV_TEXT
from omoikane.storage import s3_storages
from omoikane.testing import make_user
from omoikane.tests.s3 import BUCKETS, S3Server, seaweedfs

MEDIA_BUCKET, ARCHIVE_BUCKET = BUCKETS


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with seaweedfs() as server:
        yield server


@pytest.fixture
def on_s3(s3: S3Server) -> Iterator[S3Server]:
    stores = s3_storages(s3.connection(), bucket=MEDIA_BUCKET, archive_bucket=ARCHIVE_BUCKET)
    with override_settings(STORAGES={**stores, "staticfiles": settings.STORAGES["staticfiles"]}):
        yield s3


def object_keys(s3: S3Server) -> list[str]:
    listing = s3.admin_client().list_objects_v2(Bucket=MEDIA_BUCKET)
    return [item["Key"] for item in listing.get("Contents", [])]


@pytest.mark.django_db
def test_it_stores_downloads_and_deletes_a_material_on_s3(on_s3: S3Server, client: Client) -> None:
    alice = make_user("alice@example.org")
    client.force_login(alice)
    before = set(object_keys(on_s3))
    upload = SimpleUploadedFile("cv.md", CV_TEXT.encode())
    client.post(reverse("materials:add"), {"kind": "cv", "file": upload})
    material = Material.objects.get(user=alice)
    new_keys = set(object_keys(on_s3)) - before
    assert new_keys == {material.original.name}
    assert str(material.original.name).startswith("materials/")

    response = client.get(reverse("materials:download", args=[material.pk]))
    assert b"".join(response.streaming_content) == CV_TEXT.encode()  # type: ignore[attr-defined]

    client.post(reverse("materials:delete", args=[material.pk]))
    assert set(object_keys(on_s3)) == before
    assert not Material.objects.exists()


@pytest.mark.django_db
def test_it_leaves_no_object_behind_when_the_upload_is_refused(on_s3: S3Server, client: Client) -> None:
    alice = make_user("alice@example.org")
    client.force_login(alice)
    before = set(object_keys(on_s3))
    response = client.post(
        reverse("materials:add"), {"kind": "cv", "file": SimpleUploadedFile("cv.pdf", b"%PDF-1.7\n garbage")}
    )
    assert response.status_code == 400
    assert set(object_keys(on_s3)) == before
    assert not Material.objects.exists()
