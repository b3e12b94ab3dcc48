from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

SETTINGS_FILE = Path(settings.BASE_DIR) / "omoikane" / "settings.py"
# The production app server reads its own few variables before Django starts.
SERVER_CONFIG = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
README = Path(settings.BASE_DIR) / "README.md"


class ReadmeTests(SimpleTestCase):
    def test_it_documents_every_environment_variable(self) -> None:
        read = set(re.findall(r'env_[a-z_]+\(\s*"([A-Z_]+)"', SETTINGS_FILE.read_text()))
        self.assertGreater(len(read), 20)
        server = set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', SERVER_CONFIG.read_text()))
        self.assertEqual(sorted(server), ["OMOIKANE_BIND", "OMOIKANE_THREADS", "OMOIKANE_WORKERS"])
        read |= server
        documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README.read_text(), flags=re.MULTILINE))
        self.assertEqual(sorted(read - documented), [], "Add these to the README's configuration table")
        self.assertEqual(sorted(documented - read), [], "The README documents variables nothing reads")
