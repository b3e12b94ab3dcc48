"""The application server under ASGI: uvicorn, its worker processes, the options production runs with.

    python deploy/uvicorn_server.py        (OMOIKANE_BIND, OMOIKANE_WORKERS from the environment)

Pages are synchronous Django views, run by Django in a thread each; a draft stream
(applications/drafting/streams.py) is an async iterator that holds no thread while it waits. The systemd unit
(deploy/systemd/omoikane-web.service), `make serve`, the edge tests and bench/serving.py start this same file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import uvicorn

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    host, _, port = os.environ.get("OMOIKANE_BIND", "127.0.0.1:8000").rpartition(":")
    sys.path.insert(0, str(BASE_DIR))
    uvicorn.run(
        "omoikane.asgi:application",
        host=host,
        port=int(port),
        workers=int(os.environ.get("OMOIKANE_WORKERS", "2")),
        loop="uvloop",
        http="httptools",
        # Django has no lifespan handlers; "off" keeps uvicorn from logging that at every start.
        lifespan="off",
        # Django decides who may set the scheme and the client address (TRUSTED_PROXIES); uvicorn would
        # otherwise believe X-Forwarded-For from loopback on its own.
        proxy_headers=False,
        server_header=False,
        # The edge logs requests (truncated addresses, no paths: deploy/haproxy/haproxy.cfg); the app not.
        access_log=False,
        timeout_keep_alive=10,
        # SIGTERM: in-flight requests get this long to finish. An open draft stream is cut after it and the
        # page reopens it on the other app host, where it continues from the stored text.
        timeout_graceful_shutdown=30,
        # Bounded worker lifetime: a slow leak cannot grow forever; jitter keeps workers from restarting
        # together.
        limit_max_requests=5000,
        limit_max_requests_jitter=500,
        app_dir=str(BASE_DIR),
    )


if __name__ == "__main__":
    main()
