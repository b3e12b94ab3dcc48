"""Page benchmark: latency and query counts of the main pages, served through the real WSGI handler.

Run it with `make bench`, or `.venv/bin/python bench/run.py --help` for the options; bench/README.md says
what the numbers mean. The run never touches the developer's state in var/: it points VAR_DIR at a
temporary directory and migrates a throwaway SQLite file there, or, when BENCH_DATABASE_URL is set, a
scratch database created next to the named one and dropped at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication, WSGIEnvironment

    from django.http import HttpRequest

    from accounts.models import User
    from privacy_kernel.events import Event

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
# Requests name this host; ALLOWED_HOSTS is set to it so a developer's own ALLOWED_HOSTS cannot turn every
# answer into a 400.
HOST = "bench.localhost"


@dataclass(frozen=True)
class Page:
    path: str
    signed_in: bool
    # Requested by the few users who also hold --applications applications each.
    busy: bool = False


PAGES = [
    Page("/", signed_in=False),
    Page("/security/", signed_in=False),
    Page("/sub-processors/", signed_in=False),
    Page("/account/login/", signed_in=False),
    Page("/healthz", signed_in=False),
    Page("/settings/", signed_in=True),
    Page("/home/", signed_in=True, busy=True),
    Page("/account/email/", signed_in=True),
    Page("/account/2fa/", signed_in=True),
    Page("/account/sessions/", signed_in=True),
    Page("/applications/", signed_in=True, busy=True),
    Page("/applications/table/?sort=score&order=desc", signed_in=True, busy=True),
    Page("/applications/table/?q=engineer&status=sent", signed_in=True, busy=True),
]
# How many of the seeded users get --applications applications each (the "busy" job seekers).
BUSY_USERS = 5
JOB_TITLES = [
    "Backend engineer",
    "Data scientist",
    "Marketing manager",
    "ICU nurse",
    "Platform engineer",
    "Product designer",
    "Accountant",
    "Teacher",
    "Project manager",
    "Support engineer",
]
COMPANIES = [
    "Fjordpay AS",
    "GroenGoed B.V.",
    "Pasientlinken AS",
    "Nordlicht GmbH",
    "Zonnedak",
    "Helix Labs",
    "Aegean Data",
    "Kode & Kaffe",
    "Stroomlijn",
    "Bergen Health",
]

# Names as people in each of the supported languages write them, with the ASCII form used for the email
# address.
NAMES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Olivia Bennett", "olivia.bennett"),
        ("James O'Connor", "james.oconnor"),
        ("Amelia Hughes", "amelia.hughes"),
        ("Harry Patel", "harry.patel"),
        ("Grace Thompson", "grace.thompson"),
        ("Samuel Okafor", "samuel.okafor"),
    ],
    "nl": [
        ("Sanne de Vries", "sanne.devries"),
        ("Daan van den Berg", "daan.vandenberg"),
        ("Femke Jansen", "femke.jansen"),
        ("Bram Bakker", "bram.bakker"),
        ("Lotte Visser", "lotte.visser"),
        ("Joris van Dijk", "joris.vandijk"),
    ],
    "nb": [
        ("Ingrid Hansen", "ingrid.hansen"),
        ("Ole Johansen", "ole.johansen"),
        ("Kari Olsen", "kari.olsen"),
        ("Håkon Larsen", "hakon.larsen"),
        ("Solveig Berg", "solveig.berg"),
        ("Bjørn Eriksen", "bjorn.eriksen"),
    ],
    "de": [
        ("Lena Müller", "lena.mueller"),
        ("Jonas Schmidt", "jonas.schmidt"),
        ("Sophie Weiß", "sophie.weiss"),
        ("Lukas Schneider", "lukas.schneider"),
        ("Marie Fischer", "marie.fischer"),
        ("Jürgen Groß", "juergen.gross"),
    ],
    "el": [
        ("Γιώργος Παπαδόπουλος", "giorgos.papadopoulos"),
        ("Μαρία Ιωάννου", "maria.ioannou"),
        ("Ελένη Κωνσταντίνου", "eleni.konstantinou"),
        ("Νίκος Γεωργίου", "nikos.georgiou"),
        ("Κατερίνα Δημητρίου", "katerina.dimitriou"),
        ("Δημήτρης Νικολάου", "dimitris.nikolaou"),
    ],
}
LANGUAGES = list(NAMES)
ACCEPT_LANGUAGE = {
    "en": "en-GB,en;q=0.9",
    "nl": "nl-NL,nl;q=0.9,en;q=0.8",
    "nb": "nb-NO,nb;q=0.9,no;q=0.8,en;q=0.7",
    "de": "de-DE,de;q=0.9,en;q=0.8",
    "el": "el-GR,el;q=0.9,en;q=0.8",
}
DOMAINS = ["example.com", "example.org", "example.net", "mail.example", "posteo.example"]
USER_AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:139.0) Gecko/20100101 Firefox/139.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/137.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.5 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/137.0.0.0 Mobile Safari/537.36",
]
# The account pages a signed-in user opens; their audit rows name the view as @audited does.
ACCOUNT_VIEWS = [
    "accounts:settings",
    "account_email",
    "mfa_index",
    "usersessions_list",
    "account_change_password",
]


@dataclass(frozen=True)
class Visitor:
    remote_addr: str
    user_agent: str
    accept_language: str
    cookie: str = ""


@dataclass
class Measurement:
    page: Page
    timings_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    response_bytes: int = 0
    last_queries: list[str] = field(default_factory=list)


# --- Set-up -------------------------------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1; got {value}")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more; got {value}")
    return value


def result_name(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text):
        raise argparse.ArgumentTypeError("letters, digits, '.', '_' and '-' only (it becomes a file name)")
    return text


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=positive_int, default=200, help="accounts to seed (default 200)")
    parser.add_argument(
        "--requests", type=positive_int, default=200, help="measured requests per page (default 200)"
    )
    parser.add_argument(
        "--warmup", type=non_negative_int, default=20, help="unmeasured requests per page first (20)"
    )
    parser.add_argument(
        "--events", type=non_negative_int, default=50, help="audit events seeded per user (default 50)"
    )
    parser.add_argument(
        "--name", type=result_name, default="pages", help="writes bench/results/NAME.json (default pages)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data (default 1)")
    parser.add_argument(
        "--applications",
        type=non_negative_int,
        default=1000,
        help=f"applications for each of {BUSY_USERS} busy users, who open the applications pages (1000)",
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of each page's last request"
    )
    parser.add_argument(
        "--no-audit-ratio",
        dest="audit_ratio",
        action="store_false",
        help="skip measuring the signed-in pages a second time with audit writes switched off",
    )
    return parser.parse_args(argv)


def configure_environment(workdir: Path) -> None:
    """Point the strict settings reader at throwaway state; must run before django.setup()."""
    if str(REPO_DIR) not in sys.path:
        sys.path.insert(0, str(REPO_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "omoikane.settings"
    os.environ["OMOIKANE_PROFILE"] = "development"
    # The development profile defaults to DEBUG=True, which renders technical error pages and does extra
    # work per query and template: timings would not be the ones production sees.
    os.environ["DEBUG"] = "false"
    # var/ holds the developer's database, secret key, mail and uploads; the bench gets its own. The
    # empty static directory only keeps WhiteNoise from warning: no benchmarked page serves a file.
    var_dir = workdir / "var"
    (var_dir / "static").mkdir(parents=True)
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ["DATABASE_URL"] = (
        os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    os.environ["ALLOWED_HOSTS"] = HOST
    os.environ.setdefault("LOG_LEVEL", "WARNING")


@contextmanager
def scratch_database(workdir: Path) -> Iterator[None]:
    """A migrated database with the cache table, gone when the block ends."""
    from django.core.management import call_command
    from django.db import connection, connections

    if not os.environ.get("BENCH_DATABASE_URL"):
        # DATABASE_URL already names a fresh file in the temporary directory.
        call_command("migrate", interactive=False, verbosity=0)
        # The trace store (VAR_DIR/traces.sqlite3 here): evaluation's throwaway users clean it up.
        call_command("migrate", interactive=False, verbosity=0, database="traces")
        call_command("createcachetable", verbosity=0)
        try:
            yield
        finally:
            connections.close_all()
        return
    # Like the test runner: a new database beside the named one, so a shared or development database
    # never receives the bench's accounts. The name is our own so a concurrent pytest run's test_<name>
    # database is left alone. create_test_db() runs migrate and createcachetable.
    original_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = (
        str(workdir / "scratch.sqlite3")
        if connection.vendor == "sqlite"
        else f"{os.environ.get('BENCH_DATABASE_PREFIX', 'omoikane_bench_')}{os.getpid()}"
    )
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        connections.close_all()


# --- Seed data ----------------------------------------------------------------------------------------------


def audit_history(
    rng: random.Random, count: int, *, language: str, email: str
) -> list[tuple[Event, dict[str, Any]]]:
    """What a real account's log looks like: sign-up, then visits of a sign-in and a few account pages."""
    from privacy_kernel.events import Event

    history: list[tuple[Event, dict[str, Any]]] = [
        (Event.ACCOUNT_SIGNED_UP, {"language": language}),
        (Event.EMAIL_CONFIRMED, {"email": email}),
    ]
    while len(history) < count:
        if rng.random() < 0.08:
            history.append((Event.LOGIN_FAILED, {}))
        history.append((Event.LOGIN_SUCCEEDED, {}))
        for _ in range(rng.randint(1, 6)):
            history.append((Event.ACCOUNT_PAGE_VIEWED, {"page": rng.choice(ACCOUNT_VIEWS), "method": "GET"}))
        if rng.random() < 0.05:
            history.append((Event.PROFILE_UPDATED, {"fields": ["name"]}))
        if rng.random() < 0.6:
            history.append((Event.LOGGED_OUT, {}))
    return history[:count]


def random_ip(rng: random.Random) -> str:
    # Documentation ranges (RFC 5737, RFC 3849): realistic shapes that belong to nobody.
    if rng.random() < 0.25:
        return f"2001:db8:{rng.randrange(0x10000):x}::{rng.randrange(1, 0x10000):x}"
    prefix = rng.choice(["192.0.2", "198.51.100", "203.0.113"])
    return f"{prefix}.{rng.randrange(1, 255)}"


def seed_account(
    email: str,
    name: str,
    language: str,
    joined: datetime,
    history: list[tuple[Event, dict[str, Any]]],
    moments: list[datetime],
    request: HttpRequest,
    password_hash: str,
) -> User:
    """One account and its audit history, written as an action writes (record() refuses a transaction no
    write owns)."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from privacy_kernel import audit
    from privacy_kernel.events import ActorKind, Event

    user = User.objects.create_user(email, None, name=name, language=language, date_joined=joined)
    user.password = password_hash
    logins = [
        moment for (event, _), moment in zip(history, moments, strict=True) if event == Event.LOGIN_SUCCEEDED
    ]
    user.last_login = logins[-1] if logins else None
    user.save(update_fields=["password", "last_login"])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for event, data in history:
        # A failed sign-in has no authenticated actor, as accounts/signals.py records it.
        actor = audit.Actor(
            kind=ActorKind.USER, user=None if event == Event.LOGIN_FAILED else user, request=request
        )
        # Written as the chain requires, in order and stamped now: the audit log refuses rewrites.
        audit.record(event, actor=actor, subject=user, data=data)
    return user


def seed_users(count: int, events_per_user: int, rng: random.Random) -> list[tuple[User, Visitor]]:
    """Accounts made through the real code paths, each with its device and a history in the audit log."""
    from django.contrib.auth.hashers import make_password
    from django.http import HttpRequest

    from privacy_kernel import writes

    # Argon2 is slow on purpose (tens of milliseconds a hash); one hash shared by every account keeps
    # seeding to seconds. The benchmarked pages never check a password.
    password_hash = make_password("correct horse battery staple")
    now = datetime.now(UTC)
    seeded: list[tuple[User, Visitor]] = []
    for index in range(count):
        language = LANGUAGES[index % len(LANGUAGES)]
        name, local_part = rng.choice(NAMES[language])
        email = f"{local_part}.{index}@{rng.choice(DOMAINS)}"
        joined = now - timedelta(days=rng.uniform(1, 89))
        history = audit_history(rng, events_per_user, language=language, email=email)
        moments = sorted(joined + (now - joined) * rng.random() for _ in history)
        visitor = Visitor(random_ip(rng), rng.choice(USER_AGENTS), ACCEPT_LANGUAGE[language])
        # record() reads the address and browser from the request, as it does for a live one.
        request = HttpRequest()
        request.META = {"REMOTE_ADDR": visitor.remote_addr, "HTTP_USER_AGENT": visitor.user_agent}
        user = writes.run(
            seed_account, email, name, language, joined, history, moments, request, password_hash
        )
        seeded.append((user, visitor))
    return seeded


def seed_applications(users: Sequence[User], per_user: int, rng: random.Random) -> None:
    """Many applications for a few users: the board and table must stay cheap as a job search grows."""
    from applications.models import Application, Status

    statuses = Status.values
    for user in users:
        Application.objects.bulk_create(
            [
                Application(
                    user=user,
                    title=f"{rng.choice(JOB_TITLES)} {i}",
                    company=rng.choice(COMPANIES),
                    location=rng.choice(["Oslo", "Utrecht", "Berlin", "Athens", "Trondheim"]),
                    status=rng.choice(statuses),
                    score=rng.randint(0, 100),
                    band=rng.choice(["high", "medium", "low"]),
                    posting_text="Requirements\n- Python\n- PostgreSQL\n",
                    deadline=(datetime.now(UTC) + timedelta(days=rng.randint(-30, 60))).date(),
                )
                for i in range(per_user)
            ],
            batch_size=500,
        )


def sign_in(seeded: list[tuple[User, Visitor]]) -> list[Visitor]:
    """One live session per account, as after a sign-in; requests then pick one at random."""
    from django.conf import settings
    from django.test import Client

    visitors = []
    for user, visitor in seeded:
        # A client of its own per account: logging a second user into one client flushes the first session.
        client = Client()
        client.force_login(user)
        session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
        visitors.append(
            Visitor(
                visitor.remote_addr,
                visitor.user_agent,
                visitor.accept_language,
                cookie=f"{settings.SESSION_COOKIE_NAME}={session_key}",
            )
        )
    return visitors


def anonymous_visitors(rng: random.Random, count: int = 50) -> list[Visitor]:
    return [
        Visitor(random_ip(rng), rng.choice(USER_AGENTS), ACCEPT_LANGUAGE[rng.choice(LANGUAGES)])
        for _ in range(count)
    ]


# --- Measuring ----------------------------------------------------------------------------------------------


def wsgi_environ(path: str, visitor: Visitor) -> WSGIEnvironment:
    """What a WSGI server (gunicorn behind HAProxy) hands the application for a browser's GET."""
    environ: WSGIEnvironment = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path.partition("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": visitor.remote_addr,
        "HTTP_HOST": HOST,
        "HTTP_USER_AGENT": visitor.user_agent,
        "HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "HTTP_ACCEPT_LANGUAGE": visitor.accept_language,
        "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if visitor.cookie:
        environ["HTTP_COOKIE"] = visitor.cookie
    return environ


def _discard(data: bytes) -> object:
    return None


def serve(application: WSGIApplication, environ: WSGIEnvironment) -> tuple[int, int]:
    """One request, start to finish as a server runs it: the body is read and the response closed (which
    fires request_finished and closes or recycles the database connection). Returns status and size."""
    statuses: list[str] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
    ) -> Callable[[bytes], object]:
        statuses.append(status)
        return _discard

    body = application(environ, start_response)
    try:
        size = sum(len(chunk) for chunk in body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return int(statuses[0].split(" ", 1)[0]), size


def measure(
    application: WSGIApplication,
    page: Page,
    visitors: list[Visitor],
    *,
    requests: int,
    warmup: int,
    rng: random.Random,
) -> Measurement:
    from django.db import connection

    result = Measurement(page)
    # Queries are counted as CaptureQueriesContext counts them (the debug cursor's log on the connection),
    # but without its connect on entry: with SQLite (CONN_MAX_AGE 0) that connect, and the close and WAL
    # checkpoint it brings at the end of the request, would be timed for pages that never touch the
    # database. The log is emptied by request_started, so after a request it holds that request's queries.
    debug_cursor = connection.force_debug_cursor
    connection.force_debug_cursor = True
    try:
        for iteration in range(warmup + requests):
            environ = wsgi_environ(page.path, rng.choice(visitors))
            started = time.perf_counter_ns()
            status, size = serve(application, environ)
            elapsed_ms = (time.perf_counter_ns() - started) / 1_000_000
            if iteration < warmup:
                continue
            result.timings_ms.append(elapsed_ms)
            result.queries.append(len(connection.queries_log))
            result.statuses[status] += 1
            result.response_bytes = size
            result.last_queries = [query["sql"] for query in connection.queries_log]
    finally:
        connection.force_debug_cursor = debug_cursor
    return result


@contextmanager
def audit_writes_off() -> Iterator[None]:
    """Audit writes switched off, for the benchmark's comparison only: the product has no such switch.

    Replacing the chain's append is what "auditing off" means here: the view, its decorators and the
    request are unchanged, only the audit row (chain head read, hashing, insert) is not written.
    """
    from privacy_kernel import chain

    def skip(row: object) -> None:
        return None

    original = chain.append
    chain.append = skip  # type: ignore[assignment]
    try:
        yield
    finally:
        chain.append = original


def audit_cost(
    application: WSGIApplication,
    pages: Sequence[Page],
    visitors: list[Visitor],
    busy: list[Visitor],
    *,
    requests: int,
    warmup: int,
    rng: random.Random,
) -> list[dict[str, Any]]:
    """p50 of each signed-in page with auditing on and off, in alternating blocks of one run, so that drift
    in the machine's load falls on both sides alike."""
    rows = []
    block = max(1, min(20, requests // 5))
    for page in pages:
        on, off = Measurement(page), Measurement(page)
        who = busy if page.busy else visitors
        measure(application, page, who, requests=warmup, warmup=0, rng=rng)
        with audit_writes_off():
            measure(application, page, who, requests=warmup, warmup=0, rng=rng)
        while len(on.timings_ms) < requests:
            for side, switch in ((on, nullcontext), (off, audit_writes_off)):
                with switch():
                    part = measure(application, page, who, requests=block, warmup=0, rng=rng)
                side.timings_ms.extend(part.timings_ms)
        p50_on, p50_off = percentile(on.timings_ms, 0.5), percentile(off.timings_ms, 0.5)
        rows.append(
            {
                "path": page.path,
                "requests_each": len(on.timings_ms),
                "p50_on_ms": round(p50_on, 2),
                "p50_off_ms": round(p50_off, 2),
                "ratio": round(p50_on / p50_off, 3),
            }
        )
    return rows


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), defined for a single value too."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def summarise(measurement: Measurement) -> dict[str, Any]:
    timings, queries = measurement.timings_ms, measurement.queries
    return {
        "path": measurement.page.path,
        "signed_in": measurement.page.signed_in,
        "requests": len(timings),
        "statuses": {str(status): count for status, count in sorted(measurement.statuses.items())},
        "p50_ms": round(percentile(timings, 0.50), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "mean_ms": round(sum(timings) / len(timings), 2),
        "queries": {"min": min(queries), "median": percentile(queries, 0.5), "max": max(queries)},
        "response_bytes": measurement.response_bytes,
    }


# --- Reporting ----------------------------------------------------------------------------------------------


def run_child(script: str, *args: str) -> dict[str, Any]:
    """Run a benchmark's step in a fresh interpreter (its memory is its own) and read the JSON line it
    prints last."""
    completed = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, str(Path(script).resolve()), *args],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_DIR)},
    )
    if completed.returncode != 0:
        raise RuntimeError(f"The {' '.join(args)} child failed:\n{completed.stderr}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def peak_memory_mib() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over
    from the parent across fork and exec, so every child would report at least its parent's peak."""
    status = Path("/proc/self/status").read_text()
    peak_kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(peak_kib / 1024, 1)


def run_metadata(**extra: Any) -> dict[str, Any]:
    """What every results file says about the run: when, on what, how busy the machine was, which commit."""
    import django  # inside: the benchmarks set Django up before they ask

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": "sqlite",
        "cpu_count": os.process_cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        **extra,
        **git_revision(),
    }


def git_revision() -> dict[str, Any]:
    try:
        # git from PATH (S607) is what a developer runs by hand; the arguments are fixed.
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "uncommitted_changes": None}
    return {"commit": commit, "uncommitted_changes": bool(changes)}


def metadata(
    args: argparse.Namespace, *, audit_events: int, seconds_seeding: float, load_before: float
) -> dict[str, Any]:
    import django
    from django.conf import settings
    from django.db import connection

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": {
            "vendor": connection.vendor,
            "version": ".".join(str(part) for part in connection.get_database_version()),
            "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
        },
        "debug": settings.DEBUG,
        "users": args.users,
        "audit_events": audit_events,
        "requests": args.requests,
        "warmup": args.warmup,
        "seed": args.seed,
        "cpu_count": os.process_cpu_count(),
        # Other work on the machine shows in the tail latencies; the 1-minute load says how much there was.
        "load_average_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "platform": platform.platform(),
        "seconds_seeding": round(seconds_seeding, 1),
        **git_revision(),
    }


def format_queries(queries: dict[str, Any]) -> str:
    return str(queries["min"]) if queries["min"] == queries["max"] else f"{queries['min']}-{queries['max']}"


def print_table(rows: list[dict[str, Any]]) -> None:
    header = ("page", "who", "requests", "status", "p50 ms", "p95 ms", "max ms", "queries")
    lines = [header] + [
        (
            row["path"],
            "user" if row["signed_in"] else "anon",
            str(row["requests"]),
            " ".join(
                f"{status}x{count}" if len(row["statuses"]) > 1 else status
                for status, count in row["statuses"].items()
            ),
            f"{row['p50_ms']:.1f}",
            f"{row['p95_ms']:.1f}",
            f"{row['max_ms']:.1f}",
            format_queries(row["queries"]),
        )
        for row in rows
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for number, line in enumerate(lines):
        cells = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="omoikane-bench-") as temporary:
        workdir = Path(temporary)
        configure_environment(workdir)
        import django

        django.setup()
        with scratch_database(workdir):
            from django.db import connection

            from omoikane.wsgi import application
            from privacy_kernel.models import AuditEvent

            print(f"Seeding {args.users} users with {args.events} audit events each ({connection.vendor})...")
            started = time.perf_counter()
            seeded = seed_users(args.users, args.events, rng)
            signed_in = sign_in(seeded)
            seed_applications([user for user, _ in seeded[:BUSY_USERS]], args.applications, rng)
            busy = signed_in[:BUSY_USERS]
            seconds_seeding = time.perf_counter() - started
            audit_events = AuditEvent.objects.count()
            print(
                f"Seeded in {seconds_seeding:.1f} s; measuring {args.requests} requests per page "
                f"after {args.warmup} warm-up requests.\n"
            )
            anonymous = anonymous_visitors(rng)
            load_before = os.getloadavg()[0]
            rows = []
            for page in PAGES:
                measurement = measure(
                    application,
                    page,
                    (busy if page.busy else signed_in) if page.signed_in else anonymous,
                    requests=args.requests,
                    warmup=args.warmup,
                    rng=rng,
                )
                rows.append(summarise(measurement))
                if args.show_queries:
                    print(f"{page.path} ({len(measurement.last_queries)} queries):")
                    for sql in measurement.last_queries:
                        print(f"    {sql}")
            audit_rows = (
                audit_cost(
                    application,
                    [page for page in PAGES if page.signed_in],
                    signed_in,
                    busy,
                    requests=args.requests,
                    warmup=args.warmup,
                    rng=rng,
                )
                if args.audit_ratio
                else []
            )
            report = {
                "name": args.name,
                "metadata": metadata(
                    args, audit_events=audit_events, seconds_seeding=seconds_seeding, load_before=load_before
                ),
                "pages": rows,
                "audit_on_versus_off": audit_rows,
            }
    print_table(rows)
    if audit_rows:
        print("\nAuditing on versus off (p50, alternating blocks in this run):")
        for row in audit_rows:
            print(
                f"  {row['path']:<48} on {row['p50_on_ms']:7.2f} ms  off {row['p50_off_ms']:7.2f} ms"
                f"  ratio {row['ratio']:.2f}"
            )
    unexpected = [row["path"] for row in rows if any(not code.startswith("2") for code in row["statuses"])]
    if unexpected:
        print(f"\nNot every answer was a 2xx: {', '.join(unexpected)} (see the status column).")
    RESULTS_DIR.mkdir(exist_ok=True)
    output = RESULTS_DIR / f"{args.name}.json"
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWrote {output.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
