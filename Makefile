# Klaster Mandiri. The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# make test runs the browser tests too when Debian's Chromium is installed
PYTEST_ARGS ?=

.PHONY: install run test lint format migrate seed backup restore bench audit clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=1 $(PY) manage.py migrate --noinput

run: migrate
	@DEBUG=1 $(PY) manage.py shell -c "from klaster.models import Wilayah; import sys; sys.exit(0 if Wilayah.objects.exists() else 1)" \
		|| DEBUG=1 $(PY) manage.py muat_wilayah
	@DEBUG=1 $(PY) manage.py shell -c "from klaster.models import Klaster; import sys; sys.exit(0 if Klaster.objects.exists() else 1)" \
		|| DEBUG=1 $(PY) manage.py seed_demo --password "$${DEMO_PASSWORD:-mandiri-lebak-2014}"
	@echo "Demo logins (password: $${DEMO_PASSWORD:-mandiri-lebak-2014} unless the database was seeded before):"
	@echo "  admin (superuser), manajer, fasilitator (Lebak), fasilitator2 (another klaster)"
	@echo "Serving http://$(HOST):$(PORT)/"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	DEBUG=1 $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --config .importlinter
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Backup and restore (PostgreSQL): DATABASE_URL names the database, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/klaster make backup
#   DATABASE_URL=... make restore FILE=backups/klaster-20260301T020000Z.dump
BACKUP_DIR ?= backups
backup:
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make backup: set DATABASE_URL to the PostgreSQL database (postgres://...)"; exit 2;; esac
	@mkdir -p $(BACKUP_DIR)
	@f="$(BACKUP_DIR)/klaster-$$(date -u +%Y%m%dT%H%M%SZ).dump"; \
	  pg_dump --format=custom --no-owner --no-privileges --file="$$f" "$$DATABASE_URL" \
	  && echo "$$f"

restore:
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make restore: set DATABASE_URL to the PostgreSQL database (postgres://...)"; exit 2;; esac
	@test -f "$(FILE)" || { echo "make restore: FILE=<a .dump made by make backup> is required"; exit 2; }
	pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
	  --dbname="$$DATABASE_URL" "$(FILE)"

# Known vulnerabilities in the pinned dependencies, and a static scan of our own code
audit: install
	$(VENV)/bin/pip-audit --progress-spinner off
	$(VENV)/bin/bandit --quiet --ini .bandit --recursive .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
