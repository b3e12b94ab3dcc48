"""Export and erasure of a large account: wall time and peak memory.

`.venv/bin/python bench/export_erasure.py` (`--help` for the options) seeds one account with --files-mb of
uploaded files (default 1024 MB, in --file-mb files) and --records rows (default 10,000: applications,
status changes, fit scores and replies, plus as many chained audit events), then runs, each in a fresh
child process so its peak memory is its own:

1. an idle child (Django set up, the modules imported): the baseline memory;
2. the export job (`privacy_rights.jobs.run_export`): the zip built with stream-zip and saved to the archive
   storage;
3. the erasure job (`privacy_rights.erasure.run_erasure`) of the same account, after the request.

It reports each child's wall time and peak resident memory (getrusage ru_maxrss). Flat memory means the
export streams: its peak should stay near the idle child's however large the account. Like the other
benches it never touches var/: SQLite and the files live in a temporary directory. Results go to
bench/results/export_erasure.json (or --json PATH).
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
RESULTS = BENCH_DIR / "results" / "export_erasure.json"
EMAIL = "bench-export@example.org"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files-mb", type=int, default=1024, help="total size of uploaded files (1024)")
    parser.add_argument("--file-mb", type=int, default=10, help="size of each uploaded file (10)")
    parser.add_argument("--records", type=int, default=10_000, help="rows besides the files (10,000)")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write results ({RESULTS})")
    parser.add_argument("--child", choices=["idle", "export", "erasure"], help=argparse.SUPPRESS)
    parser.add_argument("--target", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- Seeding (parent) -----------------------------------------------------------------------------------


def seed(files_mb: int, file_mb: int, records: int) -> dict[str, Any]:
    from django.core.files.base import File
    from django.core.files.storage import default_storage

    from accounts.models import User
    from applications.models import Application, FitScore, Reply, StatusChange
    from materials.models import Material
    from omoikane.storage import new_object_name
    from omoikane.testing import make_user
    from privacy_kernel import audit
    from privacy_kernel.audit import Actor
    from privacy_kernel.events import Event

    user: User = make_user(EMAIL, name="Bench Account")
    files = max(1, files_mb // file_mb)
    chunk = 1024 * 1024
    for number in range(files):
        # Random bytes: like the PDFs and Word files people upload, they do not compress.
        with tempfile.TemporaryFile() as spool:
            for _ in range(file_mb):
                spool.write(os.urandom(chunk))
            spool.seek(0)
            name = default_storage.save(new_object_name("materials", "pdf"), File(spool, name="cv.pdf"))
        text = f"Material {number}: Python, Django, PostgreSQL. " * 40
        Material.objects.create(
            user=user,
            kind=Material.Kind.OTHER,
            title=f"Document {number}",
            original=name,
            original_name=f"document-{number}.pdf",
            content_type="application/pdf",
            size=file_mb * chunk,
            extracted_text=text,
            text=text,
        )
    per_kind = records // 4
    posting = "Senior engineer\n\n## Requirements\n- Python\n- PostgreSQL\n" * 20
    applications = Application.objects.bulk_create(
        Application(user=user, title=f"Engineer {n}", company=f"Company {n}", posting_text=posting)
        for n in range(per_kind)
    )
    StatusChange.objects.bulk_create(
        StatusChange(application=a, old="saved", new="sent") for a in applications
    )
    result = {"requirements": [{"text": "Python", "status": "met", "evidence": ["Python, Django"]}] * 8}
    FitScore.objects.bulk_create(
        FitScore(
            application=a,
            value=70,
            band="good",
            result=result,
            model_name="m",
            model_version="1",
            scorer_version="1",
        )
        for a in applications
    )
    body = "Thank you for your application. We would like to invite you to an interview. " * 10
    Reply.objects.bulk_create(
        Reply(application=a, subject="Interview", body_text=body, suggested_kind="interview")
        for a in applications
    )
    actor = Actor.system("bench")
    for n in range(per_kind):
        audit.record(Event.APPLICATION_VIEWED, actor=actor, subject=user, data={"n": n})
    return {
        "user_id": user.pk,
        "files": files,
        "file_bytes": files * file_mb * chunk,
        "records": per_kind * 4,
    }


def child(kind: str, target: int) -> None:
    import django

    django.setup()
    from bench.run import peak_memory_mib
    from privacy_rights import erasure, export, jobs  # noqa: F401  (the idle child imports what the others use)

    began = time.perf_counter()
    detail: dict[str, Any] = {}
    if kind == "export":
        status = jobs.run_export(target)
        from privacy_kernel.models import ExportRequest

        done = ExportRequest.objects.get(pk=target)
        detail = {"status": status, "zip_bytes": done.size}
    elif kind == "erasure":
        from accounts.models import User
        from privacy_kernel.audit import Actor
        from privacy_rights.actions import do_request_erasure

        request = do_request_erasure(User.objects.get(pk=target), actor=Actor.system("bench"))
        counts = erasure.run_erasure(request.pk)
        detail = {"rows": sum(n for labels in counts["rows"].values() for n in labels.values())}
        detail["files"] = sum(counts["files"].values())
    seconds = time.perf_counter() - began
    print(json.dumps({"seconds": round(seconds, 2), "peak_rss_mib": peak_memory_mib(), **detail}))


# --- Main -------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # First on the path: run as a script, bench/ comes first, and bench/materials.py would hide the app.
    sys.path.insert(0, str(REPO_DIR))
    if args.child:
        child(args.child, args.target)
        return 0
    if os.environ.get("BENCH_DATABASE_URL"):
        print("This bench runs on SQLite only (its children open the same file).", file=sys.stderr)
        return 2
    from bench.run import configure_environment, run_child, run_metadata

    with tempfile.TemporaryDirectory(prefix="omoikane-bench-export-") as temporary:
        workdir = Path(temporary)
        configure_environment(workdir)
        import django

        django.setup()
        from django.core.management import call_command

        for alias in ("default", "traces"):
            call_command("migrate", database=alias, interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        print(f"Seeding {args.files_mb} MB of files and {args.records:,} records...")
        began = time.perf_counter()
        seeded = seed(args.files_mb, args.file_mb, args.records)
        seeding = time.perf_counter() - began
        from accounts.models import User
        from privacy_kernel.audit import Actor
        from privacy_rights.actions import do_request_export

        user = User.objects.get(pk=seeded["user_id"])
        export = do_request_export(user, actor=Actor.system("bench"), rate_limited=False)
        from django.db import connections

        connections.close_all()
        print(f"Seeded in {seeding:.1f} s; running the children...")
        idle = run_child(__file__, "--child", "idle", "--target", "0")
        exported = run_child(__file__, "--child", "export", "--target", str(export.pk))
        print(f"export: {exported}")
        erased = run_child(__file__, "--child", "erasure", "--target", str(seeded["user_id"]))
        print(f"erasure: {erased}")
    results = {
        "metadata": run_metadata(platform=platform.platform(), seconds_seeding=round(seeding, 1)),
        "account": seeded,
        "idle": idle,
        "export": exported,
        "erasure": erased,
    }
    mib = 2**20
    files_mib = seeded["file_bytes"] / mib
    print(f"\nAccount: {seeded['files']} files ({files_mib:,.0f} MiB), {seeded['records']:,} records")
    print(f"idle child:  peak {idle['peak_rss_mib']} MiB")
    zip_mib = exported["zip_bytes"] / mib
    print(
        f"export:      {exported['seconds']} s, peak {exported['peak_rss_mib']} MiB, zip {zip_mib:,.0f} MiB"
    )
    print(f"erasure:     {erased['seconds']} s, peak {erased['peak_rss_mib']} MiB")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
