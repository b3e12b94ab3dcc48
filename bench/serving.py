"""Which production application server, measured: wrk against the real servers, production profile.

    .venv/bin/python bench/serving.py [--seconds 8] [--streams 200] [--repetitions 3] [--capacity 1000]

For each server (gunicorn's ASGI worker, uvicorn, gunicorn gthread): requests per second and p50/p99 latency
for /healthz, the home page, the board of a user with 1,000 applications and the signed-in settings page (with
the ratio of each to /healthz), the resident memory per worker; the board's latency without and with
`--streams` open draft streams (server-sent events), interleaved `--repetitions` times, medians; how many
open streams one worker holds (opened until one waits more than 5 s for its first event, at most
`--capacity`). For the chosen server, the edge's cost: direct and through HAProxy with TLS 1.3, interleaved
`--edge-repetitions` times, median ratio and spread. Needs Debian's `wrk` and `haproxy`. Prints a table and
writes bench/results/serving.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from ops import serving  # noqa: E402  (the repository root is put on the path just above)

RESULTS = BASE_DIR / "bench" / "results" / "serving.json"
PARTS = ["pages", "streams", "capacity", "edge", "interleaved"]
PAGES = {"healthz": "/healthz", "home": "/", "board": "/applications/", "settings": "/settings/"}

SEED = """
import json
from datetime import date
from allauth.account.models import EmailAddress
from django.test import Client
from django.conf import settings
from accounts.models import User
from applications.models import Application, DraftGeneration, Status

user = User.objects.create_user("bench@example.org", "bench password 12345", name="Bench")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
statuses = Status.values
Application.objects.bulk_create(
    [Application(user=user, title=f"Engineer {i}", company=f"Company {i % 37}", location="Oslo",
                 status=statuses[i % len(statuses)], score=i % 100, band="medium",
                 posting_text="Requirements\\n- Python\\n", deadline=date(2027, 1, 1 + i % 28))
     for i in range(1000)], batch_size=500)
application = Application.objects.filter(user=user).order_by("pk").first()
# A draft being written that never finishes (no worker runs here): its stream sends the text so far at once,
# then stays open, polling its row, as a real one does while the model writes.
generation = DraftGeneration.objects.create(
    application=application, status=DraftGeneration.Status.RUNNING, partial_text="Dear hiring team,"
)
client = Client()
client.force_login(user)
session = client.cookies[settings.SESSION_COOKIE_NAME].value
print(json.dumps({"cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
                  "stream": f"/applications/{application.pk}/letter/drafts/{generation.pk}/stream/"}))
"""

CONFIGURATIONS = {
    # name: (server in ops/serving.py, workers, threads per worker where the server has them)
    "uvicorn, 2 workers": ("uvicorn", "2", "1"),
    "gunicorn gthread, 2 workers x 160 threads": ("gunicorn-gthread", "2", "160"),
    "gunicorn asgi worker, 2 workers": ("gunicorn-asgi", "2", "1"),
}
CHOSEN = "gunicorn asgi worker, 2 workers"
assert CONFIGURATIONS[CHOSEN][0] == serving.PRODUCTION_SERVER


def wrk(url: str, headers: dict[str, str], seconds: int, connections: int = 16) -> dict[str, float]:
    binary = shutil.which("wrk")
    assert binary is not None, "apt-get install wrk"
    command = [binary, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "20s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 - wrk with arguments made here
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50_ms": _ms(re.search(r"\s50%\s+(\S+)", output).group(1)),  # type: ignore[union-attr]
        "p99_ms": _ms(re.search(r"\s99%\s+(\S+)", output).group(1)),  # type: ignore[union-attr]
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def _ms(text: str) -> float:
    value = float(re.match(r"[0-9.]+", text).group(0))  # type: ignore[union-attr]
    if text.endswith("us"):
        return value / 1000
    if text.endswith("ms"):
        return value
    if text.endswith("s"):
        return value * 1000
    return value


def _healthy(port: int) -> bool:
    headers = {"X-Forwarded-Proto": "https"}
    # /healthz/live: the full /healthz answers 503 here (one SQLite file, not the promised replicas).
    return (
        serving.http_request(port, host=serving.CANONICAL_HOST, path="/healthz/live", headers=headers)[0]
        == 200
    )


def worker_rss_mib(master_pid: int) -> list[float]:
    """Resident memory of each worker process (the master itself when it serves alone)."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            command = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M) and b"resource_tracker" not in command:
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if rss:
                sizes.append(round(int(rss.group(1)) / 1024, 1))
    if not sizes:
        rss = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{master_pid}/status").read_text(), re.M)
        sizes.append(round(int(rss.group(1)) / 1024, 1) if rss else 0.0)
    return sorted(sizes)


def worker_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by the server's processes, the master's included."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, ...; utime and stime are fields 14 and 15 of the whole line.
        if int(stat.parent.name) == master_pid or int(fields[1]) == master_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def idle_cpu_percent(master_pid: int, seconds: float = 5) -> float:
    """The server's CPU use while no page is asked for: what open streams cost by themselves."""
    before = worker_cpu_seconds(master_pid)
    time.sleep(seconds)
    return round((worker_cpu_seconds(master_pid) - before) / seconds * 100, 1)


def open_streams(
    port: int, path: str, cookie: str, count: int, *, first_bytes_within: float = 30
) -> list[socket.socket]:
    """Up to `count` draft streams held open, each read until its first event arrived; stops at the first
    stream that gets nothing within `first_bytes_within` seconds (the server holds no more)."""
    streams = []
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {serving.CANONICAL_HOST}\r\nX-Forwarded-Proto: https\r\n"
        f"Cookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()
    for _ in range(count):
        conn = socket.create_connection(("127.0.0.1", port), timeout=first_bytes_within)
        conn.sendall(request)
        received = b""
        try:
            while b"event: text" not in received:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                received += chunk
        except TimeoutError:
            conn.close()
            break
        assert received.startswith(b"HTTP/1.1 200"), received[:200]
        streams.append(conn)
    return streams


def measure_pages(base: str, cookie: str, seconds: int) -> dict[str, dict[str, float]]:
    headers = {"Host": serving.CANONICAL_HOST, "X-Forwarded-Proto": "https"}
    results = {}
    for name, path in PAGES.items():
        signed_in = name in {"board", "settings"}
        results[name] = wrk(base + path, {**headers, **({"Cookie": cookie} if signed_in else {})}, seconds)
    for result in results.values():
        result["ratio_to_healthz"] = round(result["rps"] / results["healthz"]["rps"], 3)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--repetitions", type=int, default=3, help="of the board with and without streams")
    parser.add_argument("--capacity", type=int, default=1000, help="most streams tried on one worker")
    parser.add_argument("--edge-repetitions", type=int, default=5)
    parser.add_argument("--only", choices=sorted(CONFIGURATIONS), action="append", help="servers to measure")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=PARTS, help="what to measure")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "seconds_per_run": args.seconds,
        "servers": {},
    }
    with tempfile.TemporaryDirectory(prefix="omoikane-serving-") as tmp:
        folder = Path(tmp)
        env = serving.production_env(folder / "var")
        serving.prepare_database(env)
        seeded = json.loads(
            subprocess.run(  # noqa: S603 - our own manage.py with the script above
                [sys.executable, "manage.py", "shell", "-c", SEED],
                env=env,
                cwd=BASE_DIR,
                capture_output=True,
                text=True,
                check=True,
                timeout=300,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        cookie = seeded["cookie"]
        (app_port,) = serving.free_ports(1, low=21300, high=21400)
        base = f"http://127.0.0.1:{app_port}"
        for name, (server, workers, threads) in CONFIGURATIONS.items():
            if args.only and name not in args.only:
                continue
            server_env = {**env, "OMOIKANE_WORKERS": workers, "OMOIKANE_THREADS": threads}
            app = serving.start_app(server_env, app_port, folder, name=server, server=server)
            entry: dict[str, Any] = {}
            try:
                serving.wait_until(lambda: _healthy(app_port), seconds=60, what=name)
                if "pages" in args.parts:
                    entry["pages"] = measure_pages(base, cookie, args.seconds)
                    entry["worker_rss_mib"] = worker_rss_mib(app.popen.pid)
                if "streams" in args.parts:
                    stream = seeded["stream"]
                    entry["streams"] = measure_streams(app_port, base, cookie, stream, app.popen.pid, args)
                if name == CHOSEN and "edge" in args.parts:
                    entry["edge"] = measure_edge(folder, app_port, base, args)
            finally:
                app.stop()
            if "capacity" in args.parts:
                one_env = {**server_env, "OMOIKANE_WORKERS": "1"}
                one = serving.start_app(one_env, app_port, folder, name=server + "-1", server=server)
                try:
                    serving.wait_until(lambda: _healthy(app_port), seconds=60, what=name + ", one worker")
                    entry["one_worker"] = measure_capacity(
                        app_port, cookie, seeded["stream"], one, args.capacity
                    )
                finally:
                    one.stop()
            report["servers"][name] = entry
            print(json.dumps({name: entry}), flush=True)
            args.results.write_text(json.dumps(report, indent=2) + "\n")  # what is measured so far
        if "interleaved" in args.parts:
            report["interleaved"] = compare_interleaved(env, folder, cookie, args)
            print(json.dumps({"interleaved": report["interleaved"]}), flush=True)
    report["chosen"] = CHOSEN
    args.results.write_text(json.dumps(report, indent=2) + "\n")
    print_report(report, args.results)
    return 0


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def compare_interleaved(
    env: dict[str, str], folder: Path, cookie: str, args: argparse.Namespace
) -> dict[str, Any]:
    """The servers side by side, each on its own port, runs alternating server by server (order reversed
    every repetition) for the home page and the board: the machine's other load falls on all of them alike.
    Medians over `--repetitions` runs of `--seconds` each."""
    names = [name for name in CONFIGURATIONS if not args.only or name in args.only]
    ports = serving.free_ports(len(names), low=21500, high=21600)
    apps = []
    try:
        for name, port in zip(names, ports, strict=True):
            server, workers, threads = CONFIGURATIONS[name]
            server_env = {**env, "OMOIKANE_WORKERS": workers, "OMOIKANE_THREADS": threads}
            apps.append(serving.start_app(server_env, port, folder, name=server + "-side", server=server))
        for port in ports:
            serving.wait_until(partial(_healthy, port), seconds=90, what=f"server on {port}")
        runs: dict[str, dict[str, list[dict[str, float]]]] = {n: {"home": [], "board": []} for n in names}
        headers = {"Host": serving.CANONICAL_HOST, "X-Forwarded-Proto": "https", "Cookie": cookie}
        for repetition in range(args.repetitions):
            order = list(zip(names, ports, strict=True))
            for name, port in order if repetition % 2 == 0 else reversed(order):
                for page in ("home", "board"):
                    runs[name][page].append(
                        wrk(f"http://127.0.0.1:{port}{PAGES[page]}", headers, args.seconds)
                    )
    finally:
        for app in apps:
            app.stop()
    return {
        name: {
            page: {
                "rps_median": _median([r["rps"] for r in results]),
                "p50_ms_median": _median([r["p50_ms"] for r in results]),
                "p99_ms_median": _median([r["p99_ms"] for r in results]),
                "rps_runs": [r["rps"] for r in results],
            }
            for page, results in pages.items()
        }
        for name, pages in runs.items()
    }


def _change(before: float, after: float) -> float | None:
    """after / before - 1; None when no request finished in the run before (nothing to compare with)."""
    return round(after / before - 1, 3) if before else None


def measure_streams(
    port: int, base: str, cookie: str, path: str, master_pid: int, args: argparse.Namespace
) -> dict[str, Any]:
    """The board without and with `--streams` open streams, interleaved `--repetitions` times so that the
    machine's other load falls on both sides; medians of each side."""
    headers = {"Host": serving.CANONICAL_HOST, "X-Forwarded-Proto": "https", "Cookie": cookie}
    quiet, loaded, held, idle_cpu = [], [], [], []
    for repetition in range(args.repetitions):
        # Which side runs first alternates: a run right after the 11 s pause, or right after the streams
        # opened, is not always on the same side.
        if repetition % 2 == 0:
            quiet.append(wrk(base + PAGES["board"], headers, args.seconds))
        streams = open_streams(port, path, cookie, args.streams)
        held.append(len(streams))
        try:
            idle_cpu.append(idle_cpu_percent(master_pid))
            loaded.append(wrk(base + PAGES["board"], headers, args.seconds))
        finally:
            for conn in streams:
                conn.close()
        # The closed streams end before the next quiet run: under ASGI at once, under WSGI at their next write
        # (the heartbeat, applications/drafting/streams.py).
        time.sleep(11)  # HEARTBEAT_SECONDS is 10
        if repetition % 2 == 1:
            quiet.append(wrk(base + PAGES["board"], headers, args.seconds))
    summary: dict[str, Any] = {
        "open_streams": min(held),
        "repetitions": args.repetitions,
        # CPU the server spends on the open streams alone (no page asked for), per cent of one core.
        "idle_cpu_percent_with_streams": _median(idle_cpu),
    }
    for key in ("rps", "p50_ms", "p99_ms"):
        without, with_ = _median([r[key] for r in quiet]), _median([r[key] for r in loaded])
        summary[f"{key}_without"], summary[f"{key}_with"] = without, with_
        summary[f"{key.removesuffix('_ms')}_change"] = _change(without, with_)
        summary[f"{key.removesuffix('_ms')}_change_per_repetition"] = [
            _change(a[key], b[key]) for a, b in zip(quiet, loaded, strict=True)
        ]
    summary["runs_without"], summary["runs_with"] = quiet, loaded
    return summary


def measure_capacity(
    port: int, cookie: str, path: str, app: serving.Process, capacity: int
) -> dict[str, Any]:
    """How many open streams one worker holds: opened one after another until one gets no first event within
    5 s (or `capacity` are open), then one /healthz and the worker's memory while they stay open."""
    baseline_rss = worker_rss_mib(app.popen.pid)
    streams = open_streams(port, path, cookie, capacity, first_bytes_within=5)
    try:
        started = time.monotonic()
        healthy = _healthy(port)
        healthz_ms = round((time.monotonic() - started) * 1000, 1)
        rss = worker_rss_mib(app.popen.pid)
    except OSError:
        healthy, healthz_ms, rss = False, -1.0, []
    finally:
        for conn in streams:
            conn.close()
    return {
        "streams_held": len(streams),
        "tried": capacity,
        "healthz_answers_meanwhile": healthy,
        "healthz_ms_meanwhile": healthz_ms,
        "rss_mib_before": baseline_rss,
        "rss_mib_with_streams": rss,
    }


def measure_edge(folder: Path, app_port: int, base: str, args: argparse.Namespace) -> dict[str, Any]:
    """Direct and through HAProxy (TLS 1.3), interleaved `--edge-repetitions` times: the ratio of each pair
    (direct req/s / edge req/s, above 1 is the edge's cost), then the median ratio and its spread."""
    http_port, https_port = serving.free_ports(2, low=21400, high=21500)
    serving.make_certificates(folder / "edge", [serving.CANONICAL_HOST])
    env = serving.edge_env(
        folder / "edge", http_port=http_port, https_port=https_port, app_ports=[app_port, app_port]
    )
    edge = serving.start_edge(env, folder)
    headers = {"Host": serving.CANONICAL_HOST, "X-Forwarded-Proto": "https"}
    seconds = max(3, args.seconds * 3 // 4)
    out: dict[str, Any] = {"tls": "TLSv1.3", "seconds_per_run": seconds, "pages": {}}
    try:
        time.sleep(3)  # two health checks
        for page in ("healthz", "home"):
            page_headers = headers
            ratios, p50_ratios, direct, through = [], [], [], []
            for _ in range(args.edge_repetitions):
                d = wrk(base + PAGES[page], page_headers, seconds)
                e = wrk(f"https://127.0.0.1:{https_port}" + PAGES[page], page_headers, seconds)
                direct.append(d)
                through.append(e)
                if d["rps"] and e["rps"]:  # a run where no request finished in time gives no ratio
                    ratios.append(d["rps"] / e["rps"])
                    p50_ratios.append(e["p50_ms"] / d["p50_ms"])
            if not ratios:
                out["pages"][page] = {"runs_direct": direct, "runs_edge": through}
                continue
            out["pages"][page] = {
                "pairs": len(ratios),
                "rps_ratio_median": _median(ratios),
                "rps_ratio_min": round(min(ratios), 3),
                "rps_ratio_max": round(max(ratios), 3),
                "p50_ratio_median": _median(p50_ratios),
                "rps_direct_median": _median([r["rps"] for r in direct]),
                "rps_edge_median": _median([r["rps"] for r in through]),
                "errors": sum(r["errors"] for r in direct + through),
            }
    finally:
        edge.stop()
    return out


def print_report(report: dict[str, Any], written: Path) -> None:
    print(f"{'server':45} {'page':9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'/healthz':>8}")
    for name, entry in report["servers"].items():
        for page, r in entry.get("pages", {}).items():
            print(
                f"{name:45} {page:9} {r['rps']:8.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
                f"{r['ratio_to_healthz']:8.3f}"
            )
        if "pages" in entry:
            print(f"{name:45} worker RSS MiB: {entry['worker_rss_mib']}")
        s = entry.get("streams")
        if s:
            print(
                f"{name:45} board with {s['open_streams']} open streams (median of {s['repetitions']}): "
                f"p50 {s['p50_change']} {s['p50_change_per_repetition']}, p99 {s['p99_change']}, "
                f"req/s {s['rps_change']}; idle CPU with them {s['idle_cpu_percent_with_streams']} %"
            )
        one = entry.get("one_worker")
        if one:
            print(
                f"{name:45} one worker holds {one['streams_held']} of {one['tried']} streams tried; /healthz "
                f"meanwhile {one['healthz_ms_meanwhile']} ms; RSS {one['rss_mib_before']} -> "
                f"{one['rss_mib_with_streams']} MiB"
            )
        if "edge" in entry:
            for page, r in entry["edge"]["pages"].items():
                if "pairs" not in r:
                    print(f"{name:45} edge cost {page:9} no run finished a request")
                    continue
                print(
                    f"{name:45} edge cost {page:9} direct/edge req/s median {r['rps_ratio_median']} "
                    f"(min {r['rps_ratio_min']}, max {r['rps_ratio_max']}), p50 ratio {r['p50_ratio_median']}"
                )
    print(f"chosen: {report['chosen']}; written to {written}")


if __name__ == "__main__":
    raise SystemExit(main())
