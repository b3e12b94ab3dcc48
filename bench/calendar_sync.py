"""Calendar sync and the private feed: wall time and queries.

`.venv/bin/python bench/calendar_sync.py` (`--help` for the options) starts a real Radicale server (as the
tests do, calendars/testing.py) in a temporary directory, fills one calendar with --events events (default
2,000: one every two hours from 25 days back, a tenth of them weekly recurring), then measures:

1. the first sync of that calendar (discovery already done at connect): every event downloaded, expanded and
   stored, through the worker's own function (calendars.syncing.run_sync);
2. a sync with nothing changed (the CTag and sync-token unchanged: one request);
3. a sync after 20 events changed on the server (only those are downloaded);
4. the private ICS feed of a user with --applications applications (default 1,000, each with a deadline and
   a follow-up) and a hundred events linked to them: --requests GETs of the feed URL through the test client,
   p50 and p95, queries per request.

Wall time and the statements sent to the database (counted with a connection execute wrapper) for each
sync. SQLite in a temporary directory, like the other benches; results go to bench/results/calendar.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, bench/ is first on the path, and this file's name would hide the standard library's
# `calendar` (which http.cookiejar, and so httpx, imports): bench/ leaves the path before anything else loads.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from typing import Any  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results" / "calendar.json"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=2_000, help="events in the synced calendar (2,000)")
    parser.add_argument("--applications", type=int, default=1_000, help="applications of the feed's user")
    parser.add_argument("--requests", type=int, default=50, help="feed requests measured (50)")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write results ({RESULTS})")
    return parser.parse_args(argv)


@contextmanager
def counted() -> Iterator[list[str]]:
    from django.db import connection

    statements: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield statements


def calendar_body(events: int, now: dt.datetime) -> str:
    """One VCALENDAR of `events` events spread over the sync window; every tenth recurs weekly 4 times."""
    start = now - dt.timedelta(days=25)
    stamp = "%Y%m%dT%H%M%SZ"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bench//EN"]
    for number in range(events):
        begins = (start + dt.timedelta(hours=number * 2)).replace(microsecond=0)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{number}",
            f"DTSTAMP:{now:{stamp}}",
            f"DTSTART:{begins:{stamp}}",
            f"DTEND:{begins + dt.timedelta(minutes=45):{stamp}}",
            f"SUMMARY:Meeting {number} with Company {number % 50}",
            "LOCATION:Video call",
            *(["RRULE:FREQ=WEEKLY;COUNT=4"] if number % 10 == 0 else []),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def bench_sync(events: int) -> dict[str, Any]:
    import httpx
    from django.test import override_settings
    from django.utils import timezone

    from calendars.actions import do_connect_caldav
    from calendars.models import CalendarConnection, CalendarEvent
    from calendars.syncing import run_sync
    from calendars.testing import radicale
    from omoikane.testing import make_user
    from privacy_kernel.audit import Actor

    now = timezone.now()
    user = make_user("bench-calendar@example.org")
    # A generous timeout: Radicale answers a 2,000-event REPORT slowly on a busy machine, and the first sync
    # should measure our work rather than fail on the server's.
    with (
        radicale() as server,
        override_settings(CALENDAR_TEST_LOOPBACK_PORTS=[server.port], CALENDAR_TIMEOUT_SECONDS=120),
    ):
        calendar = server.make_calendar("Bench")
        # The whole calendar in one PUT to the collection, as Radicale allows: 2,000 single PUTs would time
        # the server, not us.
        put = httpx.put(
            str(calendar.url),
            content=calendar_body(events, now).encode(),
            headers={"Content-Type": "text/calendar"},
            auth=(server.username, server.password),
            timeout=120,
        )
        put.raise_for_status()
        connection = do_connect_caldav(
            user,
            url=server.url,
            username=server.username,
            password=server.password,
            actor=Actor.system("bench"),
        )
        CalendarConnection.objects.filter(pk=connection.pk).update(calendar_url=str(calendar.url))

        def one(label: str, at: dt.datetime) -> dict[str, Any]:
            with counted() as statements:
                began = time.perf_counter()
                outcome = run_sync(connection.pk, now=at)
                seconds = time.perf_counter() - began
            stored = CalendarEvent.objects.filter(connection=connection).count()
            print(f"{label:>10}: {seconds:6.2f} s, {len(statements):5d} queries, {stored} rows ({outcome})")
            return {
                "seconds": round(seconds, 3),
                "queries": len(statements),
                "occurrences": stored,
                "outcome": outcome,
            }

        first = one("first", now)
        unchanged = one("unchanged", now + dt.timedelta(minutes=30))
        for item in list(calendar.events())[:20]:
            item.data = item.data.replace("LOCATION:Video call", "LOCATION:Room 4")
            item.save()
        changed = one("20 changed", now + dt.timedelta(minutes=60))
    return {"events": events, "first": first, "unchanged": unchanged, "changed_20": changed}


def bench_feed(applications: int, requests: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from applications.models import Application
    from calendars.actions import do_create_feed, feed_token
    from calendars.models import CalendarConnection, CalendarEvent
    from omoikane.testing import make_user
    from privacy_kernel.audit import Actor

    user = make_user("bench-feed@example.org")
    today = timezone.localdate()
    rows = Application.objects.bulk_create(
        Application(
            user=user,
            title=f"Engineer {n}",
            company=f"Company {n}",
            posting_text="A posting.",
            deadline=today + dt.timedelta(days=n % 90),
            follow_up_on=today + dt.timedelta(days=n % 30),
        )
        for n in range(applications)
    )
    connection = CalendarConnection.objects.create(
        user=user, kind=CalendarConnection.Kind.ICS, url="https://cal.example/bench.ics", name="Bench"
    )
    now = timezone.now()
    CalendarEvent.objects.bulk_create(
        CalendarEvent(
            connection=connection, uid=f"i{n}", summary=f"Interview {n}", application=rows[n],
            starts_at=now + dt.timedelta(days=n), ends_at=now + dt.timedelta(days=n, hours=1),
        )
        for n in range(min(100, applications))
    )  # fmt: skip
    feed = do_create_feed(user, actor=Actor.system("bench"))
    url = reverse("calendars:feed", args=[feed_token(feed)])
    from bench.run import HOST

    client = Client(HTTP_HOST=HOST)
    for _ in range(5):
        client.get(url)
    times: list[float] = []
    queries: list[int] = []
    size = 0
    for _ in range(requests):
        with counted() as statements:
            began = time.perf_counter()
            response = client.get(url)
            size = len(response.content)
            times.append((time.perf_counter() - began) * 1000)
        queries.append(len(statements))
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"feed: {applications} applications, p50 {p50:.1f} ms, p95 {p95:.1f} ms, {max(queries)} queries, "
          f"{size / 1024:.0f} KiB")  # fmt: skip
    return {
        "applications": applications,
        "linked_events": min(100, applications),
        "requests": requests,
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "queries": max(queries),
        "bytes": size,
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(REPO_DIR))
    from bench.run import configure_environment, run_metadata

    with tempfile.TemporaryDirectory(prefix="omoikane-bench-calendar-") as temporary:
        configure_environment(Path(temporary))
        import django

        django.setup()
        from django.core.management import call_command

        for alias in ("default", "traces"):
            call_command("migrate", database=alias, interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        sync = bench_sync(args.events)
        feed = bench_feed(args.applications, args.requests)
        results = {
            "metadata": run_metadata(platform=platform.platform(), note="shared machine: other work ran"),
            "sync": sync,
            "feed": feed,
        }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
