"""The application's side of the failover drill (bench/failover.py starts the cluster and this).

`write` runs concurrent writers through the real actions (an application added, its audit events, and a task
queued in the same transaction) and records every write the application acknowledged. `verify` checks, after
the drill, that each acknowledged write is in the database, that every audit chain verifies, and that every
queued task ran. `probe` asks /healthz and the Security page what they read of the replication. Each prints
one JSON object on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omoikane.settings")
django.setup()

from django.core.management import call_command  # noqa: E402  (after django.setup())
from django.db import DatabaseError, connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_tasks_db.compat import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from accounts.models import User  # noqa: E402
from applications.actions import PostingData, do_add_application  # noqa: E402
from applications.models import Application  # noqa: E402
from bench.failover_tasks import ACTOR, TASK_NOTE, note_follow_up  # noqa: E402
from privacy_kernel import writes  # noqa: E402


def _add_with_task(user: User, token: str) -> int:
    application = do_add_application(
        user, PostingData(title=token, posting_text=f"Posting {token}: Python, PostgreSQL."), actor=ACTOR
    )
    # Queued inside the write's own transaction, not after its commit: the task row commits with the
    # application or not at all, so a connection lost between the two cannot leave one without the other.
    # Ahead of the scoring task the action queued too (one worker scores about 20 a second): the check after
    # the load waits up to two minutes for these; the scoring tasks are checked as queued, none missing.
    note_follow_up.using(priority=10).enqueue(application_id=application.pk)
    return application.pk


def write(seconds: float, writers: int, out: Path) -> None:
    users = [
        User.objects.get_or_create(email=f"writer{i}@failover.example", defaults={"name": f"Writer {i}"})[0]
        for i in range(writers)
    ]
    acknowledged: list[dict[str, Any]] = []
    unknown: list[str] = []
    failed: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def loop(index: int) -> None:
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            token = f"failover-w{index}-{n}"
            try:
                pk = writes.run(_add_with_task, users[index], token)
            except writes.WriteOutcomeUnknown:
                with lock:
                    unknown.append(token)
            except DatabaseError as error:
                with lock:
                    failed.append(f"{token}: {type(error).__name__}: {str(error)[:120]}")
            else:
                with lock:
                    acknowledged.append({"token": token, "id": pk, "at": time.time()})
        connection.close()

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.write_text(json.dumps({"acknowledged": acknowledged, "unknown": unknown, "failed": failed}))


def verify(results: Path, wait_tasks: float) -> None:
    data = json.loads(results.read_text())
    acknowledged = data["acknowledged"]
    present = dict(Application.objects.filter(title__startswith="failover-").values_list("title", "pk"))
    lost = [row["token"] for row in acknowledged if present.get(row["token"]) != row["id"]]
    # Unknown outcomes are allowed either way; counted so the report shows what happened to them.
    unknown_committed = sum(1 for token in data["unknown"] if token in present)
    drill_tasks = DBTaskResult.objects.filter(task_path=note_follow_up.module_path)
    deadline = time.monotonic() + wait_tasks
    while True:
        pending = drill_tasks.exclude(status=TaskResultStatus.SUCCESSFUL).count()
        if pending == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    unfinished = {
        str(status): count
        for status, count in drill_tasks.exclude(status=TaskResultStatus.SUCCESSFUL)
        .values_list("status")
        .annotate(count=Count("id"))
    }
    failed_tasks = drill_tasks.filter(status=TaskResultStatus.FAILED).count()
    noted = set(Application.objects.filter(notes=TASK_NOTE).values_list("pk", flat=True))
    tasks_lost = [pk for pk in present.values() if pk not in noted]
    runs = [len(ids) for ids in drill_tasks.values_list("worker_ids", flat=True)]
    scored = {
        row["kwargs"]["application_id"]
        for row in DBTaskResult.objects.filter(task_path__endswith=".score_application").values_list(
            "args_kwargs", flat=True
        )
    }
    scores_missing = [pk for pk in present.values() if pk not in scored]
    try:
        call_command("audit_verify", stdout=sys.stderr)
        chains_ok = True
    except Exception as error:  # the drill reports a broken chain, it does not stop at it
        print(f"audit_verify: {error}", file=sys.stderr)
        chains_ok = False
    print(
        json.dumps(
            {
                "acknowledged_lost": len(lost),
                "lost_tokens": lost[:20],
                "unknown_committed": unknown_committed,
                "tasks_queued": len(runs),
                "tasks_pending": pending,
                "tasks_unfinished": unfinished,
                "tasks_failed": failed_tasks,
                "tasks_lost": len(tasks_lost),
                "tasks_claimed_twice": sum(1 for count in runs if count > 1),
                "score_tasks_missing": len(scores_missing),
                "audit_chains_verify": chains_ok,
            }
        )
    )


def probe() -> None:
    """What /healthz and the Security page say about replication, read from the cluster as it is now."""
    client = Client()
    health = client.get("/healthz")
    page = client.get(reverse("pages:security")).content.decode()
    print(
        json.dumps(
            {
                "healthz_status": health.status_code,
                "replication": health.json()["checks"]["replication"],
                "page_claims_replication": "replicated synchronously to" in page,
                "page_says_fewer": "fewer than the" in page,
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(float(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
    elif sys.argv[1] == "probe":
        probe()
    elif sys.argv[1] == "verify":
        verify(Path(sys.argv[2]), float(sys.argv[3]))
    else:
        raise SystemExit(f"unknown mode {sys.argv[1]!r}: write or verify")
