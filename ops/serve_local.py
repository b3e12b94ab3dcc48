"""`make serve`: the production stack on this machine, to try exactly what production runs.

The production profile over gunicorn (deploy/gunicorn.conf.py), the task worker beside it, and, when Debian's
haproxy is installed, the edge (deploy/haproxy/haproxy.cfg) in front with a throwaway certificate for
localhost: https://localhost:8443 (the browser warns about the certificate). SQLite and files in var/serve/;
the secret key is made there once. Ctrl-C (or SIGTERM) stops all three gracefully: gunicorn lets in-flight
requests finish, the worker finishes its task.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import time

from ops import serving

HOST = "localhost"


def main() -> int:
    parser = argparse.ArgumentParser(description="The production stack on this machine.")
    parser.add_argument("--app-port", type=int, default=8001)
    parser.add_argument("--http-port", type=int, default=8080)
    parser.add_argument("--https-port", type=int, default=8443)
    args = parser.parse_args()
    app_port, http_port, https_port = args.app_port, args.http_port, args.https_port
    folder = serving.BASE_DIR / "var" / "serve"
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    env = serving.production_env(
        folder / "var",
        SECRET_KEY=key_file.read_text().strip(),
        DELETION_LEDGER_KEY=key_file.read_text().strip()[::-1],
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}:{https_port}",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}:{https_port}",
        # Not an encrypted disk: declared so that the production checks pass for a local try.
        VOLUMES_ENCRYPTED_OTHERWISE=str(folder),
    )
    print("Preparing the database and static files in var/serve/ ...", flush=True)
    serving.prepare_database(env)
    processes = [
        serving.start_app(env, app_port, folder, name="gunicorn"),
        serving.start("worker", [sys.executable, "manage.py", "worker"], env, folder),
    ]
    if serving.haproxy_binary() is not None:
        if not (folder / "certs" / "site.pem").exists():
            serving.make_certificates(folder, [HOST])
        edge = serving.edge_env(folder, http_port=http_port, https_port=https_port, app_ports=[app_port] * 2)
        edge["OMOIKANE_CANONICAL_HOST"] = HOST
        processes.append(serving.start_edge(edge, folder))
        print(f"Omoikane (production profile) on https://{HOST}:{https_port}; logs in var/serve/", flush=True)
    else:
        print(f"No haproxy: the app server alone on 127.0.0.1:{app_port}; logs in var/serve/", flush=True)
    stop = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    with serving.stopping(processes):
        while not stop and all(p.popen.poll() is None for p in processes):
            time.sleep(0.5)
    failed = [p.name for p in processes if p.popen.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed and not stop else 0


if __name__ == "__main__":
    os.chdir(serving.BASE_DIR)
    raise SystemExit(main())
