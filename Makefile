# Modhall: `make run` serves the portal on a laptop; `make test` runs every test.
# Both create .venv on first use and skip what is already done the next time.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python 3.12+ on the PATH (pyenv picks 3.13 from .python-version).
PYTHON_BOOT := $(shell for p in python3.13 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; \
	then command -v $$p; break; fi; done)

.PHONY: run test install lint lint-check format migrate guides demo worker beat bench screenshots twitch-stand-in clean help

help:
	@echo "make run    install, migrate, load guides and demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   install test dependencies and run the whole suite"
	@echo "make lint   ruff"
	@echo "make screenshots   PNGs of the key pages, desktop and phone, light and dark (var/screenshots/)"
	@echo "make twitch-stand-in   a stand-in Twitch on 127.0.0.1:8555 to try the Twitch flows (README, Twitch)"

$(PY):
	@if [ -z "$(PYTHON_BOOT)" ]; then \
		echo "Modhall needs Python 3.12 or newer (Django 6 does), and none was found on the PATH."; \
		echo "Install Python 3.13 (pyenv install 3.13, or your system's package) and run make again."; \
		exit 1; fi
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed-app

install: $(VENV)/.installed-app

migrate: install
	$(PY) manage.py migrate --noinput

# Load the guide library (guides/) into the database; unchanged lessons are left alone.
guides: migrate
	$(PY) manage.py sync_guides

demo: guides
	$(PY) manage.py seed_demo

run: demo
	@echo "Modhall is at http://$(HOST):$(PORT)/  (demo logins are in README.md)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# What CI enforces: ruff's rules (formatting is advised by `make lint`, not enforced).
lint-check: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A portal worker -Q default,email --loglevel INFO

beat: install
	$(VENV)/bin/celery -A portal beat --loglevel INFO

# Page benchmark (bench/run.py): gunicorn + wrk on small and large demo data; writes
# bench/RESULTS.md. Uses PostgreSQL when DATABASE_URL is set. Needs wrk (apt-get install wrk).
bench: install
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install wrk"; exit 1; }
	$(PY) bench/run.py $(BENCH_ARGS)

# A PNG of each key page at desktop and phone sizes, in light and dark, on the demo data,
# written to var/screenshots/ (git-ignored). Needs Chromium (apt-get install chromium).
screenshots: demo $(VENV)/.installed-test
	$(PY) tests/e2e/screenshots.py $(SCREENSHOTS_ARGS)

# A stand-in Twitch (tests/twitch_stand_in.py) on http://127.0.0.1:8555 with the demo data's
# accounts, for trying the Twitch flows with `make run` (README, "Twitch"). It needs only the
# app's own install: the first terminal of a fresh clone has no .venv yet.
twitch-stand-in: install
	$(PY) -m tests.twitch_stand_in $(STAND_IN_ARGS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
