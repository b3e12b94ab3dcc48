from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _private_archive_root(settings: Settings, tmp_path: Path) -> None:
    # Export zips and audit archives of one test land in its own directory, never in var/.
    archive = dict(settings.STORAGES["archive"])
    archive["OPTIONS"] = {**archive.get("OPTIONS", {}), "location": str(tmp_path / "archive")}
    settings.STORAGES = {**settings.STORAGES, "archive": archive}
