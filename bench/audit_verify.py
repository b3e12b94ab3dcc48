"""Audit archive benchmark: `audit_verify` throughput on live rows and on archived objects, and archiving.

`.venv/bin/python bench/audit_verify.py` (`--help` for the options) seeds --events chained audit events
(100,000) over --users chains plus the system chain, all older than AUDIT_HOT_DAYS and spread over six
months, then measures in one process:

1. `verify_everything()` (what `manage.py audit_verify` runs) over the live rows, in events per second;
2. `run_retention()` (what `manage.py audit_archive` runs): moving every event into age-encrypted objects
   in the filesystem archive storage, in events per second and objects written;
3. `verify_everything()` again, now that nothing is live: without a key (archive records linked, per
   second), and with the identity (`--identity`: every object fetched, decrypted and its entries verified),
   in archived events per second.

Like bench/run.py and bench/audit_chain.py the run never touches var/: it uses a temporary VAR_DIR and a
throwaway SQLite file, or a scratch database beside BENCH_DATABASE_URL. It prints its results and writes
them to bench/results/<--name>.json.
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
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
if sys.path and Path(sys.path[0] or ".").resolve() == BENCH_DIR:
    sys.path[0] = str(REPO_DIR)
elif str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--events", type=positive_int, default=100_000, help="audit events (100000)")
    parser.add_argument(
        "--users", type=positive_int, default=1_000, help="chains they are spread over (1000)"
    )
    parser.add_argument(
        "--walks", type=positive_int, default=3, help="verification walks; the median counts (3)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--name", default="audit_verify", help="results file name (audit_verify)")
    return parser.parse_args(argv)


def seed_old_chains(events: int, users: int, rng: random.Random, now: datetime) -> None:
    """`events` valid chained rows between 280 and 100 days old, 1 % in the system chain (bulk_create)."""
    from bench.audit_chain import make_users, page_view
    from privacy_kernel import chain, chain_encoding
    from privacy_kernel.models import AuditEvent

    accounts = make_users(users)
    system = max(1, events // 100)
    owners = [None] * system + [accounts[n % len(accounts)] for n in range(events - system)]
    start, span = now - timedelta(days=280), timedelta(days=180)
    step = span / events
    heads: dict[int | None, chain_encoding.ChainHead] = {}
    batch: list[AuditEvent] = []
    for number, owner in enumerate(owners):
        row = page_view(owner, rng, start + step * number)
        key = owner.pk if owner else None
        chain.seal(row, heads.get(key, chain_encoding.GENESIS))
        heads[key] = chain_encoding.ChainHead(row.sequence, row.entry_hash)
        batch.append(row)
        if len(batch) == 2000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)


def median_walk(walks: int, walk: Callable[[], Any]) -> tuple[list[float], Any]:
    seconds, result = [], None
    for _ in range(walks):
        began = time.perf_counter()
        result = walk()
        seconds.append(time.perf_counter() - began)
        assert not result.breaks, [str(found) for found in result.breaks[:3]]
    return seconds, result


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    from bench.run import RESULTS_DIR, configure_environment, git_revision, scratch_database

    with tempfile.TemporaryDirectory(prefix="omoikane-bench-archive-") as temporary:
        workdir = Path(temporary)
        configure_environment(workdir)
        import django

        django.setup()
        with scratch_database(workdir):
            from django.core.files.storage import storages
            from django.db import connection

            from privacy_rights import archive
            from privacy_rights.archive_verify import verify_everything
            from privacy_rights.retention import run_retention

            vendor = f"{connection.vendor} {'.'.join(str(p) for p in connection.get_database_version())}"
            now = datetime.now(UTC)
            print(f"Seeding {args.events:,} old chained audit events over {args.users:,} users ({vendor})...")
            seed_old_chains(args.events, args.users, rng, now)
            load_before = os.getloadavg()[0]

            print(f"Verifying the live rows {args.walks} times...")
            live_seconds, live = median_walk(args.walks, verify_everything)
            assert live.live.events == args.events

            print("Archiving every event...")
            began = time.perf_counter()
            report = run_retention(now=now)
            archive_seconds = time.perf_counter() - began
            assert report.archived_events == args.events and not report.refused, report
            location = Path(storages["archive"].path("audit"))
            archive_bytes = sum(path.stat().st_size for path in location.rglob("*.age"))

            print(f"Verifying {report.objects_written:,} archive records without a key, then with it...")
            linked_seconds, linked = median_walk(args.walks, verify_everything)
            identities = [archive.development_identity()]
            decrypted_seconds, decrypted = median_walk(
                args.walks, lambda: verify_everything(identities=identities)
            )
            assert decrypted.archived_events == args.events

    live_median = statistics.median(live_seconds)
    linked_median = statistics.median(linked_seconds)
    decrypted_median = statistics.median(decrypted_seconds)
    results = {
        "metadata": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": vendor,
            "storage": "filesystem",
            "cpu_count": os.process_cpu_count(),
            "load_average_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
            "platform": platform.platform(),
            "seed": args.seed,
            **git_revision(),
        },
        "events": args.events,
        "chains": live.chains,
        "live": {
            "seconds": [round(s, 3) for s in live_seconds],
            "events_per_second": round(args.events / live_median),
        },
        "archiving": {
            "seconds": round(archive_seconds, 2),
            "objects": report.objects_written,
            "bytes": archive_bytes,
            "events_per_second": round(args.events / archive_seconds),
        },
        "archived_without_key": {
            "seconds": [round(s, 3) for s in linked_seconds],
            "records_per_second": round(linked.archives / linked_median),
        },
        "archived_with_identity": {
            "seconds": [round(s, 3) for s in decrypted_seconds],
            "events_per_second": round(args.events / decrypted_median),
            "objects_per_second": round(decrypted.archives / decrypted_median),
        },
    }
    rates = [
        ("audit_verify, live rows", f"{results['live']['events_per_second']:,} events/s"),
        (
            "audit_archive (encrypt and move)",
            f"{results['archiving']['events_per_second']:,} events/s ({report.objects_written:,} objects, "
            f"{archive_bytes / 1e6:.1f} MB, {archive_seconds:.1f} s)",
        ),
        (
            "audit_verify, archive records only",
            f"{results['archived_without_key']['records_per_second']:,} records/s",
        ),
        (
            "audit_verify --identity, archived",
            f"{results['archived_with_identity']['events_per_second']:,} events/s "
            f"({results['archived_with_identity']['objects_per_second']:,} objects/s)",
        ),
    ]
    print(f"\n{args.events:,} events in {live.chains:,} chains")
    for label, rate in rates:
        print(f"{label.ljust(36)}{rate}")
    target = RESULTS_DIR / f"{args.name}.json"
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
