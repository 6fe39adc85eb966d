# Two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format migrate clean bench

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	PORT=$(PORT) $(BIN)/python scripts/run_local.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

# Load benchmark (bench/README.md). Options: BENCH_DB=sqlite, BENCH_COURSES=1000000, BENCH_DURATION=5, ...
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq wrk; \
	  else \
	    echo "wrk is missing: sudo apt-get install -y wrk (Debian/Ubuntu) or brew install wrk (macOS)"; exit 1; \
	  fi; }
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache
