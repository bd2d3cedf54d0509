# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050
SCALE ?= city

.PHONY: run test lint system-deps bench clean-db

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

## run: install, migrate, seed the demo province if the database is empty, serve on http://$(HOST):$(PORT)
run: $(VENV)/.installed
	$(BIN)/flask --app app seed-demo --scale $(SCALE) --if-empty
	@echo "Serving the dashboard on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	WARM_CACHE=1 $(BIN)/flask --app app run --host $(HOST) --port $(PORT)

## axe-core (npm, pinned in package-lock.json) for the accessibility browser test (tests/test_browser_a11y.py)
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## test: install the test extra, lint (ruff, format, mypy, layer contract), run every test (unit, query on SQLite+PostgreSQL, browser)
test: lint $(AXE)
	$(BIN)/pytest

## bench: seed the `large` demo (once) and measure page callbacks, the API and first load; appends docs/PERFORMANCE.md
## (BENCH_SCALE=city for the city demo; BENCH_ARGS for more options, e.g. BENCH_ARGS="--json /tmp/bench.json")
BENCH_SCALE ?= large
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --scale $(BENCH_SCALE) $(if $(DATABASE_URL),--database-url $(DATABASE_URL),) $(BENCH_ARGS)

## loadtest: gunicorn (4 workers) on PostgreSQL loadtest_$(LOADTEST_SCALE) (created and seeded if missing) + Redis, 50 users for 120 s
## (pages, grid blocks, API, council saves); checks 0 errors and every acknowledged write; docs/RELIABILITY.md.
## LOADTEST_ARGS="--restart-db" restarts PostgreSQL mid-run; "--api-wrk" measures API and /healthz with wrk
LOADTEST_SCALE ?= city
.PHONY: loadtest
loadtest: $(VENV)/.installed
	$(BIN)/python bench/loadtest.py --scale $(LOADTEST_SCALE) $(if $(DATABASE_URL),--database-url $(DATABASE_URL),) $(LOADTEST_ARGS)

## worker: run the background jobs (imports) queued on JOBS_REDIS_URL; start it beside gunicorn, with the same environment
.PHONY: worker
worker: $(VENV)/.installed
	@test -n "$$JOBS_REDIS_URL" || { echo "set JOBS_REDIS_URL (e.g. redis://127.0.0.1:6379/2), as for the web server"; exit 1; }
	$(BIN)/celery -A jobs.celery_app worker --concurrency=2 --loglevel=INFO

## lint: ruff, ruff format --check, mypy (pyproject [tool.mypy]) and the layer contract (lint-imports)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## system-deps: Debian packages the browser tests and /briefing.pdf need (run as root; .ci/run does this)
system-deps:
	@missing=""; for p in chromium chromium-driver fonts-noto-cjk; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else echo "system packages present"; fi

clean-db:
	rm -f instance/housing.sqlite3 instance/housing.sqlite3-wal instance/housing.sqlite3-shm
