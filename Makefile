# BTS Tracker: `make run` sets up and serves the app (and its task worker), `make test` runs every test.

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

# The first of these that is Python 3.12 or newer builds the virtualenv.
PYTHON_CANDIDATES := python3.13 python3.12 python3 python
FIND_PYTHON := for p in $(PYTHON_CANDIDATES); do \
	  if command -v $$p >/dev/null 2>&1 && \
	     $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    echo $$p; break; fi; done

.PHONY: run test lint format clean bench

$(STAMP): requirements.txt
	@if [ ! -x $(PY) ]; then \
	  python="$$($(FIND_PYTHON))"; \
	  if [ -z "$$python" ]; then \
	    echo "BTS Tracker needs Python 3.12 or newer, and none was found (tried: $(PYTHON_CANDIDATES))." >&2; \
	    echo "Install Python 3.12+ and run this again." >&2; \
	    exit 1; \
	  fi; \
	  echo "Creating $(VENV) with $$python ($$($$python --version))"; \
	  if ! $$python -m venv $(VENV); then \
	    rm -rf $(VENV); \
	    echo "Could not create a virtualenv: on Debian/Ubuntu, apt-get install python3-venv." >&2; \
	    exit 1; \
	  fi; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# Local development: DEBUG on, embedded SQLite unless DATABASE_URL is set.
run: export DEBUG ?= 1
run: $(STAMP)
	$(PY) manage.py migrate --no-input
	@# load_demo's last line says how to log in, as it is on this database.
	$(PY) manage.py load_demo
	@echo
	@echo "  BTS Tracker is at http://127.0.0.1:$(PORT)/"
	@echo
	@# The task worker (password reset mails) runs beside the server and stops with it.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# In parallel (pytest-xdist: a test database per worker), then the fuzz
# tests in one process: tests/fuzz/test_volume.py counts what the others sent.
PYTEST_ARGS ?= -n auto --maxprocesses 4

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS) --ignore=tests/fuzz
	$(PY) -m pytest tests/fuzz

# What pages cost at 10 to 100,000 items, as ratios to a floor (not a test).
bench: $(STAMP)
	SECRET_KEY=bench-only $(PY) manage.py bench

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
