# Kennisplein: `make run` starts the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Dummy values that satisfy the production settings for `check --deploy` (never used to serve).
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=lint-only-2f8c9d1e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1 \
	DATABASE_URL=sqlite:///var/lint.sqlite3 REDIS_URL=redis://127.0.0.1:6379/0 \
	EMAIL_URL=smtp://127.0.0.1:25 SITE_URL=https://kennisplein.example \
	DJANGO_ALLOWED_HOSTS=kennisplein.example

.PHONY: install run test lint bench messages compilemessages clean screenshots

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) compilemessages

compilemessages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install GNU gettext (apt-get install gettext)"; exit 1; }
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0

# One PORT (and HOST) sets gunicorn's bind address, the banner and SITE_URL (links in mail and
# feeds) together: make run PORT=8123. An explicit SITE_URL (a proxy in front) still wins.
HOST ?= 127.0.0.1
PORT ?= 8000
SITE_URL ?= http://$(HOST):$(PORT)

run: install
	$(PY) manage.py migrate --noinput
	SITE_URL="$(SITE_URL)" $(PY) manage.py seed_demo
	@echo ""
	@echo "Kennisplein runs at $(SITE_URL)  (sent mail: $(SITE_URL)/dev/mail/)"
	@echo "Web, worker and beat start below; stop them with Ctrl-C."
	PATH="$(CURDIR)/$(BIN):$$PATH" GUNICORN_BIND="$(HOST):$(PORT)" SITE_URL="$(SITE_URL)" \
		exec $(PY) -m tools.run_dev

# Screenshots of the main pages (desktop and mobile, nl and en) for reviewers, in var/screenshots/.
screenshots: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) tools/screenshots.py --out var/screenshots

# Two workers (pytest-xdist) by default, one file per worker at a time; TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 2
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) -m tools.check_architecture
	$(BIN)/djlint templates --lint
	$(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

bench: install
	$(PY) -m bench

# Refresh both catalogues after changing translatable strings, then translate the new entries
# (nl: Dutch; en: the English text itself). tests/test_translations.py fails on any gap.
messages: install
	$(PY) manage.py makemessages --locale=nl --locale=en --ignore=.venv --ignore=var --ignore=bench --no-obsolete --add-location=file

clean:
	rm -rf $(VENV) var
