"""The production application server: gunicorn's master with its ASGI workers (worker class "asgi").

Why (bench/serving.py has the numbers, bench/README.md the comparison): pages are synchronous Django views,
which Django runs in a thread each under ASGI; a draft stream (applications/drafting/streams.py) is an async
iterator that holds no thread and no database connection while it waits, and every open stream of a worker
shares one look at the rows per tick. So open streams cost a few hundred kilobytes each, not a thread, and do
not slow the pages beside them. gunicorn's master stays in front: on SIGTERM it closes the listening socket
before the workers drain, so new connections are refused at once and the edge sends them to the other app
host (uvicorn's own multi-process mode keeps accepting them while it drains:
ops/tests/test_graceful_shutdown.py). Values come from the environment, so the systemd unit
(deploy/systemd/omoikane-web.service), `make serve`, the tests and the benchmark run this same file.
"""

from __future__ import annotations

import os

bind = [os.environ.get("OMOIKANE_BIND", "127.0.0.1:8000")]
wsgi_app = "omoikane.asgi:application"
worker_class = "asgi"
workers = int(os.environ.get("OMOIKANE_WORKERS", "2"))
asgi_loop = "uvloop"
# Django has no lifespan handlers; "off" keeps the worker from asking at every start.
asgi_lifespan = "off"
# Threads for gunicorn's gthread worker, which bench/serving.py still measures against this configuration.
threads = int(os.environ.get("OMOIKANE_THREADS", "160"))
# Waiting for the database or a slow upload is fine; a worker silent this long is stuck and is replaced.
timeout = 120
# SIGTERM: in-flight requests get this long to finish. An open draft stream is cut after it and the page
# reopens it on the other app host, where it continues from the stored text.
graceful_timeout = 30
keepalive = 10
# Load Django once in the master: workers start warm (a cold worker's first requests are slow enough on a busy
# host to fail the edge's health checks) and share the loaded code's memory.
preload_app = True
# Bounded worker lifetime: a slow leak cannot grow forever; jitter keeps workers from restarting together.
max_requests = 5000
max_requests_jitter = 500
# The edge logs requests (truncated addresses, no paths: deploy/haproxy/haproxy.cfg); the app does not.
accesslog = None
errorlog = "-"
# Django decides who may set the scheme (TRUSTED_PROXIES); gunicorn must not decide it on its own.
forwarded_allow_ips = ""
proc_name = "omoikane-web"
# gunicorn's control socket lives in the home directory by default: unwritable under ProtectHome, and shared
# by every gunicorn of one user (tests and benchmarks start several). Nothing here uses it.
control_socket_disable = True
