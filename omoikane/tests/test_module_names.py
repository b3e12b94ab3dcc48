from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

BASE_DIR = Path(settings.BASE_DIR)


class ModuleNameTests(SimpleTestCase):
    """A script's own folder comes first on sys.path, so `bench/calendar.py` once replaced the standard
    `calendar` for every import of the failover drill (http.cookiejar imports it). Apps sit on the path
    too."""

    def test_no_script_or_app_shadows_a_standard_module(self) -> None:
        names = {path.stem for path in (BASE_DIR / "bench").glob("*.py")}
        names |= {path.parent.name for path in BASE_DIR.glob("*/apps.py")}
        self.assertGreater(len(names), 20)
        self.assertEqual(sorted(names & sys.stdlib_module_names), [])
