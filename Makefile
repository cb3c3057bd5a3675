# ExitSupport — everything a newcomer or CI needs, from a machine that has
# only python3 (with venv) and make. See README.md.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: pseudo-report run test test-replica lint format install install-test chromium wrk gettext messages compile bench bench-quick clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements/base.txt | $(PY)
	$(PIP) install --quiet -r requirements/base.txt
	@touch $@

$(VENV)/.installed-test: requirements/test.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements/test.txt
	@touch $@

$(VENV)/.installed-bench: requirements/bench.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements/bench.txt
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make run: set up, migrate (loads the catalogue), create demo accounts, serve.
run: $(VENV)/.installed compile
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  ExitSupport is starting on http://$(HOST):$(PORT)/"
	@echo "  Sign in as caseworker, supervisor, caseworker2 (other team) or admin (catalogue),"
	@echo "  with the password printed above, or DEMO_PASSWORD if you set it."
	@echo "  All client records in the demo are synthetic."
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

## Debian's Chromium, for the browser tests (Playwright never downloads a browser here).
chromium:
	@if [ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/truetype/lohit-nepali ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium (and a Nepali font, for printing) for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-lohit-deva-nepali >/dev/null; \
	else \
		echo "NOTE: /usr/bin/chromium or the Nepali font is missing and cannot be installed here (not root):"; \
		echo "      the browser tests will be skipped. (sudo apt-get install chromium fonts-lohit-deva-nepali)"; \
	fi

## Debian's wrk, the benchmark's load generator (bench/README.md); locust alone without it.
wrk:
	@if command -v wrk >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's wrk for the benchmark..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
		echo "NOTE: wrk is missing and cannot be installed here (not root):"; \
		echo "      every page will be driven by locust. (sudo apt-get install wrk)"; \
	fi

## GNU gettext (msgfmt, xgettext, msgmerge): makemessages and compilemessages need it.
gettext:
	@if command -v msgfmt >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's gettext for the translations..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	else \
		echo "NOTE: GNU gettext (msgfmt) is missing and cannot be installed here (not root):"; \
		echo "      pages will be in English only. (sudo apt-get install gettext)"; \
	fi

# What makemessages never reads (besides dot-directories).
I18N_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests --ignore=locale

## make messages: extract the interface's strings into locale/es and locale/ne (both
## domains: django for Python and templates, djangojs for static/js); translators fill them.
messages: $(VENV)/.installed gettext
	$(PY) manage.py makemessages -l es -l ne -d django $(I18N_IGNORE) --no-obsolete
	$(PY) manage.py makemessages -l es -l ne -d djangojs $(I18N_IGNORE) --no-obsolete
	$(PY) -m assessments.pofiles locale/es/LC_MESSAGES/*.po locale/ne/LC_MESSAGES/*.po

## make compile: build the test locales (en_XA, ar_XB) from the messages as the code
## marks them now (a fresh extraction, so a string just marked is in them before
## locale/es is updated) and compile every .po into the .mo files Django reads. Both are build artefacts, never committed.
compile: $(VENV)/.installed gettext
	@if command -v xgettext >/dev/null 2>&1; then $(PY) manage.py pseudo_locales --fresh; \
	else $(PY) manage.py pseudo_locales; fi
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles --ignore=bench -v 0; \
	else echo "NOTE: translations not compiled (no msgfmt): pages are in English."; fi

## make pseudo-report: every page in the pseudo-locale, per role: English left per page.
pseudo-report: $(VENV)/.installed-test compile
	-$(PY) -m pytest -q -p no:cacheprovider tests/i18n/test_pseudo_locale.py -k no_page_shows --runxfail
	@cat test-artifacts/pseudo-locale.txt

## make test: install what tests need and run the whole suite.
test: $(VENV)/.installed-test chromium compile
	$(PY) -m pytest $(PYTEST_ARGS)

## make test-replica: the routing tests against a real streaming replica (.ci/replica,
## root and Debian's PostgreSQL): REPLICA_DB is the database both URLs name.
REPLICA_DB ?= exitsupport
test-replica: $(VENV)/.installed-test
	.ci/replica start
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(REPLICA_DB) \
	DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/$(REPLICA_DB) \
	REQUIRE_REPLICA_TESTS=1 $(PY) -m pytest tests/replica $(PYTEST_ARGS); \
	status=$$?; .ci/replica stop; exit $$status

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## make bench: the full load benchmark on PostgreSQL (see bench/README.md).
bench: $(VENV)/.installed-bench wrk
	$(PY) bench/run.py $(BENCH_ARGS)

bench-quick: $(VENV)/.installed-bench wrk
	$(PY) bench/run.py --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
