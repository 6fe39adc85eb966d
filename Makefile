# Two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint api-types format migrate clean bench

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	PORT=$(PORT) $(BIN)/python scripts/run_local.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint api-types
	$(BIN)/pytest

# The OpenAPI schema must give TypeScript types without a warning (web/ pins openapi-typescript).
# Needs Node.js 20+ and npm; without them it is skipped, except in CI (CI=true), where it fails.
api-types: $(STAMP)
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ -n "$$CI" ]; then echo "api-types: npm is missing (install Node.js 20+ and npm)" >&2; exit 1; fi; \
	  echo "api-types: skipped, npm not found (install Node.js 20+ and npm to run it; CI always does)"; \
	else \
	  npm ci --prefix web --no-audit --no-fund --loglevel=error && $(BIN)/python scripts/check_api_types.py; \
	fi

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

# Load benchmark (bench/README.md), e.g. BENCH_DURATION=3 make bench. Needs wrk; installs matplotlib.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $(BENCH_STAMP)

bench:
	@command -v wrk >/dev/null 2>&1 || { echo "wrk is missing. Install it: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk (macOS)" >&2; exit 1; }
	@$(MAKE) --no-print-directory $(BENCH_STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache web/node_modules
