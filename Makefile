# The two commands a new user needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/pmsc_registry
# Test processes (pytest-xdist): one per core; PYTEST_WORKERS=0 runs the suite in one process.
PYTEST_WORKERS ?= auto
# Branch coverage of registry/ and api/ below which `make check` and .ci/run fail: the level
# measured when it was set (95 %, 2026-12-02), minus one point. Raise it when coverage rises.
COVERAGE_FLOOR ?= 94

SERVE_PORT ?= 8000
# The PostgreSQL server the benchmarks create their bench_* databases on (benchmarks/README.md).
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432

.PHONY: run serve install bench bench-quick browser demo test test-postgres lint types check check-tests format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $@

install: $(VENV)/.installed

## Benchmarks (benchmarks/README.md), not part of `make test`: synthetic data at 10,000 and
## 1,000,000 contracts in fresh databases bench_* on BENCH_PG_URL, gunicorn as `make serve`
## runs it (production settings, the secrets of var/serve.env), each goal against a baseline of
## the same run. The table goes to stdout and var/bench-<date>.md; a missed goal exits 1.
bench: install var/serve.env
	set -a && . ./var/serve.env && set +a && \
	$(BIN)/python -m benchmarks.run --pg $(BENCH_PG_URL) $(BENCH_ARGS)

## The same at 2,000 and 20,000 contracts with shorter loads: under five minutes
bench-quick: install var/serve.env
	set -a && . ./var/serve.env && set +a && \
	$(BIN)/python -m benchmarks.run --quick --pg $(BENCH_PG_URL) $(BENCH_ARGS)

## Install, create the SQLite database with demo data, and serve on http://127.0.0.1:8000/
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py createcachetable
	DEBUG=1 $(BIN)/python manage.py load_demo --if-empty
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Production-like: DEBUG off, gunicorn (registry/gunicorn_conf.py), static files collected,
## JSON logs; SQLite in var/serve.sqlite3 unless DATABASE_URL says otherwise; the demo data on
## the first start. Its secrets are made once in var/serve.env; variables you set win.
serve: install var/serve.env
	set -a && . ./var/serve.env && set +a && \
	export DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/var/serve.sqlite3}" && \
	$(BIN)/python manage.py migrate --no-input -v0 && \
	$(BIN)/python manage.py createcachetable && \
	$(BIN)/python manage.py collectstatic --no-input -v0 && \
	$(BIN)/python manage.py load_demo --if-empty && \
	PORT=$(SERVE_PORT) exec $(BIN)/gunicorn -c python:registry.gunicorn_conf registry.wsgi

var/serve.env: | $(BIN)/python
	mkdir -p var
	$(BIN)/python -c 'import base64, secrets; \
	print("SECRET_KEY=$${SECRET_KEY:-" + secrets.token_urlsafe(50) + "}"); \
	print("IDENTITY_HASH_KEY=$${IDENTITY_HASH_KEY:-" + secrets.token_urlsafe(32) + "}"); \
	print("AUDIT_SIGNING_KEY=$${AUDIT_SIGNING_KEY:-" + base64.b64encode(secrets.token_bytes(32)).decode() + "}"); \
	print("ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost}"); \
	print("SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0}  # plain HTTP on this machine; TLS at the proxy in production"); \
	print("DEBUG=0")' > $@
	chmod 600 $@

## Reload the demo data into an empty database (deletes var/registry.sqlite3)
demo: install
	rm -f var/registry.sqlite3 var/registry.sqlite3-wal var/registry.sqlite3-shm
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py createcachetable
	DEBUG=1 $(BIN)/python manage.py load_demo

## Debian's Chromium for the browser tests (Playwright cannot download browsers on these machines)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium' or the browser tests are skipped."; \
	  fi; \
	fi

## Run the test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
test: install browser
	DEBUG=1 $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## The same suite against the local PostgreSQL server
test-postgres: install browser
	DEBUG=1 DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Static types: mypy with the Django and DRF stubs (configured in pyproject.toml)
types: install
	DEBUG=1 $(BIN)/mypy

## What CI checks, on SQLite: lint, types, migrations, the suite above the coverage floor
check: lint types
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) check-tests

check-tests:
	$(MAKE) test PYTEST_ARGS="--cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR) $(PYTEST_ARGS)"

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
