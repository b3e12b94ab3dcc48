"""Insights page benchmark: "what is working" for a user with 2,000 applications and 20,000 diary entries.

It seeds one such user in bulk (rows as the actions leave them: sent letters with the CV they were drafted
from, fit scores before sending, status changes, replies, approaches on applications and diary entries),
then serves /diary/insights/ and the same user's home page (/home/) through the real WSGI handler in
alternating blocks, so drift in the machine's load falls on both alike. The aim (issue 16): the insights
page's p50 at most 10 times the home page's in the same run.

    .venv/bin/python bench/insights.py                       # SQLite, bench/results/insights.json
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/insights.py \
        --name insights-postgresql

Like bench/run.py it never touches var/ or the named database: a temporary VAR_DIR, and a scratch database.
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
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (
    COMPANIES,
    JOB_TITLES,
    RESULTS_DIR,
    USER_AGENTS,
    Measurement,
    Page,
    Visitor,
    configure_environment,
    measure,
    non_negative_int,
    percentile,
    positive_int,
    result_name,
    run_metadata,
    scratch_database,
    sign_in,
    summarise,
)

if TYPE_CHECKING:
    from accounts.models import User

INSIGHTS = Page("/diary/insights/", signed_in=True)
HOME = Page("/home/", signed_in=True)
AIM = 10.0
SOURCES = ["https://jobs.example.com/", "https://www.karriere.example/", "https://finn.example/job/", ""]
CVS = [(1, "Data CV"), (2, "Platform CV"), (3, "CV 2025")]
APPROACHES = [
    "A referral",
    "The shorter letter",
    "Applied within 48 hours",
    "A call first",
    "A portfolio link",
]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=positive_int, default=2000, help="applications (2000)")
    parser.add_argument("--entries", type=non_negative_int, default=20000, help="diary entries (20000)")
    parser.add_argument("--requests", type=positive_int, default=40, help="measured requests per page (40)")
    parser.add_argument("--warmup", type=non_negative_int, default=3, help="unmeasured requests first (3)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--name", type=result_name, default="insights", help="bench/results/NAME.json")
    parser.add_argument("--show-queries", action="store_true", help="print the insights page's SQL")
    parser.add_argument("--profile", action="store_true", help="print a profile of one insights request")
    return parser.parse_args(argv)


def seed_job_search(user: User, applications: int, entries: int, rng: random.Random) -> dict[str, int]:
    """A year of one busy job search, in bulk: the rows the actions would have left, without running them
    one by one (20,000 diary entries through do_add_entry would take minutes)."""
    from applications.models import (
        Application,
        DraftVersion,
        FitScore,
        Reply,
        SentVersion,
        Status,
        StatusChange,
    )
    from diary.models import Approach, ApproachUse, DiaryEntry, EntryApproach, Kind

    now = datetime.now(UTC)
    statuses = [Status.SENT] * 5 + [Status.REJECTED] * 3 + [Status.INTERVIEWING, Status.OFFER, Status.GHOSTED]
    rows = []
    for i in range(applications):
        created = now - timedelta(days=rng.uniform(0, 365))
        sent = rng.random() < 0.7
        status = rng.choice(statuses) if sent else rng.choice([Status.SAVED, Status.DRAFTING])
        rows.append(
            Application(
                user=user,
                title=f"{rng.choice(JOB_TITLES)} {i}",
                company=rng.choice(COMPANIES),
                language=rng.choice(["en", "nl", "de", "nb"]),
                source_url=rng.choice(SOURCES) + (str(i) if rng.random() < 0.9 else ""),
                posting_text="Requirements\n- Python\n- PostgreSQL\n",
                status=status,
                status_changed_at=created,
                posted_on=(created - timedelta(days=rng.randint(0, 20))).date()
                if rng.random() < 0.8
                else None,
                sent_at=created + timedelta(days=rng.randint(0, 6)) if sent else None,
                follow_up_done_at=created + timedelta(days=9) if sent and rng.random() < 0.4 else None,
                score=rng.randint(0, 100),
                band=rng.choice(["high", "medium", "low"]),
                created_at=created,
            )
        )
    made = Application.objects.bulk_create(rows, batch_size=500)
    sent_apps = [a for a in made if a.sent_at is not None]
    FitScore.objects.bulk_create(
        [
            FitScore(
                application=a,
                value=a.score or 0,
                band=a.band,
                result={},
                model_name="bench",
                model_version="1",
                scorer_version="1",
                created_at=a.created_at + timedelta(minutes=5),
            )
            for a in made
        ],
        batch_size=500,
    )
    versions = DraftVersion.objects.bulk_create(
        [
            DraftVersion(
                application=a,
                number=1,
                text="Dear team, ...",
                source=DraftVersion.Source.GENERATED,
                language=a.language,
                word_count=rng.randint(150, 420),
                materials_used=[
                    {"id": cv, "kind": "cv", "title": title, "passages": 4, "sample": False}
                    for cv, title in [rng.choice(CVS)]
                ],
            )
            for a in sent_apps
        ],
        batch_size=500,
    )
    SentVersion.objects.bulk_create(
        [
            SentVersion(
                application=a,
                version=v,
                text=v.text,
                channel=SentVersion.Channel.EMAIL,
                sent_on=(a.sent_at or now).date(),
            )
            for a, v in zip(sent_apps, versions, strict=True)
        ],
        batch_size=500,
    )
    answered = [a for a in sent_apps if a.status in (Status.REJECTED, Status.INTERVIEWING, Status.OFFER)]
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                application=a,
                old=Status.SENT,
                new=a.status,
                changed_at=(a.sent_at or now) + timedelta(days=rng.randint(1, 40)),
            )
            for a in answered
        ],
        batch_size=500,
    )
    Reply.objects.bulk_create(
        [
            Reply(
                application=a,
                body_text="Thank you for your application.",
                suggested_kind=Reply.Kind.REJECTION if a.status == Status.REJECTED else Reply.Kind.INTERVIEW,
                received_at=(a.sent_at or now) + timedelta(days=rng.randint(1, 40)),
            )
            for a in answered[: len(answered) // 2]
        ],
        batch_size=500,
    )
    approaches = Approach.objects.bulk_create([Approach(user=user, name=name) for name in APPROACHES])
    ApproachUse.objects.bulk_create(
        [
            ApproachUse(approach=approach, application=a)
            for a in made
            for approach in approaches
            if rng.random() < 0.15
        ],
        batch_size=500,
    )
    kinds = Kind.values
    diary = DiaryEntry.objects.bulk_create(
        [
            DiaryEntry(
                user=user,
                application=rng.choice(made) if rng.random() < 0.6 else None,
                kind=rng.choice(kinds),
                text=f"Entry {i}: followed up by phone and noted what they said.",
                occurred_on=(now - timedelta(days=rng.uniform(0, 365))).date(),
            )
            for i in range(entries)
        ],
        batch_size=1000,
    )
    tags = EntryApproach.objects.bulk_create(
        [EntryApproach(entry=e, approach=rng.choice(approaches)) for e in diary if rng.random() < 0.1],
        batch_size=1000,
    )
    return {
        "applications": len(made),
        "sent": len(sent_apps),
        "answered": len(answered),
        "diary_entries": len(diary),
        "tagged_entries": len(tags),
        "approach_uses": ApproachUse.objects.filter(approach__user=user).count(),
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="omoikane-bench-") as tmp:
        configure_environment(Path(tmp))
        import django

        django.setup()
        from django.core.wsgi import get_wsgi_application
        from django.db import connection

        with scratch_database(Path(tmp)):
            started = time.perf_counter()
            from omoikane.testing import make_user

            user = make_user("sanne.devries@example.org", name="Sanne de Vries")
            visitor = Visitor("192.0.2.10", USER_AGENTS[0], "en-GB,en;q=0.9")
            counts = seed_job_search(user, args.applications, args.entries, rng)
            seeding_s = time.perf_counter() - started
            print(f"Seeded {counts} in {seeding_s:.1f} s", file=sys.stderr)
            visitors = sign_in([(user, visitor)])
            application = get_wsgi_application()
            if args.profile:
                import cProfile
                import pstats

                measure(application, INSIGHTS, visitors, requests=1, warmup=0, rng=rng)  # imports, caches
                with cProfile.Profile() as profile:
                    measure(application, INSIGHTS, visitors, requests=1, warmup=0, rng=rng)
                order = os.environ.get("BENCH_PROFILE_SORT", "cumulative")  # or tottime
                pstats.Stats(profile, stream=sys.stderr).sort_stats(order).print_stats(60)
            sides = {INSIGHTS.path: Measurement(INSIGHTS), HOME.path: Measurement(HOME)}
            for page in (INSIGHTS, HOME):
                measure(application, page, visitors, requests=args.warmup, warmup=0, rng=rng)
            block = max(1, min(10, args.requests // 4))
            while len(sides[INSIGHTS.path].timings_ms) < args.requests:
                for page in (INSIGHTS, HOME):
                    part = measure(application, page, visitors, requests=block, warmup=0, rng=rng)
                    side = sides[page.path]
                    side.timings_ms += part.timings_ms
                    side.queries += part.queries
                    side.statuses.update(part.statuses)
                    side.response_bytes, side.last_queries = part.response_bytes, part.last_queries
            if args.show_queries:
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as captured:
                    measure(application, INSIGHTS, visitors, requests=1, warmup=0, rng=rng)
                for query in captured.captured_queries:
                    print(f"{query['time']} s  {query['sql'][:300]}", file=sys.stderr)
            pages = [summarise(side) for side in sides.values()]
            ratio = percentile(sides[INSIGHTS.path].timings_ms, 0.5) / percentile(
                sides[HOME.path].timings_ms, 0.5
            )
            result = {
                "metadata": run_metadata(
                    database=connection.vendor,
                    requests=args.requests,
                    warmup=args.warmup,
                    seed=args.seed,
                    seeding_s=round(seeding_s, 1),
                    data=counts,
                ),
                "pages": pages,
                "insights_to_home_p50": round(ratio, 2),
                "aim": f"insights p50 <= {AIM:g} x home p50",
                "aim_met": ratio <= AIM,
            }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n")
    for row in pages:
        queries = row["queries"]
        print(
            f"{row['path']:<20} p50 {row['p50_ms']:>8.1f} ms  p95 {row['p95_ms']:>8.1f} ms  "
            f"queries {queries['min']}-{queries['max']}  statuses {row['statuses']}"
        )
    print(f"insights / home p50: {ratio:.2f} (aim <= {AIM:g}): {'met' if ratio <= AIM else 'MISSED'}")
    return result


if __name__ == "__main__":
    main()
