"""The applications pages at the size of a whole service: 10,000 users with 100 applications each.

`BENCH_DATABASE_URL=postgres:///postgres .venv/bin/python bench/scale.py` (`--help` for the options) makes a
scratch PostgreSQL database beside the named one (as bench/run.py does), seeds one user with --applications
applications and --events audit events, and measures the board, the table, a search in the table and the
activity page for that user. It then seeds the other --users - 1 users alike (COPY, a few minutes for a
million applications), runs ANALYZE, and measures the same pages for the same user again. Flat means the
pages read only the user's own rows, through indexes that start with the user: the second p50s should be
the first ones. It also prints the plans of the board's and the table's queries (EXPLAIN ANALYZE), which
bench/README.md quotes. Results go to bench/results/scale-postgresql.json (--name).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from bench.run import (  # noqa: E402  (the path above makes the package importable when run as a script)
    COMPANIES,
    JOB_TITLES,
    RESULTS_DIR,
    Page,
    Visitor,
    configure_environment,
    measure,
    percentile,
    run_metadata,
    scratch_database,
    sign_in,
)

PAGES = [
    Page("/applications/", signed_in=True),
    Page("/applications/table/?sort=score&order=desc", signed_in=True),
    Page("/applications/table/?q=engineer", signed_in=True),
    Page("/settings/activity/", signed_in=True),
]
LOCATIONS = ["Oslo", "Utrecht", "Berlin", "Athens", "Trondheim"]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000, help="users in the end (10,000)")
    parser.add_argument("--applications", type=int, default=100, help="applications per user (100)")
    parser.add_argument("--events", type=int, default=20, help="audit events per user (20)")
    parser.add_argument("--requests", type=int, default=100, help="measured requests per page (100)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page first (20)")
    parser.add_argument("--name", default="scale-postgresql", help="bench/results/NAME.json")
    return parser.parse_args(argv)


def _copy(table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Rows into a table with COPY: a million applications in a minute or two, where the ORM takes ages."""
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def seed_users(first: int, count: int, password_hash: str) -> list[int]:
    from accounts.models import User

    now = datetime.now(UTC)
    users = User.objects.bulk_create(
        User(
            email=f"scale-{index}@example.org",
            name=f"Scale User {index}",
            language="en",
            password=password_hash,
            date_joined=now,
        )
        for index in range(first, first + count)
    )
    return [user.pk for user in users]


def seed_rows(user_ids: Sequence[int], applications: int, events: int, rng: random.Random) -> None:
    """Applications (COPY) and chained audit events (sealed as chain.append seals them, then COPY)."""
    from applications.models import Status
    from privacy_kernel import chain
    from privacy_kernel.chain_encoding import GENESIS
    from privacy_kernel.events import ActorKind, Event
    from privacy_kernel.models import AuditEvent

    now = datetime.now(UTC)
    statuses = Status.values
    columns = [
        "user_id",
        "title",
        "company",
        "location",
        "language",
        "source_url",
        "employment_type",
        "posting_text",
        "found_in",
        "suspicious_lines",
        "status",
        "status_changed_at",
        "notes",
        "score",
        "band",
        "deadline",
        "created_at",
        "updated_at",
    ]
    batch: list[tuple[object, ...]] = []
    for user_id in user_ids:
        for index in range(applications):
            changed = now - timedelta(minutes=rng.randint(0, 200_000))
            batch.append(
                (
                    user_id,
                    f"{rng.choice(JOB_TITLES)} {index}",
                    rng.choice(COMPANIES),
                    rng.choice(LOCATIONS),
                    "en",
                    "",
                    "",
                    "Requirements\n- Python\n- PostgreSQL\n",
                    "paste",
                    "[]",
                    rng.choice(statuses),
                    changed,
                    "",
                    rng.randint(0, 100),
                    rng.choice(["high", "medium", "low"]),
                    (now + timedelta(days=rng.randint(-30, 60))).date() if rng.random() < 0.7 else None,
                    changed,
                    changed,
                )
            )
        if len(batch) >= 50_000:
            _copy("applications_application", columns, batch)
            batch = []
    if batch:
        _copy("applications_application", columns, batch)
    event_columns = [
        "created_at",
        "event",
        "actor_kind",
        "actor_id",
        "actor_ref",
        "actor_label",
        "subject_id",
        "target_type",
        "target_id",
        "metadata",
        "ip",
        "user_agent",
        "sequence",
        "prev_hash",
        "payload_hash",
        "payload_salt",
        "entry_hash",
        "chain_version",
    ]
    rows: list[tuple[object, ...]] = []
    for user_id in user_ids:
        head = GENESIS
        for index in range(events):
            entry = AuditEvent(
                created_at=now - timedelta(minutes=events - index),
                event=Event.APPLICATIONS_LISTED,
                actor_kind=ActorKind.USER,
                actor_id=user_id,
                actor_ref=user_id,
                subject_id=user_id,
                metadata={"page": "applications:board", "method": "GET"},
                ip="192.0.2.1",
                user_agent="Bench",
            )
            chain.seal(entry, head)
            head = head.__class__(entry.sequence, entry.entry_hash)
            rows.append(
                (
                    entry.created_at,
                    str(Event.APPLICATIONS_LISTED),
                    str(ActorKind.USER),
                    user_id,
                    user_id,
                    "",
                    user_id,
                    "",
                    "",
                    json.dumps(entry.metadata),
                    entry.ip,
                    entry.user_agent,
                    entry.sequence,
                    entry.prev_hash,
                    entry.payload_hash,
                    entry.payload_salt,
                    entry.entry_hash,
                    entry.chain_version,
                )
            )
        if len(rows) >= 50_000:
            _copy("privacy_auditevent", event_columns, rows)
            rows = []
    if rows:
        _copy("privacy_auditevent", event_columns, rows)


def measure_pages(visitor: Visitor, requests: int, warmup: int) -> list[dict[str, Any]]:
    from omoikane.wsgi import application

    rng = random.Random(1)
    results = []
    for page in PAGES:
        measured = measure(application, page, [visitor], requests=requests, warmup=warmup, rng=rng)
        results.append(
            {
                "path": page.path,
                "statuses": {str(k): v for k, v in measured.statuses.items()},
                "p50_ms": round(percentile(measured.timings_ms, 0.5), 2),
                "p95_ms": round(percentile(measured.timings_ms, 0.95), 2),
                "queries": max(measured.queries),
            }
        )
    return results


def plans(user_id: int) -> dict[str, str]:
    """EXPLAIN ANALYZE of the board's and the table's queries, as the views build them."""
    from django.db.models import Count, F

    from applications.models import Application, Status
    from applications.views import BOARD_COLUMN_LIMIT

    owned = Application.objects.filter(user_id=user_id)
    queries = {
        "board counts": owned.order_by().values_list("status").annotate(count=Count("id")),
        "board column": owned.filter(status=Status.SENT)
        .order_by(F("deadline").asc(nulls_last=True), "-updated_at")
        .values_list("id", "title", "company", "score", "band", "deadline")[:BOARD_COLUMN_LIMIT],
        "table, newest change first": owned.order_by(F("updated_at").desc(), "-id")[:50],
        "table, by score": owned.order_by(F("score").desc(nulls_last=True), "-id")[:50],
    }
    return {name: query.explain(analyze=True) for name, query in queries.items()}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("BENCH_DATABASE_URL", "").startswith("postgres"):
        print("Set BENCH_DATABASE_URL to a PostgreSQL database (a scratch one is made beside it).")
        return 2
    rng = random.Random(1)
    with tempfile.TemporaryDirectory(prefix="omoikane-scale-") as temporary:
        workdir = Path(temporary)
        configure_environment(workdir)
        import django

        django.setup()
        from django.contrib.auth.hashers import make_password
        from django.db import connection

        from accounts.models import User

        with scratch_database(workdir):
            password_hash = make_password("correct horse battery staple")
            started = time.perf_counter()
            (first,) = seed_users(0, 1, password_hash)
            seed_rows([first], args.applications, args.events, rng)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            (visitor,) = sign_in([(User.objects.get(pk=first), Visitor("192.0.2.1", "Bench", "en"))])
            one_user = measure_pages(visitor, args.requests, args.warmup)
            plans_one = plans(first)
            seeded_at = time.perf_counter()
            step = 1_000
            for start in range(1, args.users, step):
                count = min(step, args.users - start)
                seed_rows(seed_users(start, count, password_hash), args.applications, args.events, rng)
                print(f"  seeded {start + count:,} users", flush=True)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            seconds_seeding = time.perf_counter() - seeded_at
            print(f"Seeded {args.users:,} users in {seconds_seeding:.0f} s.")
            many_users = measure_pages(visitor, args.requests, args.warmup)
            plans_many = plans(first)
            totals = {
                "applications": int(
                    connection.cursor().execute("SELECT count(*) FROM applications_application").fetchone()[0]
                ),
                "audit_events": int(
                    connection.cursor().execute("SELECT count(*) FROM privacy_auditevent").fetchone()[0]
                ),
            }
            print(f"\n{'page':<48} {'1 user':>10} {f'{args.users:,} users':>14} {'ratio':>6}  queries")
            for small, large in zip(one_user, many_users, strict=True):
                ratio = large["p50_ms"] / small["p50_ms"]
                times = f"{small['p50_ms']:>7.2f} ms {large['p50_ms']:>11.2f} ms {ratio:>6.2f}"
                print(f"{small['path']:<48} {times}  {small['queries']} / {large['queries']}")
            for name, plan in plans_many.items():
                print(f"\n{name}:\n{plan}")
            report = {
                "name": args.name,
                "metadata": run_metadata(
                    database="postgresql",
                    users=args.users,
                    applications_per_user=args.applications,
                    events_per_user=args.events,
                    requests=args.requests,
                    warmup=args.warmup,
                    seconds_seeding=round(seconds_seeding, 1),
                    seconds_total=round(time.perf_counter() - started, 1),
                    **totals,
                ),
                "one_user": one_user,
                "many_users": many_users,
                "plans_one_user": plans_one,
                "plans_many_users": plans_many,
            }
    RESULTS_DIR.mkdir(exist_ok=True)
    output = RESULTS_DIR / f"{args.name}.json"
    output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nWrote {output.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
