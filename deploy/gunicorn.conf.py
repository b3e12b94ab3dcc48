"""The production application server: gunicorn with threaded workers (gthread).

Why gthread (bench/serving.py has the numbers): the pages are synchronous Django views, and a draft stream
(server-sent events, applications/drafting/views.py) holds one thread while it is open, sleeping between
looks at its row. Threads make an open stream cheap (a parked thread, no process), and with enough of them
per worker the streams never take the threads the pages need. Values come from the environment, so the
systemd unit (deploy/systemd/omoikane-web.service), `make serve` and the tests run this same file.
"""

from __future__ import annotations

import os

bind = [os.environ.get("OMOIKANE_BIND", "127.0.0.1:8000")]
wsgi_app = "omoikane.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("OMOIKANE_WORKERS", "2"))
# Room for the open draft streams (one thread each) plus the pages; see bench/serving.py.
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
