"""Backup and restore of a large account: throughput (MiB/s) and peak memory.

`.venv/bin/python bench/backup.py` (`--help` for the options) seeds one account as the export bench does
(bench/export_erasure.py: --files-mb of incompressible uploaded files, --records rows and as many chained
audit events), then runs, each in a fresh child process so its peak memory is its own:

1. an idle child (Django set up, the backup modules imported): the baseline memory;
2. `make_backup` to a folder target: the databases and objects streamed through age, manifest signed;
3. a restore of that backup into scratch SQLite files and folders (`open_backup` + `restore`: every
   part's hash checked first, then row counts and object hashes again);
4. the full restore drill (`run_drill`: the restore plus `audit_verify` and `replay_deletions` on the copy).

Throughput is the plaintext bytes (databases + objects) over the wall time. Flat memory means the parts
stream: the peak should stay near the idle child's however large the account. SQLite only; everything
lives in a temporary directory. Results go to bench/results/backup.json (or --json PATH).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results" / "backup.json"
MIB = 2**20


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files-mb", type=int, default=256, help="total size of uploaded files (256)")
    parser.add_argument("--file-mb", type=int, default=8, help="size of each uploaded file (8)")
    parser.add_argument("--records", type=int, default=10_000, help="rows besides the files (10,000)")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write results ({RESULTS})")
    parser.add_argument("--child", choices=["idle", "backup", "restore", "drill"], help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def child(kind: str) -> None:
    import django

    django.setup()
    from django.core.files.storage import FileSystemStorage

    from bench.run import peak_memory_mib
    from ops.backup.drill import run_drill
    from ops.backup.make import make_backup
    from ops.backup.restore import open_backup, restore
    from ops.backup.targets import complete_backups, configured_target

    began = time.perf_counter()
    detail: dict[str, Any] = {}
    if kind == "backup":
        made = make_backup()
        plain = sum(
            p["bytes"] for p in [*made.manifest["databases"].values(), *made.manifest["storages"].values()]
        )
        detail = {
            "plaintext_bytes": plain,
            "encrypted_bytes": made.size,
            "rows": made.rows,
            "objects": made.objects,
        }
    elif kind == "restore":
        target = configured_target()
        with tempfile.TemporaryDirectory(prefix="omoikane-bench-restore-") as temporary:
            scratch = Path(temporary)
            engine = "django.db.backends.sqlite3"
            with open_backup(target, complete_backups(target)[-1]) as opened:
                restored = restore(
                    opened,
                    databases={
                        "default": {"ENGINE": engine, "NAME": str(scratch / "db.sqlite3")},
                        "traces": {"ENGINE": engine, "NAME": str(scratch / "traces.sqlite3")},
                    },
                    storages={
                        "default": FileSystemStorage(location=scratch / "media"),
                        "archive": FileSystemStorage(location=scratch / "archive"),
                    },
                )
                plain = sum(
                    p["bytes"]
                    for p in [*opened.manifest["databases"].values(), *opened.manifest["storages"].values()]
                )
        detail = {"plaintext_bytes": plain, "rows": restored.rows, "objects": restored.objects}
    elif kind == "drill":
        result = run_drill()
        detail = {"rows": result.rows, "objects": result.objects, "chains": result.chains}
    seconds = time.perf_counter() - began
    if "plaintext_bytes" in detail:
        detail["mib_per_s"] = round(detail["plaintext_bytes"] / MIB / seconds, 1)
    print(json.dumps({"seconds": round(seconds, 2), "peak_rss_mib": peak_memory_mib(), **detail}))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # First on the path: run as a script, bench/ comes first, and bench/materials.py would hide the app.
    sys.path.insert(0, str(REPO_DIR))
    if args.child:
        child(args.child)
        return 0
    from bench.export_erasure import seed
    from bench.run import configure_environment, run_child, run_metadata

    with tempfile.TemporaryDirectory(prefix="omoikane-bench-backup-") as temporary:
        workdir = Path(temporary)
        configure_environment(workdir)
        os.environ["TRACES_DATABASE_URL"] = f"sqlite:///{workdir / 'traces.sqlite3'}"
        os.environ["BACKUP_TARGET"] = str(workdir / "backups")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        for alias in ("default", "traces"):
            call_command("migrate", database=alias, interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        print(f"Seeding {args.files_mb} MB of files and {args.records:,} records...")
        began = time.perf_counter()
        seeded = seed(args.files_mb, args.file_mb, args.records)
        seeding = time.perf_counter() - began
        connections.close_all()
        print(f"Seeded in {seeding:.1f} s; running the children...")
        idle = run_child(__file__, "--child", "idle")
        backup = run_child(__file__, "--child", "backup")
        print(f"backup:  {backup}")
        restored = run_child(__file__, "--child", "restore")
        print(f"restore: {restored}")
        drill = run_child(__file__, "--child", "drill")
        print(f"drill:   {drill}")
    results = {
        "metadata": run_metadata(platform=platform.platform(), seconds_seeding=round(seeding, 1)),
        "account": seeded,
        "idle": idle,
        "backup": backup,
        "restore": restored,
        "drill": drill,
    }
    print(
        f"\nAccount: {seeded['files']} files ({seeded['file_bytes'] / MIB:,.0f} MiB), "
        f"{seeded['records']:,} records"
    )
    print(f"idle child: peak {idle['peak_rss_mib']} MiB")
    for name, run in (("backup", backup), ("restore", restored)):
        print(f"{name:8} {run['seconds']} s, {run['mib_per_s']} MiB/s, peak {run['peak_rss_mib']} MiB")
    print(
        f"drill    {drill['seconds']} s, peak {drill['peak_rss_mib']} MiB (plus its two manage.py children)"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
