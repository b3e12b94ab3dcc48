from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _private_media_root(settings: Settings, tmp_path: Path) -> None:
    # Uploaded files of one test never land in var/ nor meet the files of another test.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.WARM_INDEX_DIR = str(tmp_path / "indexes")


@pytest.fixture(autouse=True)
def _language_of_the_test_starts_fresh() -> Iterator[None]:
    # A request through the test client activates the language it negotiated and leaves it active for the
    # thread: a test that reads a translated string must not depend on which test ran before it.
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
