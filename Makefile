# Xuncha 巡查 — the two commands: `make run` and `make test`.
# Everything they need is installed from here; nothing is assumed but Python 3.11+ and Node 20+.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := server
export HOST PORT

.PHONY: run test test-only lint fmt bench lighthouse bench-photos bench-map test-s3 s3-stop venv web db clean help chromium fonts

help:
	@echo "make run    install everything and serve the demo city at http://$(HOST):$(PORT)"
	@echo "make test   install what the tests need and run them all"
	@echo "make lint   ruff + mypy      make fmt   format the code      make bench   benchmarks"

# ------------------------------------------------------------------ install

$(VENV)/.stamp-runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		echo "python3-venv is missing; installing it with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-runtime requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

venv: $(VENV)/.stamp-runtime

# The web app (web/) is built when it has a package.json; until then the API runs alone.
web:
	@if [ -f web/package.json ]; then \
		cd web && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; } \
		&& npm run build; \
	else echo "web/ has no app yet: serving the API only"; fi

db: venv
	$(FLASK) db upgrade
	$(FLASK) seed-demo

# ------------------------------------------------------------------ the two commands

run: venv web db fonts
	@echo
	@echo "  巡查 Xuncha is running at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password demo1234): inspector, supervisor, admin, street_baishazhou,"
	@echo "  staff_jinlong, staff_jinyuan, staff_xiangrui"
	@echo
	XUNCHA_SCHEDULER=$${XUNCHA_SCHEDULER:-inprocess} \
	$(VENV)/bin/gunicorn --bind $(HOST):$(PORT) --workers 1 --threads 8 --timeout 120 \
		--access-logfile - "server:create_app()"

test: $(VENV)/.stamp-dev web chromium fonts
	@if [ -f web/package.json ]; then cd web && npm test; fi
	$(MAKE) test-only

# The PDF notices (整改通知单) and photo watermarks need a CJK font: Debian's fonts-noto-cjk.
fonts:
	@if [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then :; \
	elif command -v apt-get >/dev/null && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
		echo "installing fonts-noto-cjk for PDF notices and watermarks"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	else echo "!!! fonts-noto-cjk is not installed: PDF notices will answer 503"; fi

# Browser tests drive Debian's chromium (Playwright cannot download browsers here).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
		echo "installing chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "!!! chromium is not installed and cannot be installed here: the browser tests will be SKIPPED"; fi

# Runs the suite without installing (CI calls it again with DATABASE_URL set).
test-only:
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check server tests bench
	$(VENV)/bin/ruff format --check server tests bench
	$(VENV)/bin/mypy

fmt: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff format server tests bench
	$(VENV)/bin/ruff check --fix server tests bench

# Benchmarks print figures side by side; they never assert a time.
bench: lighthouse bench-photos bench-map

bench-photos: $(VENV)/.stamp-dev
	$(PY) bench/photos.py

# The map at city scale (issue #6): 1M synthetic issues on SQLite and, when it answers on
# 127.0.0.1:5432, PostgreSQL; a few minutes per database. BENCH_ISSUES=100000 for a quick look.
BENCH_ISSUES ?= 1000000
bench-map: $(VENV)/.stamp-dev
	$(PY) bench/map.py --issues $(BENCH_ISSUES)

# The photo and API-loop tests against a real S3 service (OpenStack Swift's S3 API on 127.0.0.1:8080).
test-s3: $(VENV)/.stamp-dev fonts
	tests/s3/start.sh
	eval "$$(tests/s3/start.sh --env)" && $(VENV)/bin/pytest -m 'not e2e' tests/server/photos tests/server/issues tests/server/api

s3-stop:
	tests/s3/stop.sh

lighthouse: $(VENV)/.stamp-dev web chromium bench/node_modules/.stamp
	$(PY) bench/lighthouse.py

bench/node_modules/.stamp: bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV) web/node_modules web/dist bench/node_modules
