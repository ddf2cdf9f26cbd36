# Two commands for a newcomer: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_ENV := DEBUG=true EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend

.PHONY: install install-test demo serve test lint format check-migrations messages browser pdf-libs bench clean schema tour

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements/base.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt -c constraints.txt
	touch $@

$(VENV)/.installed-test: requirements/test.txt requirements/base.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt -c constraints.txt
	touch $(VENV)/.installed $@

## install: create or update the virtualenv in .venv/ with the pinned runtime dependencies
install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(VENV)/.installed-bench: requirements/bench.txt requirements/base.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/bench.txt -c constraints.txt
	touch $(VENV)/.installed $@

## demo: install, migrate SQLite, load the demo municipality and serve on http://127.0.0.1:8000
demo: install pdf-libs
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) load_demo
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000

## pdf-libs: WeasyPrint renders PDFs with Pango; install it from Debian when it is missing
pdf-libs:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || { \
	  echo "Installing Debian's Pango for WeasyPrint"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

## browser: make sure Debian's chromium is there for the Playwright tests
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	DJANGO_SETTINGS_MODULE=gesprekscyclus.conf.ci $(BIN)/python manage.py makemigrations --check --dry-run

## messages: extract and compile translations (needs GNU gettext)
messages: install
	DEBUG=true $(MANAGE) makemessages -l nl -l en --no-obsolete -i ".venv/*" -i "var/*" -i "tests/*" -i "bench/*"
	DEBUG=true $(MANAGE) compilemessages -i .venv

## test: lint, migrations check and the whole suite (unit, integration and browser)
test: install-test pdf-libs browser lint
	$(BIN)/python scripts/check_messages.py
	$(MAKE) --no-print-directory check-migrations
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

## tour: run the five year scenarios and write docs/tour.md with their screenshots
tour: install-test pdf-libs browser
	$(BIN)/python -m pytest -n 2 tests/browser -k year
	$(BIN)/python scripts/tour.py

## bench: generate the installation of 200,000 employees (once), measure the pages under load and the
## long commands, and write the figures into docs/performance.md (PostgreSQL on 127.0.0.1 by default)
bench: $(VENV)/.installed-bench pdf-libs
	$(BIN)/python bench/generate.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/commands.py
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) var/

## schema: write the API's OpenAPI schema to docs/api/openapi.yaml (commit it; a test checks it)
schema: install
	DEBUG=true $(MANAGE) spectacular --lang en --validate --fail-on-warn --file docs/api/openapi.yaml
