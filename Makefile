# Two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format migrate clean bench app node-check api-types test-frontend test-frontend-unit test-e2e

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP) app
	PORT=$(PORT) $(BIN)/python scripts/run_local.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# SKIP_FRONTEND=1 leaves out the web app's suites (.ci/run runs them once, not per database).
test: lint
ifneq ($(SKIP_FRONTEND),1)
	@$(MAKE) --no-print-directory test-frontend-unit
endif
	$(BIN)/pytest
ifneq ($(SKIP_FRONTEND),1)
	@$(MAKE) --no-print-directory test-e2e
endif

# --- The web app (frontend/, docs/frontend.md) ---------------------------------------------------
# Node 20.19 or later; without it `make run` serves the API alone and says what to install.
NODE_OK := $(shell node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' >/dev/null 2>&1 && echo yes)
NODE_HINT := Node.js 20.19 or later is needed for the web app: install it (https://nodejs.org/, or your package manager's nodejs and npm)
FRONTEND_NODE := frontend/node_modules/.installed
FRONTEND_BUILD := frontend/dist/index.html
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html \
	frontend/vite.config.ts frontend/tsconfig.json

# Playwright uses Debian's Chromium (playwright.config.ts), never a browser download of its own.
$(FRONTEND_NODE): frontend/package.json frontend/package-lock.json
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

# Rebuilt only when a source changed (make compares the files' times).
$(FRONTEND_BUILD): $(FRONTEND_NODE) $(FRONTEND_SOURCES)
	cd frontend && npm run build

app:
ifeq ($(NODE_OK),yes)
	@$(MAKE) --no-print-directory $(FRONTEND_BUILD)
else
	@echo "$(NODE_HINT). Serving the API only; http://127.0.0.1:$(PORT)/ says how to build the app." >&2
endif

node-check:
ifneq ($(NODE_OK),yes)
	@echo "$(NODE_HINT), or run SKIP_FRONTEND=1 make test." >&2; exit 1
endif

# The API's TypeScript types (frontend/src/api/schema.d.ts), generated from the OpenAPI schema.
api-types: $(STAMP) node-check $(FRONTEND_NODE)
	cd frontend && node scripts/gen-api.mjs

# The committed types match the schema, which gives them without a warning; the app type-checks,
# and the unit tests (vitest) pass.
test-frontend-unit: $(STAMP) node-check $(FRONTEND_NODE)
	cd frontend && node scripts/gen-api.mjs --check
	$(BIN)/python scripts/check_api_types.py
	cd frontend && npx tsc --noEmit
	cd frontend && npx vitest run

# End to end: Playwright drives Chromium against the built app served by a fresh server
# (scripts/e2e_server.py: runserver, localstripe, a new SQLite database, free ports).
test-e2e: $(STAMP) node-check $(FRONTEND_BUILD)
	@command -v chromium >/dev/null 2>&1 || { echo "Chromium is missing: apt-get install -y chromium" >&2; exit 1; }
	cd frontend && npx playwright test

test-frontend: test-frontend-unit test-e2e

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
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm .localstripe-url .pytest_cache .ruff_cache frontend/node_modules frontend/dist
