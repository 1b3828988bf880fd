# Tangga: the two commands are `make run` and `make test`; everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

# Debian packages: WeasyPrint's fonts and subsetter, pdftoppm, and the browser for the tests.
CERT_DEBS := fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 poppler-utils
# zbar-tools: the tests decode certificates' QR codes from their images.
TEST_DEBS := chromium zbar-tools $(CERT_DEBS)
# The benchmarks: the databases' own export tools are the reports' baseline.
BENCH_DEBS := sqlite3 postgresql-client $(CERT_DEBS)

.PHONY: run test lint format demo translations-extract translations-update translations-compile \
	translations-check \
	cert-debs test-debs bench-debs bench demo-large clean

run: $(VENV)/.installed cert-debs translations-compile
	$(BIN)/flask db upgrade
	$(BIN)/flask lms seed
	$(BIN)/flask lms courses import
	$(BIN)/flask lms demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-dev test-debs translations-compile
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# --- Python environment -------------------------------------------------------------------
$(VENV)/bin/python:
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || $(MAKE) --no-print-directory debs DEBS=python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

# --- Debian packages: installed when missing and we may (root, or sudo without a password) -------
cert-debs:
	@$(MAKE) --no-print-directory debs DEBS="$(CERT_DEBS)"

test-debs:
	@$(MAKE) --no-print-directory debs DEBS="$(TEST_DEBS)"

bench-debs:
	@$(MAKE) --no-print-directory debs DEBS="$(BENCH_DEBS)"

.PHONY: debs
debs:
	@command -v dpkg >/dev/null || { echo "Not a Debian system: install $(DEBS) yourself."; exit 0; }; \
	missing=""; for p in $(DEBS); do dpkg -s $$p 2>/dev/null | grep -q '^Status:.* installed' || missing="$$missing $$p"; done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	else echo "Missing Debian packages:$$missing (install them with: sudo apt-get install$$missing)"; exit 0; fi; \
	echo "Installing Debian packages:$$missing"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null

# --- Translations (catalogs in translations/, compiled .mo files are built here, never committed) --
translations-extract: $(VENV)/.installed
	$(BIN)/flask lms translations extract

translations-update: $(VENV)/.installed
	$(BIN)/flask lms translations update

translations-compile: $(VENV)/.installed
	$(BIN)/flask lms translations compile

translations-check: $(VENV)/.installed
	$(BIN)/flask lms translations check

demo: $(VENV)/.installed translations-compile
	$(BIN)/flask db upgrade
	$(BIN)/flask lms seed
	$(BIN)/flask lms courses import
	$(BIN)/flask lms demo

# A region-wide data set on top of the demo (COUNSELLORS=150000 by default), for reports at scale.
COUNSELLORS ?= 150000
demo-large: demo
	$(BIN)/flask lms demo --counsellors $(COUNSELLORS)

# Benchmarks that print figures (see the README): certificates, then reports at scale.
bench: $(VENV)/.installed-dev bench-debs translations-compile
	$(BIN)/python bench/certificates.py
	$(BIN)/python bench/reports.py

clean:
	rm -rf $(VENV) instance test-output .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
