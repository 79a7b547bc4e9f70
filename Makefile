# Guichet — developer and CI entry points.
#
#   make run      start the demo site on http://127.0.0.1:8000 (SQLite, Celery eager)
#   make test     run the whole test suite (PYTEST_ARGS="-k foo -x" to narrow it)
#   make bench    run every bench/*.py and print its figures
#   make lint     ruff check + ruff format --check
#
# Every target installs what it needs: the virtualenv from requirements.txt,
# and the Debian packages (pango for WeasyPrint, gettext for msgfmt, chromium
# for the browser tests) through apt-get when they are missing.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
RUNSERVER_ADDR ?= 127.0.0.1:8000

# Debian packages: `run` needs pango + gettext, `test` also needs chromium, `bench` redis-server
# (bench/deadline.py starts a private one; it also needs a running PostgreSQL, see its docstring).
DEBS_RUN := libpango-1.0-0 libpangoft2-1.0-0 gettext
DEBS_TEST := $(DEBS_RUN) chromium
DEBS_BENCH := $(DEBS_RUN) redis-server

.DEFAULT_GOAL := help

.PHONY: help venv sysdeps sysdeps-run sysdeps-bench messages run test bench lint worker beat

help:
	@echo "Targets:"
	@echo "  venv      create $(VENV) and install requirements.txt (only when it changed)"
	@echo "  sysdeps   install missing Debian packages: $(DEBS_TEST)"
	@echo "  messages  compile the gettext catalogues (locale/*.po -> .mo)"
	@echo "  run       migrate, load the demo data (prints logins), serve on $(RUNSERVER_ADDR)"
	@echo "  test      run pytest (extra arguments: PYTEST_ARGS=...)"
	@echo "  bench     run every bench/*.py"
	@echo "  lint      ruff check and ruff format --check"
	@echo "  worker    start a Celery worker at a lower CPU priority than the web (needs REDIS_URL)"
	@echo "  beat      start Celery beat (needs REDIS_URL)"

# --- virtualenv --------------------------------------------------------------

venv: $(STAMP)

$(PYTHON):
	$(PY) -m venv $(VENV)

# Reinstall only when requirements.txt is newer than the stamp.
$(STAMP): requirements.txt | $(PYTHON)
	$(PYTHON) -m pip install --disable-pip-version-check -r requirements.txt
	@touch $@

# --- system packages ---------------------------------------------------------

# $(call ensure_debs,PACKAGES): install whichever of PACKAGES is missing.
# chromium counts as present when /usr/bin/chromium exists, gettext when msgfmt
# is on PATH, any other package when dpkg says it is installed.
define ensure_debs
	@missing=""; \
	for p in $(1); do \
	  case "$$p" in \
	    chromium) [ -x /usr/bin/chromium ] ;; \
	    gettext) command -v msgfmt >/dev/null 2>&1 ;; \
	    redis-server) command -v redis-server >/dev/null 2>&1 ;; \
	    *) dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' ;; \
	  esac || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "System packages present: $(strip $(1))"; exit 0; fi; \
	echo "Installing missing system packages:$$missing"; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "apt-get not found: install these packages by hand:$$missing" >&2; exit 1; \
	fi; \
	sudo=""; \
	if [ "$$(id -u)" != 0 ]; then \
	  if command -v sudo >/dev/null 2>&1; then sudo=sudo; \
	  else echo "Not root and no sudo: install these packages by hand:$$missing" >&2; exit 1; fi; \
	fi; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing \
	  || { $$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; }
endef

sysdeps:
	$(call ensure_debs,$(DEBS_TEST))

sysdeps-run:
	$(call ensure_debs,$(DEBS_RUN))

sysdeps-bench:
	$(call ensure_debs,$(DEBS_BENCH))

# --- application -------------------------------------------------------------

messages: venv sysdeps-run
	$(PYTHON) manage.py compilemessages --ignore=$(VENV)

run: venv sysdeps-run messages
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py demo
	$(PYTHON) manage.py runserver $(RUNSERVER_ADDR)

test: venv sysdeps
	$(PYTHON) -m pytest $(PYTEST_ARGS)

# Each bench/*.py is a standalone script printing its own figures; files whose
# name starts with "_" are helpers and are not run.
bench: venv sysdeps-bench
	@set -e; ran=0; \
	for f in bench/*.py; do \
	  [ -e "$$f" ] || continue; \
	  case "$$(basename "$$f")" in _*) continue ;; esac; \
	  echo "== $$f"; \
	  $(PYTHON) "$$f"; \
	  ran=$$((ran + 1)); \
	done; \
	[ "$$ran" -gt 0 ] || echo "No benchmark in bench/."

# Both checks always run; the target fails if either does.
lint: venv
	@rc=0; \
	$(BIN)/ruff check . || rc=1; \
	$(BIN)/ruff format --check . || rc=1; \
	exit $$rc

worker: venv
	nice -n 10 $(BIN)/celery -A config worker -l info

beat: venv
	$(BIN)/celery -A config beat -l info
