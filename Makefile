# eBOK — `make run` for the demo, `make test` for the whole test suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

# The demo runs with DEBUG and a secret generated once under var/ (never committed).
DEMO_ENV = DEBUG=true SECRET_KEY="$$(cat var/secret_key)"

.PHONY: run test lint bench install demo-data messages clean help cluster-test manage

help:
	@echo "make run    - install, migrate, load demo data, start server and task worker"
	@echo "make test   - run the whole test suite (DATABASE_URL selects the database)"
	@echo "make lint   - ruff"
	@echo "make bench  - performance benchmark (see docs/performance.md)"
	@echo "make cluster-test - nginx + 2 app nodes + 2 task workers on PostgreSQL, Redis, S3 (docs/deployment.md)"
	@echo "make manage ARGS='createadmin' - any manage.py command (reads .env when present)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $(STAMP)

# node_modules holds the browser-test tools (axe-core, vnu-jar); `make test` installs them,
# `make run` does not need them. Without npm the checks that need them skip locally.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund; \
	else echo "npm not found: browser accessibility checks will be skipped"; fi

install: $(STAMP)

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	chmod 600 var/secret_key

demo-data: install var/secret_key
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo --if-empty

run: demo-data
	@echo "Starting eBOK on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(DEMO_ENV) $(PY) manage.py db_worker & \
	  $(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on every CPU (pytest-xdist; each worker has its own test database), the
# browser tests then on their own: one Chromium and live server, no other worker
# competing for the CPU while pages load. TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= auto
test: install $(NODE_STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --ignore=tests/browser $(PYTEST_ARGS)
	$(PY) -m pytest tests/browser $(PYTEST_ARGS)

# The cluster test starts nginx, two gunicorn nodes and two task workers from deploy/ on
# loopback, with PostgreSQL and Redis of this machine and an S3 server (moto); it kills
# a node under load. A few minutes; with CI=true a missing service fails it.
cluster-test: install
	EBOK_CLUSTER_TEST=1 $(PY) -m pytest tests/cluster -p no:cacheprovider -p no:logging -s $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: install
	DEBUG=true SECRET_KEY=x $(PY) manage.py makemessages -l en --no-location --ignore=.venv --ignore=var --ignore=node_modules
	DEBUG=true SECRET_KEY=x $(PY) manage.py compilemessages --ignore=.venv

# Any management command with the deployment's settings: manage.py reads .env itself.
manage: install
	$(PY) manage.py $(ARGS)

bench: install
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf var/ebok.sqlite3* var/test.sqlite3* var/media var/mail var/static
