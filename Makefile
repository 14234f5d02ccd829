# Two commands for a new user: `make run` and `make test`. See README.md.
SHELL := /bin/bash
UV := $(shell command -v uv >/dev/null 2>&1 && echo uv || echo python3 -m uv)
PY := $(UV) run --locked python

.PHONY: run test setup system-packages lint vendor demo bench loadtest audit prodcheck drill

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --locked
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py collectstatic --no-input -v0

run: setup
	$(PY) manage.py seed_demo
	@echo
	@UV="$(UV)" bash scripts/run-embedded.sh

# What the whole suite needs on the machine: Redis, Chromium, poppler (pdftotext) and Caddy
# (the production checks' proxy). PostgreSQL's server binaries are already on these machines.
system-packages:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v caddy >/dev/null || missing="$$missing caddy"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null; then \
	    echo "Installing:$$missing"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $$missing libharfbuzz-subset0; \
	  else echo "Please install:$$missing" >&2; exit 1; fi; \
	fi

lint:
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .
	# Static security checks: any finding of medium severity or above fails the build.
	$(UV) run --locked bandit -q -r brunswick reports cases letters insight -ll

# The PostgreSQL suite, with the SQLite smoke run and the shorter production checks beside
# it on the second core (scripts/run-tests.sh).
test: system-packages setup lint
	@UV="$(UV)" bash scripts/run-tests.sh

# docker/'s production topology booted natively on loopback (Caddy, gunicorn, worker, beat,
# PostgreSQL with two roles, Redis), every promise checked through the proxy, then the
# restore drill. Prints each check. See docs/deploy.md, "Checking the deployment".
prodcheck: system-packages setup
	$(UV) run --locked pytest tests/production -v -p no:cacheprovider

# docs/deploy.md's backup and restore, executed, with the time of each step.
drill: system-packages setup
	$(UV) run --locked python -m tests.production.drill

vendor:
	bash scripts/vendor-govuk-frontend.sh

# Speed at a large trust's scale beside the framework's floor (docs/performance.md).
bench: system-packages setup
	$(UV) run --locked python -m bench.run $(BENCH_ARGS)

# 25 parents uploading while 10 staff browse, against gunicorn, PostgreSQL, Redis and a worker.
loadtest: system-packages setup
	$(UV) run --locked python -m bench.loadtest $(LOADTEST_ARGS)

# Known vulnerabilities in the locked dependencies. It needs a vulnerability service
# (PyPI's JSON API or OSV); --strict fails rather than passing a package it could not check.
audit:
	@mkdir -p var
	$(UV) export --locked --format requirements-txt --no-emit-project --all-groups --quiet -o var/audit-requirements.txt
	$(UV) run --locked pip-audit --strict --disable-pip --progress-spinner off -r var/audit-requirements.txt
