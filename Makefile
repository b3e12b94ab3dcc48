# The two commands: `make run` and `make test`. Everything else here is what they are made of.
PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test install migrate messages static lint typecheck pytest test-browser test-failover test-edge serve bench makemessages clean

# After the install: caldav (the tests' CalDAV client) brings niquests and urllib3-future, whose .pth file
# copies itself over urllib3 at every interpreter start. Keep the real urllib3 that boto3, requests and the
# rest were tested with: drop the .pth, then put urllib3 back (niquests uses urllib3_future by that name).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -c "import pathlib, site; [p.unlink() for d in site.getsitepackages() for p in pathlib.Path(d).glob('urllib3_future.pth')]"
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps "urllib3==$$($(BIN)/python -m pip show urllib3 | sed -n 's/^Version: //p')"
	$(BIN)/python -c "import pathlib, site; [p.unlink() for d in site.getsitepackages() for p in pathlib.Path(d, 'urllib3').glob('.u3f_sync*')]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(MANAGE) migrate --no-input
	$(MANAGE) migrate --no-input --database traces
	$(MANAGE) createcachetable

messages: install
	$(MANAGE) compilemessages --ignore=.venv --verbosity 0

static: install
	$(MANAGE) collectstatic --no-input --verbosity 0

# The web server and the task worker together; Ctrl-C stops both.
run: migrate messages static
	$(MANAGE) seed_demo
	@echo "Omoikane on http://127.0.0.1:8000 (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	$(MANAGE) worker --interval 1 & \
	$(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

pytest: install messages static
	$(BIN)/pytest -m "not browser and not edge"

test: lint typecheck pytest

# Playwright driving Debian's Chromium (apt-get install chromium); see README.
test-browser: install messages static
	$(BIN)/pytest -m browser tests_browser

# Failover drill: etcd and PostgreSQL/Patroni x3 on loopback, the leader killed -9 under write load; prints
# one JSON line (acknowledged_writes, acknowledged_lost, outage_s, ...). Root, with apt packages patroni and
# etcd-server (README, "Failover drill").
test-failover: install messages
	$(BIN)/python bench/failover.py

# The production profile over the production server, with the worker and (if installed) the HAProxy edge:
# https://localhost:8443. See docs/deploy.md.
serve: install messages
	$(BIN)/python -m ops.serve_local

# The TLS edge for real: Debian's haproxy (apt-get install haproxy) in front of two production app servers on
# loopback ports 21100-21999, with a throwaway certificate, and PostgreSQL with a throwaway CA
# (verify-full); about a minute. See docs/deploy.md.
test-edge: install messages
	$(BIN)/pytest -m edge ops/tests

bench: install messages
	$(BIN)/python bench/run.py

# Refresh the catalogues after changing user-facing strings; then translate what is new.
makemessages: install
	$(MANAGE) makemessages --all --ignore=.venv --ignore=var --ignore=bench --ignore=tests_browser --no-obsolete

clean:
	rm -rf $(VENV) var/static .mypy_cache .ruff_cache .pytest_cache
