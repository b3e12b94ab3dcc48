"""Which production application server, measured: wrk against the real servers, production profile.

    .venv/bin/python bench/serving.py [--seconds 8] [--streams 200]

For each server configuration: requests per second and p50/p99 latency for /healthz, the home page, the board
of a user with 1,000 applications and the signed-in settings page (with the ratio of each to /healthz), the
resident memory per worker; then, for the chosen one, the board's latency while `--streams` draft streams
(server-sent events) stay open, and the same four pages through the HAProxy edge with TLS 1.3 (the edge's
cost as a ratio). Needs Debian's `wrk` and `haproxy`. Prints a table and writes bench/results/serving.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from ops import serving  # noqa: E402  (the repository root is put on the path just above)

RESULTS = BASE_DIR / "bench" / "results" / "serving.json"
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
    # name: (worker class, workers, threads)
    "gunicorn sync, 2 workers": ("sync", "2", "1"),
    "gunicorn gthread, 2 workers x 160 threads": ("gthread", "2", "160"),
}
CHOSEN = "gunicorn gthread, 2 workers x 160 threads"


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
    return serving.http_request(port, host=serving.CANONICAL_HOST, path="/healthz", headers=headers)[0] == 200


def worker_rss_mib(master_pid: int) -> list[float]:
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if rss:
                sizes.append(round(int(rss.group(1)) / 1024, 1))
    return sorted(sizes)


def open_streams(port: int, path: str, cookie: str, count: int) -> list[socket.socket]:
    """`count` draft streams held open, each one read until its first bytes arrived."""
    streams = []
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {serving.CANONICAL_HOST}\r\nX-Forwarded-Proto: https\r\n"
        f"Cookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()
    for _ in range(count):
        conn = socket.create_connection(("127.0.0.1", port), timeout=30)
        conn.sendall(request)
        first = conn.recv(256)
        assert first.startswith(b"HTTP/1.1 200"), first
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
    args = parser.parse_args()
    report: dict[str, Any] = {"cpus": os.cpu_count(), "seconds_per_run": args.seconds, "servers": {}}
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
        for name, (worker_class, workers, threads) in CONFIGURATIONS.items():
            server_env = {**env, "OMOIKANE_WORKERS": workers, "OMOIKANE_THREADS": threads}
            if worker_class == "sync":
                # The config file names gthread; a command-line flag overrides it for this comparison only.
                server_env["GUNICORN_CMD_ARGS"] = "--worker-class sync"
            app = serving.start_app(server_env, app_port, folder, name=name.split(",")[0].replace(" ", "-"))
            try:
                serving.wait_until(lambda: _healthy(app_port), seconds=60, what=name)
                entry: dict[str, Any] = {"pages": measure_pages(base, cookie, args.seconds)}
                entry["worker_rss_mib"] = worker_rss_mib(app.popen.pid)
                if name == CHOSEN:
                    entry["streams"] = measure_streams(app_port, base, cookie, seeded["stream"], args)
                    entry["edge"] = measure_edge(folder, app_port, cookie, args.seconds, entry["pages"])
                report["servers"][name] = entry
            finally:
                app.stop()
    report["chosen"] = CHOSEN
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print_report(report)
    return 0


def measure_streams(port: int, base: str, cookie: str, path: str, args: argparse.Namespace) -> dict[str, Any]:
    headers = {"Host": serving.CANONICAL_HOST, "X-Forwarded-Proto": "https", "Cookie": cookie}
    quiet = wrk(base + PAGES["board"], headers, args.seconds)
    streams = open_streams(port, path, cookie, args.streams)
    try:
        loaded = wrk(base + PAGES["board"], headers, args.seconds)
    finally:
        for conn in streams:
            conn.close()
    return {
        "open_streams": args.streams,
        "board_without": quiet,
        "board_with": loaded,
        "p50_change": round(loaded["p50_ms"] / quiet["p50_ms"] - 1, 3),
        "p99_change": round(loaded["p99_ms"] / quiet["p99_ms"] - 1, 3),
        "rps_change": round(loaded["rps"] / quiet["rps"] - 1, 3),
    }


def measure_edge(
    folder: Path, app_port: int, cookie: str, seconds: int, direct: dict[str, dict[str, float]]
) -> dict[str, Any]:
    http_port, https_port = serving.free_ports(2, low=21400, high=21500)
    serving.make_certificates(folder / "edge", [serving.CANONICAL_HOST])
    env = serving.edge_env(
        folder / "edge", http_port=http_port, https_port=https_port, app_ports=[app_port, app_port]
    )
    edge = serving.start_edge(env, folder)
    try:
        time.sleep(3)  # two health checks
        through = measure_pages(f"https://127.0.0.1:{https_port}", cookie, seconds)
    finally:
        edge.stop()
    for name, result in through.items():
        result["edge_cost_ratio"] = round(direct[name]["rps"] / result["rps"], 3)
    return {"tls": "TLSv1.3", "pages": through}


def print_report(report: dict[str, Any]) -> None:
    print(f"{'server':45} {'page':9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'/healthz':>8}")
    for name, entry in report["servers"].items():
        rows = [(name, entry["pages"])]
        if "edge" in entry:
            rows.append((name + " via HAProxy TLS 1.3", entry["edge"]["pages"]))
        for label, pages in rows:
            for page, r in pages.items():
                print(
                    f"{label:45} {page:9} {r['rps']:8.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
                    f"{r['ratio_to_healthz']:8.3f}"
                )
        print(f"{name:45} worker RSS MiB: {entry['worker_rss_mib']}")
        if "streams" in entry:
            s = entry["streams"]
            print(
                f"{name:45} board with {s['open_streams']} open streams: p50 {s['p50_change']:+.1%}, "
                f"p99 {s['p99_change']:+.1%}, req/s {s['rps_change']:+.1%}"
            )
    print(f"chosen: {report['chosen']}; written to {RESULTS.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    raise SystemExit(main())
