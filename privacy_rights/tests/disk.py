"""Erasure down to the bytes: a full account with a run-unique marker in every text field, file name and
address, erased through the real job, then scrubbed; and a scan of raw files for the marker.

Every canary starts with the run's token, and so does the address, so one search for the token finds any
of them in any file (the database files, the WAL, the storage trees), however the engine laid them out.

Run as a script (`python -m privacy_rights.tests.disk VAR_DIR`) it does the whole journey against SQLite
files in VAR_DIR and prints what the scans found, as JSON: test_erasure_on_disk.py runs it that way,
because the test suite's own SQLite databases live in memory.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Letters no hex digest or number contains, so a token cannot turn up by chance in a hash or a key.
TOKEN_ALPHABET = "ghjkmnpqrstvwxyz"


def new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(4))


def raw_hits(paths: Iterable[Path], token: str) -> list[str]:
    """Files (and the offset of the first occurrence) whose bytes contain the token."""
    needle = token.encode()
    hits = []
    for path in paths:
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # a WAL segment or an index file removed while we walked
            continue
        at = data.find(needle)
        if at >= 0:
            context = data[max(0, at - 20) : at + 30].decode("latin-1")
            hits.append(f"{path} @{at}: {context!r}")
    return hits


def files_under(*roots: Path, skip: Iterable[Path] = ()) -> list[Path]:
    skipped = [root.resolve() for root in skip]
    found = []
    for root in roots:
        for path in sorted(root.rglob("*")) if root.exists() else []:
            if path.is_file() and not any(path.resolve().is_relative_to(s) for s in skipped):
                found.append(path)
    return found


@dataclass
class Filled:
    token: str
    email: str
    user_id: int
    planted: Any


def fill_and_plant(token: str) -> Filled:
    """An account with data in every store and the token in every text field and file of it."""
    # Imported here, not at the top: the script form sets Django up first.
    from django.test import Client

    from omoikane.testing import make_user
    from privacy_kernel.registry import personal_models
    from privacy_rights.tests import canaries
    from privacy_rights.tests.factories import fill_account

    email = f"disk-{token}@example.org"
    user = make_user(email, name=f"Disk {token}")
    fill_account(user, Client())
    planted = canaries.Planted(prefix=token)
    canaries.plant(
        user,
        planted,
        [e for e in personal_models() if e.model._meta.label not in canaries.MADE_BY_ERASURE],
    )
    return Filled(token=token, email=email, user_id=user.pk, planted=planted)


def erase(filled: Filled) -> None:
    """Ask for the erasure as the delete page does, plant in the request too, and let the worker run it."""
    # Imported here, not at the top: the script form sets Django up first.
    from django.core.management import call_command

    from accounts.models import User
    from privacy_kernel.audit import Actor
    from privacy_kernel.models import ErasureRequest
    from privacy_kernel.registry import personal_models
    from privacy_rights.actions import do_request_erasure
    from privacy_rights.tests import canaries

    user = User.objects.get(pk=filled.user_id)
    erasure = do_request_erasure(user, actor=Actor.system("test"))
    canaries.plant(user, filled.planted, [e for e in personal_models() if e.model is ErasureRequest])
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    if ErasureRequest.objects.filter(pk=erasure.pk).exists():
        raise AssertionError("the erasure did not finish")


def _sqlite_journey(var_dir: Path) -> dict[str, object]:
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    for alias in ("default", "traces"):
        call_command("migrate", database=alias, verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    # A second process's connection to each file, open throughout, as the web server's and the worker's are
    # in production: SQLite checkpoints and removes a WAL by itself only when its last connection closes.
    held = [sqlite3.connect(settings.DATABASES[alias]["NAME"]) for alias in ("default", "traces")]
    for connection in held:
        # A connection counts as open for the WAL only once it has read.
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    token = new_token()
    # The receipt emailed to the user is in their mailbox, not in our stores; development writes it here.
    skip = [var_dir / "mail", Path(settings.STATIC_ROOT)]
    filled = fill_and_plant(token)
    planted = raw_hits(files_under(var_dir, skip=skip), token)
    erase(filled)
    erased = raw_hits(files_under(var_dir, skip=skip), token)
    call_command("scrub_erased", verbosity=0)
    files = files_under(var_dir, skip=skip)
    for connection in held:
        connection.close()
    return {
        "token": token,
        "canaries": len(filled.planted.all),
        "files": {str(f.relative_to(var_dir)): f.stat().st_size for f in files},
        "planted": planted,
        "erased": erased,
        "after": raw_hits(files, token),
    }


if __name__ == "__main__":
    var = Path(sys.argv[1])
    os.environ["VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omoikane.settings")
    print(json.dumps(_sqlite_journey(var)))
