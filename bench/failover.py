"""Failover drill (`make test-failover`): lose the database leader under write load, lose nothing.

Starts etcd x3 and PostgreSQL/Patroni x3 on loopback (deploy/patroni/patroni.yml.in, synchronous_mode_strict,
two synchronous standbys), migrates Omoikane onto it through a multi-host DATABASE_URL, then runs
bench/failover_load.py's concurrent writers (applications and audit events through the actions, a task per
write) and a real `manage.py worker`. Mid-load it kills -9 the leader's Patroni and postmaster, lets Patroni
promote a standby, keeps writing, and checks that every acknowledged write is present, every audit chain
verifies and every task ran. Prints one JSON line and writes bench/results/failover.json; exits 1 when an
acknowledged write or a task was lost, a chain is broken, or writing stopped for longer than --max-outage.

Runs as root (PostgreSQL itself runs as the `postgres` user) and needs the Debian packages patroni and
etcd-server, and PostgreSQL's binaries.
"""

# ruff: noqa: S603, S607  (this drill's whole job is starting the cluster's programs, found on PATH)
from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from string import Template
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "patroni" / "patroni.yml.in"
RESULTS = ROOT / "bench" / "results" / "failover.json"
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def pg_bin_dir() -> str:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    if not found:
        raise SystemExit("PostgreSQL's binaries were not found under /usr/lib/postgresql")
    return str(found[-1].parent)


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Cluster:
    def __init__(self, base_port: int, work: Path, ttl: int, loop_wait: int, retry_timeout: int) -> None:
        self.work = work
        self.names = ["node1", "node2", "node3"]
        # base+0..2 etcd clients, +10..12 etcd peers, +20..22 PostgreSQL, +30..32 Patroni's REST API.
        self.etcd_client = [base_port + i for i in range(3)]
        self.etcd_peer = [base_port + 10 + i for i in range(3)]
        self.pg_ports = [base_port + 20 + i for i in range(3)]
        self.rest_ports = [base_port + 30 + i for i in range(3)]
        busy = [
            p for p in self.etcd_client + self.etcd_peer + self.pg_ports + self.rest_ports if not port_free(p)
        ]
        if busy:
            raise SystemExit(f"ports in use: {busy}; pass another --base-port")
        self.timing = {"ttl": ttl, "loop_wait": loop_wait, "retry_timeout": retry_timeout}
        self.etcd: list[subprocess.Popen[bytes]] = []
        self.patroni: dict[str, subprocess.Popen[bytes]] = {}
        self.logs: list[IO[bytes]] = []

    def _log(self, name: str) -> IO[bytes]:
        handle = (self.work / f"{name}.log").open("ab")  # closed in stop()
        self.logs.append(handle)
        return handle

    def start_etcd(self) -> None:
        initial = ",".join(f"e{i}=http://127.0.0.1:{self.etcd_peer[i]}" for i in range(3))
        for i in range(3):
            command = [
                "etcd",
                f"--name=e{i}",
                f"--data-dir={self.work / f'etcd{i}'}",
                f"--listen-client-urls=http://127.0.0.1:{self.etcd_client[i]}",
                f"--advertise-client-urls=http://127.0.0.1:{self.etcd_client[i]}",
                f"--listen-peer-urls=http://127.0.0.1:{self.etcd_peer[i]}",
                f"--initial-advertise-peer-urls=http://127.0.0.1:{self.etcd_peer[i]}",
                f"--initial-cluster={initial}",
                "--initial-cluster-state=new",
                f"--initial-cluster-token=omoikane-failover-{os.getpid()}",
                # Two busy cores: a slower heartbeat keeps etcd from electing over and over during bootstrap.
                "--heartbeat-interval=200",
                "--election-timeout=2000",
            ]
            log = self._log(f"etcd{i}")
            self.etcd.append(subprocess.Popen(command, stdout=log, stderr=log))

    def start_patroni(self, name: str) -> None:
        i = self.names.index(name)
        postgres = pwd.getpwnam("postgres")
        config = Template(TEMPLATE.read_text()).substitute(
            scope=f"omoikane-failover-{os.getpid()}",
            name=name,
            rest_port=self.rest_ports[i],
            etcd_hosts=",".join(f"127.0.0.1:{p}" for p in self.etcd_client),
            synchronous_node_count=2,
            pg_port=self.pg_ports[i],
            data_dir=self.work / f"data-{name}",
            bin_dir=pg_bin_dir(),
            work_dir=self.work,
            socket_dir=self.work,
            **self.timing,
        )
        path = self.work / f"{name}.yml"
        path.write_text(config)
        os.chown(path, postgres.pw_uid, postgres.pw_gid)
        log = self._log(name)
        # PostgreSQL refuses to run as root.
        self.patroni[name] = subprocess.Popen(
            ["runuser", "-u", "postgres", "--", "patroni", str(path)],
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def members(self) -> list[dict[str, object]]:
        for port in self.rest_ports:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/cluster", timeout=1) as answer:
                    members: list[dict[str, object]] = json.load(answer)["members"]
                    return members
            except OSError:
                continue
        return []

    def wait_healthy(self, deadline_s: float) -> dict[str, object]:
        """Wait for a leader with two synchronous standbys; return the leader."""
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            members = self.members()
            leaders = [m for m in members if m.get("role") == "leader" and m.get("state") == "running"]
            sync = [m for m in members if m.get("role") == "sync_standby"]
            if leaders and len(sync) == 2:
                return leaders[0]
            time.sleep(0.5)
        raise SystemExit(f"the cluster was not healthy within {deadline_s:.0f} s: {self.members()}")

    def postmaster_pid(self, name: str) -> int | None:
        try:
            return int((self.work / f"data-{name}" / "postmaster.pid").read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None

    def patroni_pid(self, name: str) -> int | None:
        # runuser's child is Patroni.
        runner = self.patroni[name].pid
        found = subprocess.run(["pgrep", "-P", str(runner)], capture_output=True, text=True, check=False)
        pids = [int(line) for line in found.stdout.split()]
        return pids[0] if pids else None

    def kill_node(self, name: str) -> None:
        """What losing the host looks like to the others: Patroni and PostgreSQL gone at once, no goodbye."""
        for pid in (self.patroni_pid(name), self.postmaster_pid(name)):
            if pid is not None and _is_ours(pid, ("patroni", "postgres")):
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        for name, process in self.patroni.items():
            pid = self.patroni_pid(name)
            if pid is not None and _is_ours(pid, ("patroni",)):
                os.kill(pid, signal.SIGTERM)
            _wait(process, 15)
        # Patroni does not own the postmaster: stop any that is left, fast.
        for name in self.names:
            data = self.work / f"data-{name}"
            if (data / "postmaster.pid").exists():
                subprocess.run(
                    [
                        "runuser",
                        "-u",
                        "postgres",
                        "--",
                        f"{pg_bin_dir()}/pg_ctl",
                        "stop",
                        "-D",
                        str(data),
                        "-m",
                        "immediate",
                        "-w",
                        "-t",
                        "10",
                    ],
                    capture_output=True,
                    check=False,
                )
        for process in self.etcd:
            process.terminate()
        for process in self.etcd:
            _wait(process, 5)
        for handle in self.logs:
            handle.close()


def _wait_for_line(path: Path, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise SystemExit(f"{path.name} did not say {text!r} within {seconds:.0f} s")


def _is_ours(pid: int, names: tuple[str, ...]) -> bool:
    """PIDs are reused after kill -9: kill only a process whose command line is the one we started."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return any(name in command for name in names)


def _wait(process: subprocess.Popen[bytes], seconds: float) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def outage(acknowledged: list[dict[str, Any]], killed_at: float) -> float:
    """The longest time without an acknowledged write from just before the kill to the end of the load.

    Writes that were waiting when the leader died complete together once a standby is promoted, so the gap
    between one acknowledgement and the next is the time the application could not write."""
    times = sorted(float(row["at"]) for row in acknowledged if float(row["at"]) >= killed_at - 1)
    if not times:
        return float("inf")
    return max(later - earlier for earlier, later in zip([killed_at - 1, *times], times, strict=False))


def _probe(env: dict[str, str]) -> dict[str, Any]:
    answer = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "failover_load.py"), "probe"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    probed: dict[str, Any] = json.loads(answer.stdout.strip().splitlines()[-1])
    return probed


def _wait_probe(
    env: dict[str, str], done: Callable[[dict[str, Any]], bool], seconds: float
) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        answer = _probe(env)
        if done(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-port", type=int, default=23700)
    parser.add_argument("--seconds", type=float, default=40.0, help="length of the write load")
    parser.add_argument(
        "--kill-after", type=float, default=10.0, help="seconds into the load the leader dies"
    )
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--ttl", type=int, default=6, help="Patroni's leader key lifetime (seconds)")
    parser.add_argument("--loop-wait", type=int, default=1)
    parser.add_argument("--retry-timeout", type=int, default=2)
    parser.add_argument("--max-outage", type=float, default=20.0, help="fail when writes stop for longer")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (logs) afterwards")
    parser.add_argument(
        "--no-rejoin", action="store_true", help="leave the killed node down: the load runs on two nodes"
    )
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: PostgreSQL runs as the postgres user under runuser")
    for tool in ("etcd", "patroni", "runuser", "pgrep"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install -y patroni etcd-server")

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="omoikane-failover-"))
    # The postgres user runs the nodes and needs to reach their folders.
    work.chmod(0o755)
    postgres = pwd.getpwnam("postgres")
    os.chown(work, postgres.pw_uid, postgres.pw_gid)
    cluster = Cluster(args.base_port, work, args.ttl, args.loop_wait, args.retry_timeout)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        cluster.start_etcd()
        for name in cluster.names:
            cluster.start_patroni(name)
        leader = cluster.wait_healthy(90)
        bring_up_s = time.monotonic() - started
        hosts = ",".join(f"127.0.0.1:{port}" for port in cluster.pg_ports)
        leader_port = cluster.pg_ports[cluster.names.index(str(leader["name"]))]
        for database in ("omoikane", "omoikane_traces"):
            subprocess.run(
                [
                    "psql",
                    "-X",
                    "-q",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(leader_port),
                    "-U",
                    "postgres",
                    "-d",
                    "postgres",
                    "-c",
                    f"CREATE DATABASE {database}",
                ],
                check=True,
            )
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@{hosts}/omoikane?target_session_attrs=read-write",
            "TRACES_DATABASE_URL": f"postgres://postgres@{hosts}/omoikane_traces?target_session_attrs=read-write",
            "DATABASE_FAILOVER_WAIT_SECONDS": "60",
            "PGCONNECT_TIMEOUT": "2",
            "OMOIKANE_PROFILE": "development",
            "REPLICATION_FACTOR": "3",
            "VAR_DIR": str(work / "var"),
        }
        manage = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "migrate", "--no-input", "-v0", "--database", "traces"], env=env, check=True, cwd=ROOT
        )
        subprocess.run([*manage, "createcachetable"], env=env, check=True, cwd=ROOT)

        load_file = work / "acknowledged.json"
        worker_log = (work / "worker.log").open("ab")  # closed below
        worker = subprocess.Popen(
            [*manage, "worker", "--interval", "0.2"], env=env, cwd=ROOT, stdout=worker_log, stderr=worker_log
        )
        processes.append(worker)
        _wait_for_line(work / "worker.log", "Starting worker", 60)
        load = subprocess.Popen(
            [
                PYTHON,
                str(ROOT / "bench" / "failover_load.py"),
                "write",
                str(args.seconds),
                str(args.writers),
                str(load_file),
            ],
            env=env,
            cwd=ROOT,
        )
        processes.append(load)
        time.sleep(args.kill_after)
        old_leader = str(cluster.wait_healthy(5)["name"])
        killed_at = time.time()
        cluster.kill_node(old_leader)
        # Detect the promotion by a new leader in the DCS; the dead one can linger in the list for a while.
        promoted_s = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            members = cluster.members()
            if any(m.get("role") == "leader" and m.get("name") != old_leader for m in members):
                promoted_s = time.time() - killed_at
                break
            time.sleep(0.2)
        # Bring the lost host back, as an operator would: it rejoins as a standby (pg_rewind), and strict
        # synchronous mode has its second synchronous standby again.
        if not args.no_rejoin:
            cluster.start_patroni(old_leader)
        _wait(load, args.seconds + 120)
        loaded = json.loads(load_file.read_text())
        verify = subprocess.run(
            [PYTHON, str(ROOT / "bench" / "failover_load.py"), "verify", str(load_file), "120"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stderr.write(verify.stderr[-2000:])
        lines = verify.stdout.strip().splitlines()
        if verify.returncode != 0 or not lines:
            # No primary came back (or the check broke): say so in the one JSON line, and fail.
            print(json.dumps({"error": "the check after the load failed", "members": cluster.members()}))
            return 1
        checked = json.loads(lines[-1])
        probes = {}
        if not args.no_rejoin:
            # All three nodes up again: three copies, /healthz passes. Then lose a standby for good: two
            # copies, fewer than the three promised, so /healthz fails and the page says so.
            cluster.wait_healthy(60)
            probes["three_nodes"] = _probe(env)
            standby = next(str(m["name"]) for m in cluster.members() if m.get("role") == "sync_standby")
            cluster.kill_node(standby)
            probes["standby_lost"] = _wait_probe(env, lambda answer: answer["replication"]["copies"] == 2, 30)
        worker.send_signal(signal.SIGTERM)
        _wait(worker, 15)
        worker_log.close()
        members_after = cluster.members()
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        cluster.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    acknowledged = loaded["acknowledged"]
    outage_s = outage(acknowledged, killed_at)
    result = {
        "acknowledged_writes": len(acknowledged),
        "acknowledged_lost": checked["acknowledged_lost"],
        "outage_s": round(outage_s, 2),
        "promotion_s": round(promoted_s, 2) if promoted_s is not None else None,
        "unknown_outcome": len(loaded["unknown"]),
        "unknown_committed": checked["unknown_committed"],
        "failed_writes": len(loaded["failed"]),
        "tasks_queued": checked["tasks_queued"],
        "tasks_lost": checked["tasks_lost"],
        "tasks_failed": checked["tasks_failed"],
        "tasks_pending": checked["tasks_pending"],
        "tasks_unfinished": checked["tasks_unfinished"],
        "tasks_claimed_twice": checked["tasks_claimed_twice"],
        "score_tasks_missing": checked["score_tasks_missing"],
        "audit_chains_verify": checked["audit_chains_verify"],
        "writers": args.writers,
        "load_s": args.seconds,
        "patroni": {"ttl": args.ttl, "loop_wait": args.loop_wait, "retry_timeout": args.retry_timeout},
        "killed_node_rejoined": not args.no_rejoin,
        "bring_up_s": round(bring_up_s, 1),
        "probes": probes,
        "members_after": [f"{m.get('name')}:{m.get('role')}" for m in members_after],
        "total_s": round(time.monotonic() - started, 1),
    }
    if loaded["failed"]:
        sys.stderr.write("failed writes (not acknowledged):\n  " + "\n  ".join(loaded["failed"][:10]) + "\n")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))
    replication_shown = args.no_rejoin or (
        probes["three_nodes"]["healthz_status"] == 200
        and probes["three_nodes"]["page_claims_replication"]
        and probes["standby_lost"]["healthz_status"] == 503
        and probes["standby_lost"]["page_says_fewer"]
    )
    ok = (
        replication_shown
        and result["acknowledged_lost"] == 0
        and result["tasks_lost"] == 0
        and result["tasks_failed"] == 0
        and result["score_tasks_missing"] == 0
        and result["audit_chains_verify"]
        and outage_s <= args.max_outage
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
