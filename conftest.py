from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _private_media_root(settings: Settings, tmp_path: Path) -> None:
    # Uploaded files of one test never land in var/ nor meet the files of another test.
    settings.MEDIA_ROOT = str(tmp_path / "media")
