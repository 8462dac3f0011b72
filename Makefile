# The two commands of the README: `make run` and `make test`. Only python3 is assumed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Re-installed only when pyproject.toml is newer than this stamp.
STAMP := $(VENV)/.installed
# `make test PYTEST_ARGS="tests/credit -x"` narrows the run; -n picks the xdist processes.
PYTEST_ARGS ?=
PYTEST_PROCESSES ?= 2

.PHONY: run test install browser lint format messages clean

run: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) browser
	$(PY) -m pytest -n $(PYTEST_PROCESSES) $(PYTEST_ARGS)

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium and CJK fonts for tests/browser (installed when we may; skipped otherwise).
browser:
	@bash scripts/ensure-browser.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# For developers, after user-facing strings changed (needs GNU gettext: apt-get install gettext).
messages: $(STAMP)
	@command -v xgettext >/dev/null || { echo "make messages needs GNU gettext (apt-get install gettext)"; exit 1; }
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='artifacts/*' --ignore='tests/*' --ignore='bench/*'
	$(PY) manage.py compilemessages -l zh_Hans --ignore='.venv/*'

clean:
	rm -rf artifacts .pytest_cache .ruff_cache
