# Klaster Mandiri. The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# two stamps: make run needs only the runtime requirements; test, lint and audit the dev ones
STAMP_RUN := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Python may keep compiled modules (__pycache__/, ignored by git) even where the environment
# says not to: pytest then compiles our modules and rewrites each test module's asserts
# once, not again in every worker of every run (docs/keputusan.md)
unexport PYTHONDONTWRITEBYTECODE
# make test runs the browser tests too when Debian's Chromium is installed
PYTEST_ARGS ?=

.PHONY: install install-runtime run test lint format migrate seed backup restore bench audit clean messages

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP_RUN): requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	touch $(STAMP_RUN)

$(STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP) $(STAMP_RUN)

install-runtime: $(STAMP_RUN)
install: $(STAMP)

migrate: install-runtime
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable

run: migrate
	@DEBUG=1 $(PY) manage.py shell -c "from klaster.models import Wilayah; import sys; sys.exit(0 if Wilayah.objects.exists() else 1)" \
		|| DEBUG=1 $(PY) manage.py muat_wilayah
	@DEBUG=1 $(PY) manage.py shell -c "from klaster.models import Klaster; import sys; sys.exit(0 if Klaster.objects.exists() else 1)" \
		|| DEBUG=1 $(PY) manage.py seed_demo --password "$${DEMO_PASSWORD:-mandiri-lebak-2014}"
	@echo "Demo logins (password: $${DEMO_PASSWORD:-mandiri-lebak-2014} unless the database was seeded before):"
	@echo "  admin (superuser), manajer, fasilitator (Lebak), fasilitator2 (another klaster)"
	@echo "Serving http://$(HOST):$(PORT)/ with a background worker beside it (large exports and imports)"
	@# the worker (django-tasks-db's db_worker) runs large exports and imports; it stops with
	@# the server (Ctrl+C reaches both; the trap covers any other exit)
	@DEBUG=1 $(PY) manage.py db_worker --no-reload & pekerja=$$!; \
	  trap 'kill $$pekerja 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 RUNSERVER_HOST=$(HOST) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	DEBUG=1 $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --config .importlinter
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/periksa_terjemahan.py

# The translation catalogues (issue 19): makemessages for Indonesian and English over our
# own apps and templates, then compilemessages; lists the strings still without English.
# Re-run after translating them in locale/en/LC_MESSAGES/django.po (it compiles again).
messages: install
	$(PY) scripts/periksa_terjemahan.py --perbarui

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Backup and restore (PostgreSQL): DATABASE_URL names the database, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/klaster make backup
#   DATABASE_URL=... make restore FILE=backups/klaster-20260301T020000Z.dump
BACKUP_DIR ?= backups
# A dump holds every NIK: it is written 0600 into a folder made 0700, under a temporary
# name first, so a failed pg_dump leaves no (empty or partial) .dump behind.
backup:
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make backup: set DATABASE_URL to the PostgreSQL database (postgres://...)"; exit 2;; esac
	@umask 077; mkdir -p -m 700 "$(BACKUP_DIR)"; \
	  if [ -n "$$(find "$(BACKUP_DIR)" -maxdepth 0 -perm /077)" ]; then \
	    echo "make backup: warning: $(BACKUP_DIR) is open to other users; chmod 700 $(BACKUP_DIR)" >&2; fi; \
	  f="$(BACKUP_DIR)/klaster-$$(date -u +%Y%m%dT%H%M%SZ).dump"; \
	  if pg_dump --format=custom --no-owner --no-privileges --file="$$f.part" "$$DATABASE_URL"; \
	  then mv "$$f.part" "$$f" && echo "$$f"; \
	  else rm -f "$$f.part"; echo "make backup: pg_dump failed; no backup written" >&2; exit 1; fi

restore:
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make restore: set DATABASE_URL to the PostgreSQL database (postgres://...)"; exit 2;; esac
	@test -f "$(FILE)" || { echo "make restore: FILE=<a .dump made by make backup> is required"; exit 2; }
	pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
	  --dbname="$$DATABASE_URL" "$(FILE)"
	@# the restored figures take new versions (random, as a new row's): a report cache that
	@# outlives the database (Redis, a worker's memory) holds entries stored under versions
	@# the old timeline reached after this backup, and the next writes would count up to them
	psql "$$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 \
	  -c "UPDATE klaster_versiangka SET nomor = floor(random() * 4611686018427387904)::bigint"

# Known vulnerabilities in the pinned dependencies, and a static scan of our own code.
# Fails on a known vulnerability or a new bandit finding (reviewed ones are marked # nosec
# with a reason); a vulnerability database that cannot be reached is a warning, not a pass.
audit: install
	@out=$$($(VENV)/bin/pip-audit --progress-spinner off 2>&1); rc=$$?; echo "$$out"; \
	  if [ $$rc -ne 0 ] && grep -qi "known vulnerabilit" <<<"$$out"; then exit 1; fi; \
	  if grep -qiE "could not be audited|connection|resolve|timed out|max retries" <<<"$$out"; then \
	    n=$$(grep -ci "could not be audited" <<<"$$out"); \
	    echo "make audit: WARNING: $$n packages could not be audited (the vulnerability database could not be reached)."; \
	    echo "make audit: run it again where PyPI's vulnerability service is reachable before a release."; \
	  elif [ $$rc -ne 0 ]; then exit $$rc; fi
	@# bandit logs "nosec encountered ... but no failed test" for the other parts of a marked
	@# line (an f-string's pieces): noise, left out; findings and errors still print
	$(VENV)/bin/bandit --quiet --ini .bandit --recursive . 2> >(grep -v "nosec encountered" >&2)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
