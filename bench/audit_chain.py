"""Audit chain benchmark: how fast `audit_verify` walks the log, and what chaining adds to record().

`.venv/bin/python bench/audit_chain.py` (`--help` for the options) measures, in one process:

1. verification throughput: `privacy_kernel.chain_verify.verify_database()` (what `manage.py audit_verify`
   runs) over --events audit events (100,000) in --users chains plus the system chain, in events per second;
   and the same walk over model instances instead of `values_list` rows, which is what the chain module
   chose against;
2. the cost of one `privacy_kernel.audit.record()` call with the chain (read the head, hash, insert unless the
   position is taken) against a plain insert of the same row, in microseconds, both outside a
   transaction (as @audited writes after a response) and inside the caller's transaction (as actions
   do), with the queries each sends;
3. the hashing alone (`chain.seal()` without the database).

bench/README.md ("Audit chain") says what the numbers mean. Like bench/run.py, the run never touches var/:
it migrates a throwaway SQLite file in a temporary directory, or a scratch database beside
BENCH_DATABASE_URL, and prints its results (`--json PATH` also writes them).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.models import User
    from privacy_kernel.models import AuditEvent

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
# Run as a script, this file's folder comes first on sys.path, where bench/materials.py would stand in for
# the `materials` app: the repository takes its place.
if sys.path and Path(sys.path[0] or ".").resolve() == BENCH_DIR:
    sys.path[0] = str(REPO_DIR)
elif str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

PAGES = ["accounts:settings", "account_email", "mfa_index", "usersessions_list", "privacy:activity"]
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/137.0.0.0 Safari/537.36"
)


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--events", type=positive_int, default=100_000, help="audit events to verify (100000)"
    )
    parser.add_argument(
        "--users", type=positive_int, default=1_000, help="chains they are spread over (1000)"
    )
    parser.add_argument(
        "--walks", type=positive_int, default=3, help="verification walks; the median counts (3)"
    )
    parser.add_argument(
        "--records", type=positive_int, default=2_000, help="record() calls per variant (2000)"
    )
    parser.add_argument("--rounds", type=positive_int, default=5, help="alternating rounds per variant (5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    return parser.parse_args(argv)


# --- Seeding ------------------------------------------------------------------------------------------------


def make_users(count: int) -> list[User]:
    from accounts.models import User

    User.objects.bulk_create(
        [User(email=f"chain.{number}@example.org", name=f"Chain {number}") for number in range(count)],
        batch_size=1000,
    )
    return list(User.objects.filter(email__startswith="chain.").order_by("pk"))


def page_view(user: User | None, rng: random.Random, when: datetime) -> AuditEvent:
    """A row as @audited writes it for a page view: the most common event in the log."""
    from privacy_kernel.events import ActorKind, Event
    from privacy_kernel.models import AuditEvent

    return AuditEvent(
        created_at=when,
        event=Event.ACCOUNT_PAGE_VIEWED if user else Event.LOGIN_FAILED,
        actor_kind=ActorKind.USER,
        actor=user,
        actor_ref=user.pk if user else None,
        subject=user,
        metadata={"page": rng.choice(PAGES), "method": "GET"},
        ip=f"198.51.100.{rng.randrange(1, 255)}",
        user_agent=USER_AGENT,
    )


def seed_chains(users: list[User], events: int, rng: random.Random) -> float:
    """`events` valid chained rows, 1 % of them in the system chain, written with bulk_create (record()
    would take minutes for 100,000). Returns the seconds the hashing took."""
    from privacy_kernel import chain, chain_encoding
    from privacy_kernel.models import AuditEvent

    system = max(1, events // 100)
    owners: list[User | None] = [None] * system + [users[n % len(users)] for n in range(events - system)]
    start = datetime.now(UTC) - timedelta(days=80)
    heads: dict[int | None, chain_encoding.ChainHead] = {}
    hashing = 0.0
    batch: list[AuditEvent] = []
    for number, owner in enumerate(owners):
        row = page_view(owner, rng, start + timedelta(seconds=number * 60))
        key = owner.pk if owner else None
        began = time.perf_counter()
        chain.seal(row, heads.get(key, chain_encoding.GENESIS))
        hashing += time.perf_counter() - began
        heads[key] = chain_encoding.ChainHead(row.sequence, row.entry_hash)
        batch.append(row)
        if len(batch) == 2000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    return hashing


# --- Measuring ----------------------------------------------------------------------------------------------


def walk_instances() -> tuple[int, int]:
    """The same walk as verify_database, over model instances: what values_list rows save."""
    from privacy_kernel import chain_verify
    from privacy_kernel.models import AuditEvent

    events = broken = 0
    rows = AuditEvent.objects.order_by("subject_id", "sequence").iterator(chunk_size=2000)
    for _, entries in groupby(rows, key=lambda row: row.subject_id):
        verifier = chain_verify.ChainVerifier()
        for row in entries:
            events += 1
            if verifier.check(row):
                broken += 1
                break
    return events, broken


def measure_verify(walks: int) -> dict[str, Any]:
    from privacy_kernel import chain_verify

    rows_seconds, instance_seconds = [], []
    events = chains = 0
    for _ in range(walks):
        report = chain_verify.verify_database()
        assert not report.breaks, report.breaks[:3]
        rows_seconds.append(report.seconds)
        events, chains = report.events, report.chains
        began = time.perf_counter()
        walked, broken = walk_instances()
        instance_seconds.append(time.perf_counter() - began)
        assert (walked, broken) == (events, 0)
    rows_median, instances_median = statistics.median(rows_seconds), statistics.median(instance_seconds)
    return {
        "events": events,
        "chains": chains,
        "walks": walks,
        "seconds": [round(s, 3) for s in rows_seconds],
        "events_per_second": round(events / rows_median),
        "model_instances_seconds": [round(s, 3) for s in instance_seconds],
        "model_instances_events_per_second": round(events / instances_median),
    }


def measure_hashing(count: int, rng: random.Random) -> dict[str, Any]:
    from privacy_kernel import chain, chain_encoding, chain_verify

    rows = [page_view(None, rng, datetime.now(UTC)) for _ in range(count)]
    began = time.perf_counter()
    for row in rows:
        chain.seal(row, chain_encoding.GENESIS)
    seal_us = (time.perf_counter() - began) / count * 1e6
    began = time.perf_counter()
    for row in rows:
        chain_verify.ChainVerifier().check(row)
    check_us = (time.perf_counter() - began) / count * 1e6
    return {"seal_us": round(seal_us, 1), "verify_check_us": round(check_us, 1)}


def measure_record(users: list[User], records: int, rounds: int) -> dict[str, Any]:
    """µs per call for record() against a plain insert, alternating in rounds so drift hits both alike."""
    from django.db import connection
    from django.http import HttpRequest
    from django.test.utils import CaptureQueriesContext

    from privacy_kernel import audit, chain, writes
    from privacy_kernel.events import ActorKind, Event
    from privacy_kernel.masking import mask
    from privacy_kernel.models import AuditEvent

    request = HttpRequest()
    request.META = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": USER_AGENT}
    # Negative positions for the plain rows: the unique (subject, sequence) constraint must hold for them
    # too, and they must not take the positions the chained calls will want.
    plain_positions = iter(range(-1, -(10**9), -1))

    def chained(user: User) -> None:
        actor = audit.Actor(kind=ActorKind.USER, user=user, request=request)
        audit.record(
            Event.ACCOUNT_PAGE_VIEWED, actor=actor, subject=user, data={"page": PAGES[0], "method": "GET"}
        )

    def plain(user: User) -> None:
        # What record() did before the chain: mask the data and insert; the chain columns get fillers.
        AuditEvent.objects.create(
            event=Event.ACCOUNT_PAGE_VIEWED,
            actor_kind=ActorKind.USER,
            actor=user,
            actor_label="",
            subject=user,
            metadata=mask({"page": PAGES[0], "method": "GET"}),
            ip=audit.client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:300],
            sequence=next(plain_positions),
            chain_version=1,
        )

    def plain_by_hand(user: User) -> None:
        # The same INSERT statement record() now sends, without the head read and the hashing: what the
        # chain itself costs, apart from the ORM's query building that the plain variant pays.
        row = AuditEvent(
            event=Event.ACCOUNT_PAGE_VIEWED,
            actor_kind=ActorKind.USER,
            actor=user,
            subject=user,
            metadata=mask({"page": PAGES[0], "method": "GET"}),
            ip=audit.client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:300],
            sequence=next(plain_positions),
            chain_version=1,
        )
        chain._insert_unless_taken(row, "default")

    def in_caller_transaction(write: Callable[[User], None]) -> Callable[[User], None]:
        def wrapped(user: User) -> None:
            writes.run(write, user)

        return wrapped

    variants: dict[str, Callable[[User], None]] = {
        "chained, autocommit": chained,
        "plain, autocommit": plain,
        "plain by hand, autocommit": plain_by_hand,
        "chained, in caller's transaction": in_caller_transaction(chained),
        "plain, in caller's transaction": in_caller_transaction(plain),
        "plain by hand, in caller's transaction": in_caller_transaction(plain_by_hand),
    }
    per_round = max(1, records // rounds)
    timings: dict[str, list[float]] = {name: [] for name in variants}
    queries: dict[str, int] = {}
    for name, write in variants.items():
        with CaptureQueriesContext(connection) as captured:
            write(users[0])
        queries[name] = len(captured.captured_queries)
    for round_number in range(rounds):
        for name, write in variants.items():
            began = time.perf_counter()
            for number in range(per_round):
                write(users[(round_number * per_round + number) % len(users)])
            timings[name].append((time.perf_counter() - began) / per_round * 1e6)
    return {
        name: {"us_per_call": round(statistics.median(values), 1), "queries": queries[name]}
        for name, values in timings.items()
    }


# --- Main ---------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    from bench.run import configure_environment, git_revision, scratch_database

    with tempfile.TemporaryDirectory(prefix="omoikane-bench-chain-") as temporary:
        workdir = Path(temporary)
        configure_environment(workdir)
        import django

        django.setup()
        with scratch_database(workdir):
            from django.db import connection

            vendor = f"{connection.vendor} {'.'.join(str(p) for p in connection.get_database_version())}"
            print(f"Seeding {args.events:,} chained audit events over {args.users:,} users ({vendor})...")
            began = time.perf_counter()
            users = make_users(args.users)
            seed_hashing = seed_chains(users, args.events, rng)
            seeding = time.perf_counter() - began
            load_before = os.getloadavg()[0]
            print(f"Seeded in {seeding:.1f} s; verifying {args.walks} times...")
            verify = measure_verify(args.walks)
            print(f"Timing {args.records:,} record() calls per variant...")
            record = measure_record(users, args.records, args.rounds)
            hashing = measure_hashing(10_000, rng)
    results = {
        "metadata": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": vendor,
            "cpu_count": os.process_cpu_count(),
            "load_average_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
            "platform": platform.platform(),
            "seed": args.seed,
            "seconds_seeding": round(seeding, 1),
            "seconds_hashing_while_seeding": round(seed_hashing, 1),
            **git_revision(),
        },
        "verify": verify,
        "record": record,
        "hashing": hashing,
    }
    walks = ", ".join(map(str, verify["seconds"]))
    print(
        f"\naudit_verify: {verify['events']:,} events in {verify['chains']:,} chains, "
        f"median {verify['events_per_second']:,} events/s (walks: {walks} s); "
        f"over model instances {verify['model_instances_events_per_second']:,} events/s"
    )
    seal_us, check_us = hashing["seal_us"], hashing["verify_check_us"]
    print(f"hashing alone: seal {seal_us} µs, verify check {check_us} µs per event\n")
    width = max(len(name) for name in record)
    print(f"{'record() variant'.ljust(width)}  µs/call  queries")
    for name, row in record.items():
        print(f"{name.ljust(width)}  {row['us_per_call']:7.1f}  {row['queries']:7d}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nWrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
