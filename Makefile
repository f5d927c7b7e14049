# ggzy: `make run` serves the site, `make test` runs the suite. Both set up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export GGZY_ENV ?= local
CHROMIUM ?= /usr/bin/chromium

.PHONY: setup run demo manage messages gettext axe test test-fast bench bench-site lint format chromium nginx wrk rsyslog redis nmap clamd lynis restic pdf-deps clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ggzy needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# Idempotent: venv, install, migrate, load the center's data, first admin.
setup: $(VENV)/.installed pdf-deps
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py setup_center

run: setup
	PORT=$(PORT) bin/serve

# The demo (issue 20): a whole separate state under DEMO_VAR_DIR (its own SQLite
# database, media, published site, screens, keys, manifest), set up as `make run` sets
# up var/, filled once with a few hundred realistic items (notices through the intake
# API, articles through the approval chains: bin/ggzy demo_fill), then served on PORT.
# `make run` never fills anything and keeps serving var/; `rm -rf var/demo` deletes the demo.
# Refused with GGZY_ENV=production before anything is done. The fill runs its background
# work in-process (the immediate task backend) so that nothing is left queued.
DEMO_VAR_DIR ?= $(CURDIR)/var/demo
DEMO_DATABASE_URL ?=
DEMO_ENV = GGZY_VAR_DIR=$(DEMO_VAR_DIR) DATABASE_URL=$(DEMO_DATABASE_URL) MEDIA_ROOT= PUBLISH_ROOT= \
	SITE_MANIFEST_PATH= SITE_MAINTENANCE_DIR= SCREENS_ROOT= SCREENS_BEAT_LOG= AUDIT_ARCHIVE_DIR= \
	BACKUP_REPOSITORY= BACKUP_STAGING_DIR= BACKUP_CACHE_DIR= BACKUP_DRILL_DIR= DEVICELOG_DIR= \
	DEVICELOG_ARCHIVE_DIR= STATIC_ROOT=$(CURDIR)/var/static
demo:
	@if [ "$(GGZY_ENV)" = "production" ]; then \
		echo "ERROR: make demo refuses GGZY_ENV=production: demo content never goes into a production state." >&2; \
		exit 1; \
	fi
	@echo "make demo: the demo state is $(DEMO_VAR_DIR) (make run keeps using var/)"
	$(DEMO_ENV) $(MAKE) --no-print-directory setup
	$(DEMO_ENV) TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend LOG_LEVEL=$${LOG_LEVEL:-WARNING} \
		$(PY) manage.py demo_fill --port $(PORT)
	$(DEMO_ENV) PORT=$(PORT) bin/serve

# Any manage.py command with the local environment: make manage ARGS="changepassword sysadmin"
# (the same as bin/ggzy changepassword sysadmin).
manage: $(VENV)/.installed
	bin/ggzy $(ARGS)

# ggzy's Chinese for what Wagtail's and django-filter's catalogs lack (locale/): the
# compiled django.mo is committed; recompile after editing django.po (needs gettext's msgfmt).
messages:
	msgfmt --check-format -o locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/django.po
	msgfmt --check-format -o locale/zh_Hans/LC_MESSAGES/djangojs.mo locale/zh_Hans/LC_MESSAGES/djangojs.po

# PDFs (approval forms, reports) are rendered by WeasyPrint: Pango plus an
# embedded CJK font (Debian's fonts-noto-cjk). Installed as root where missing.
PDF_PKGS := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
pdf-deps:
	@if ! fc-list 2>/dev/null | grep -q "Noto Serif CJK SC" || ! ldconfig -p | grep -q libpangoft2; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing $(PDF_PKGS) for PDF output..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PKGS) >/dev/null; \
		else \
			echo "WARNING: PDF output needs $(PDF_PKGS) (sudo apt-get install $(PDF_PKGS))" >&2; \
			[ -z "$(PDF_REQUIRED)" ] || exit 1; \
		fi; \
	fi

# Debian's Chromium for the browser tests; never a downloaded browser.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		fi; \
	fi
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "ERROR: $(CHROMIUM) is missing. Install it with: sudo apt-get install chromium" >&2; \
		echo "(or set CHROMIUM=/path/to/chromium). The browser tests are never skipped." >&2; \
		exit 1; \
	fi

# Debian's nginx (deploy/nginx.conf is checked and run by the tests and the site
# bench) and wrk (the bench's load generator); installed as root where missing.
NGINX ?= /usr/sbin/nginx
WRK ?= /usr/bin/wrk
define debian_tool
	@if [ ! -x "$(1)" ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's $(2)..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
		fi; \
	fi
	@if [ ! -x "$(1)" ]; then \
		echo "ERROR: $(1) is missing. Install it with: sudo apt-get install $(2)" >&2; \
		echo "($(3) are never skipped.)" >&2; \
		exit 1; \
	fi
endef

nginx:
	$(call debian_tool,$(NGINX),nginx,The deploy tests and the site bench)

wrk:
	$(call debian_tool,$(WRK),wrk,The site bench's HTTP figures)

# Debian's rsyslog: the audit tests send checkpoint digests to a real syslog receiver.
RSYSLOGD ?= /usr/sbin/rsyslogd
rsyslog:
	$(call debian_tool,$(RSYSLOGD),rsyslog,The audit syslog tests)

# Debian's redis-server: the rate-limit tests start one on a loopback port (REDIS_URL path).
REDIS_SERVER ?= /usr/bin/redis-server
redis:
	$(call debian_tool,$(REDIS_SERVER),redis-server,The Redis rate-limit tests)

# Debian's nmap: vulnerability management runs it inside approved scan plans (网络安全管理办法
# 二(二)); the tests scan listeners they open on loopback.
NMAP ?= /usr/bin/nmap
nmap:
	$(call debian_tool,$(NMAP),nmap,The scan tests)

# Debian's clamav-daemon: the upload gate's tests start a clamd on loopback with a
# signature database they write (应急预案 第四条).
CLAMD ?= /usr/sbin/clamd
clamd:
	$(call debian_tool,$(CLAMD),clamav-daemon,The malware scanning tests)

# Debian's lynis: the baseline import tests run it on this machine.
LYNIS ?= /usr/sbin/lynis
lynis:
	$(call debian_tool,$(LYNIS),lynis,The lynis baseline tests)

# Debian's restic: the backup tests make real snapshots in a repository under tmp (应急预案 第十二条).
RESTIC ?= /usr/bin/restic
restic:
	$(call debian_tool,$(RESTIC),restic,The backup and restore tests)

# Debian's gettext: msgfmt checks that the committed admin catalog (locale/) compiles.
MSGFMT ?= /usr/bin/msgfmt
gettext:
	$(call debian_tool,$(MSGFMT),gettext,The admin catalog test)

# axe-core from the npm registry (Debian's npm): the browser tests inject it into the public
# pages and fail on any serious or critical accessibility violation (issue 20, GB/T 37668-2019).
AXE_VERSION ?= 4.11
AXE_DIR := var/node
AXE_JS := $(AXE_DIR)/node_modules/axe-core/axe.min.js
axe:
	@if [ ! -f "$(AXE_JS)" ]; then \
		if ! command -v npm >/dev/null; then \
			if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
				echo "Installing Debian's npm for axe-core..."; \
				apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
			fi; \
		fi; \
		if ! command -v npm >/dev/null; then \
			echo "ERROR: npm is missing (sudo apt-get install npm); the accessibility tests need axe-core." >&2; exit 1; \
		fi; \
		mkdir -p $(AXE_DIR) && npm install --silent --no-audit --no-fund --prefix $(AXE_DIR) axe-core@$(AXE_VERSION); \
	fi

test: PDF_REQUIRED := 1
test: setup chromium nginx rsyslog redis nmap clamd lynis restic gettext axe
	CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

test-fast: $(VENV)/.installed
	$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

# Benchmarks (figures printed, never timed in tests): the site bench (below);
# screening throughput on one core with a 10,000-term lexicon (issue 6: >= 5 MB/s);
# audit events/s written and verify throughput at 1M events on a throw-away database (~6 min);
# compliance: ~300 clauses, 100 obligations, ten years of occurrences (dashboard p95, report, generation);
# backup: full / incremental / restore of the bench site (it generates its own with site_bench.py).
bench: $(VENV)/.installed bench-site
	$(PY) -m ggzy.screening.bench
	$(PY) scripts/audit_bench.py --events $${BENCH_EVENTS:-10000} --bulk $${BENCH_VERIFY_EVENTS:-1000000}
	$(PY) scripts/compliance_bench.py
	$(PY) scripts/facility_bench.py --sensors $${BENCH_SENSORS:-200}
	$(PY) scripts/backup_bench.py --items $${BENCH_ITEMS:-100000}
	$(PY) scripts/network_bench.py --devices $${BENCH_DEVICES:-200}
	$(PY) scripts/devicelogs_bench.py --day-lines $${BENCH_LOG_LINES:-1000000}

# The site bench (issue 8): BENCH_ITEMS notices and articles (default 100,000) on a
# throw-away database and publish root; figures in var/bench/latest.json.
bench-site: $(VENV)/.installed nginx wrk
	NGINX=$(NGINX) WRK=$(WRK) $(PY) scripts/site_bench.py --items $${BENCH_ITEMS:-100000}

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var/static
