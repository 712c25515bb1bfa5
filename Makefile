# Schakel: `make run` starts the demo, `make test` runs the whole suite.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

# uv from the PATH when it works (pyenv shims may name one that does not), else a local copy.
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo .tools/bin/uv)
PY := $(UV) run --frozen --no-sync python
PORT ?= 8000

.PHONY: run run-region run-production test test-sqlite test-pg bench lint messages check-messages venv

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet uv==0.13.8

venv: $(if $(filter uv,$(UV)),,.tools/bin/uv)
	$(UV) sync --frozen --quiet

# Links in e-mails and calendar feeds use SITE_URL: with PORT=18801 they point to 18801.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: venv
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py demo --url $(SITE_URL)
	scripts/serve "$(PY)" "$(UV) run --frozen --no-sync gunicorn" schakel.wsgi --config scripts/gunicorn.conf.py --bind 127.0.0.1:$(PORT)

# The regional demo: two municipalities and the region's installation, each its own
# database and server (ports 8010-8012, REGION_PORT to move them); accounts printed.
run-region: venv
	scripts/run-region "$(PY)" "$(UV) run --frozen --no-sync gunicorn"

# The production settings on this machine, against PostgreSQL (DATABASE_URL, else a
# throwaway cluster): a try-out before deploying with deploy/ (README, "In production").
run-production: venv
	scripts/run-production "$(PY)" "$(UV) run --frozen --no-sync gunicorn" $(PORT)

test: venv
	scripts/ensure-chromium
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-pg

test-sqlite: venv
	SCHAKEL_ENV=test DATABASE_URL= DATA_DIR=$$(mktemp -d) $(PY) -m pytest -q $(PYTEST_ARGS)

test-pg: venv
	SCHAKEL_ENV=test DATA_DIR=$$(mktemp -d) scripts/with-postgres $(PY) -m pytest -q $(PYTEST_ARGS)

bench: venv
	DATABASE_URL= DATA_DIR=$$(mktemp -d) $(PY) -m schakel.reports.pagebench
	DATA_DIR=$$(mktemp -d) scripts/with-postgres $(PY) -m schakel.reports.pagebench
	DATABASE_URL= $(PY) -m schakel.reports.bench
	SCHAKEL_ENV=test DATABASE_URL= DATA_DIR=$$(mktemp -d) $(PY) -m schakel.subjects.bench --size $${BENCH_SIZE:-1000000} --out bench-results-subjects-sqlite.json
	SCHAKEL_ENV=test DATA_DIR=$$(mktemp -d) scripts/with-postgres $(PY) -m schakel.subjects.bench --size $${BENCH_SIZE:-1000000} --out bench-results-subjects-postgresql.json

lint: venv
	$(UV) run --frozen --no-sync ruff check schakel

messages: venv
	scripts/messages
