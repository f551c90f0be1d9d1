# Two commands for a newcomer: `make run` and `make test`. Everything installs into .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
THREADS ?= 4
## the suite runs on TEST_WORKERS processes (pytest-xdist; `auto` = one per core, 0 = in this process); a test
## file stays on one worker; on PostgreSQL each worker gets its own database (tests/worker_databases.py). The
## contract fuzzing then runs as one process per core, each taking a shard of the operations (its generated items
## share one node id, which xdist cannot spread: tests/fuzz_shards.py).
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile && $(BIN)/python tests/fuzz_shards.py
export FLASK_APP := wsgi

.PHONY: install install-dev run serve test test-miniprogram test-postgres lint check-migrations bench clean

$(BIN)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(BIN)/.dev: $(BIN)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

install: $(BIN)/.runtime
install-dev: $(BIN)/.dev

## make run: venv, install, migrate, demo data (fresh tokens printed), gunicorn on 127.0.0.1:$(PORT) (gthread: a few
## slow clients don't freeze it), and (development only) a local WeChat stand-in on a free side port that the app
## logs residents in through (backend/demo/wechat_standin.py); a background job worker beside it (flask jobs worker)
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "serving on http://127.0.0.1:$(PORT)  (API docs: /docs; operator console: /console, sign in with a token above; new ones: .venv/bin/flask seed-demo --json)"
	$(BIN)/flask jobs worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	PORT=$(PORT) WEB_CONCURRENCY=$(WORKERS) GUNICORN_THREADS=$(THREADS) $(BIN)/python -m backend.demo.wechat_standin -- \
	  $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

## make test: the whole suite (PostgreSQL tests run too when TEST_DATABASE_URL is set), then the mini-program's
## tests where Node is installed (MP_TESTS=skip leaves them to a later step, as .ci/run does)
test: install-dev
	$(PYTEST)
	@if [ "$(MP_TESTS)" = skip ]; then echo "make test: mini-program tests left to make test-miniprogram"; \
	else $(MAKE) --no-print-directory test-miniprogram; fi

## the mini-program (miniprogram/): jest + miniprogram-simulate on Node 20, npm ci from the committed lock file;
## its contract test starts the real backend (miniprogram/tests/server/launch.py) with this venv's Python
test-miniprogram: install-dev
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
	  cd miniprogram && { [ node_modules/.package-lock.json -nt package-lock.json ] || \
	    npm ci --no-audit --no-fund --loglevel=error; } && MP_PYTHON=$(abspath $(BIN)/python) npm test --silent; \
	else echo "make test: Node.js (node, npm) not found: the mini-program tests in miniprogram/ were NOT run." \
	  "Install Node 20 to run them."; fi

test-postgres: install-dev
	export TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}; $(PYTEST)

## the layout's import rules (import-linter, pyproject.toml) and ruff
lint: install-dev
	$(BIN)/lint-imports
	$(BIN)/ruff check backend miniprogram_api qr sampling tests bench miniprogram/tests/server

## models and migrations agree, from an empty database
check-migrations: install
	rm -f /tmp/credit-codes-migcheck.sqlite3
	DATABASE_URL=sqlite:////tmp/credit-codes-migcheck.sqlite3 $(BIN)/flask db upgrade
	DATABASE_URL=sqlite:////tmp/credit-codes-migcheck.sqlite3 $(BIN)/flask db check

## make bench: every benchmark under bench/, one table
bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache
