# Fælles — developer commands. Quick start: `make run`, then `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS_STAMP := src/faelles/web/static/dkfds/.built
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on two processes (pytest-xdist, one test database each); PYTEST_ARGS= runs
# it in one.
PYTEST_ARGS ?= -n 2

.PHONY: install assets migrate demo run serve prod test lint typecheck importlint pytest test-pg bench load clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

assets: $(ASSETS_STAMP)

$(ASSETS_STAMP): package.json scripts/build_assets.sh
	bash scripts/build_assets.sh

migrate: install assets
	mkdir -p var
	$(BIN)/faelles migrate --noinput

demo: migrate
	$(BIN)/faelles demo

run: demo
	$(BIN)/faelles serve --host $(HOST) --port $(PORT)

serve: run

# Production mode on this machine: PostgreSQL database (created if missing), collectstatic,
# migrate, a Celery worker and gunicorn with FAELLES_ENV=production; see scripts/prod.sh for
# the environment it reads. Plain http on loopback: SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0.
prod: install assets
	bash scripts/prod.sh

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

typecheck: install
	$(BIN)/mypy src/faelles

importlint: install
	$(BIN)/lint-imports

pytest: install assets
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck importlint pytest

# The suite again on PostgreSQL (DATABASE_URL, default the local server); the
# concurrency tests run only here. The pure libraries (einvoice, payroll engine) touch no
# database, so their tests run once, in `make test`.
test-pg: install assets
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/faelles} $(BIN)/pytest \
		--ignore=src/faelles/einvoice --ignore=src/faelles/payroll/engine $(PYTEST_ARGS)

bench: install
	@for b in bench/*_bench.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# The load test (bench/load/run.py): production mode (scripts/prod.sh, gunicorn + Celery) on
# PostgreSQL (database faelles_load, 60,000 invoices in one institution, prepared the first
# time), the locust scenario headless for LOAD_SECONDS at LOAD_RATE requests/s offered (70 %
# reads of the inbox, the invoice list API, an invoice page and the trial balance; 30 %
# document intake; LOAD_TAGS=intake for intake only); stops the servers and prints one JSON
# object last. See docs/design/operations.md, "Under load".
LOAD_RATE ?= 100
LOAD_SECONDS ?= 60
LOAD_TAGS ?=
load: install assets
	@test -x $(BIN)/locust || $(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/load/run.py --rate $(LOAD_RATE) --seconds $(LOAD_SECONDS) $(if $(LOAD_TAGS),--tags $(LOAD_TAGS))

clean:
	rm -rf $(VENV) var node_modules src/faelles/web/static/dkfds
