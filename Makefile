# Atelier. A fresh clone needs two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo -n)
COMPILE := $(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host --no-emit-options --no-header

.DEFAULT_GOAL := help
.PHONY: help install db db-stop migrate rollback run test pgbouncer check lint types sql-lint migration-lint \
	query-types catalog new-migration lock bench seed explain clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.lock requirements-dev.lock
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies

db: $(STAMP) ## start the embedded PostgreSQL (unless DATABASE_URL is set)
	$(PY) -m service db start

db-stop: $(STAMP) ## stop the embedded PostgreSQL
	$(PY) -m service db stop

migrate: $(STAMP) ## apply pending migrations, refresh db/schema.sql
	$(PY) -m service migrate

rollback: $(STAMP) ## roll back the newest migration, refresh db/schema.sql
	$(PY) -m service rollback

run: migrate ## install, start the database, migrate, serve on 127.0.0.1:8000
	$(PY) -m service serve

test: $(STAMP) pgbouncer ## the whole test suite (embedded db unless TEST_DATABASE_URL is set)
	$(PY) -m pytest $(ARGS)

pgbouncer: ## PgBouncer for the transaction-pooling tests, from Debian's package when missing
	@command -v pgbouncer >/dev/null 2>&1 || test -x /usr/sbin/pgbouncer || { \
		echo "installing Debian's pgbouncer for the PgBouncer tests"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null; \
	} || echo "pgbouncer is missing and could not be installed: its tests will fail" >&2

check: lint types sql-lint migration-lint explain ## lint, types, SQL and migration lint, plans, query contract, catalog
	$(PY) -m service check-queries
	$(PY) -m service query-catalog --check

catalog: $(STAMP) ## regenerate docs/queries.md (the query catalog)
	$(PY) -m service query-catalog

lint: $(STAMP)
	$(BIN)/ruff check service tests benchmarks
	$(BIN)/ruff format --check service tests benchmarks

types: $(STAMP)
	$(BIN)/mypy

sql-lint: $(STAMP) ## lint queries/, db/migrations/ and db/seed.sql with sqlfluff (config: .sqlfluff)
	$(BIN)/sqlfluff lint --disable-progress-bar queries db/migrations db/seed.sql

migration-lint: $(STAMP) ## migration names, order and safety (squawk, .squawk.toml)
	$(PY) -m service lint-migrations --database

query-types: $(STAMP) ## regenerate service/query_types.py from queries/ and the migrations
	$(PY) -m service generate-query-types

new-migration: $(STAMP) ## new migration: make new-migration name=add_thing
	$(PY) -m service new-migration "$(name)"

lock: $(STAMP) ## recompile the hash-pinned lock files from requirements*.in
	$(COMPILE) -o requirements.lock requirements.in
	$(COMPILE) -o requirements-dev.lock requirements-dev.in
	! grep -nE 'https?://|file://' requirements.lock requirements-dev.lock

bench: $(STAMP) ## benchmarks against the reference implementations; prints a table
	$(PY) -m benchmarks

seed: $(STAMP) ## seed volumes (db/seed.sql; scale=1: 10,000 workshops) into a fresh atelier_seed db or DATABASE_URL
	$(PY) -m service seed --scale $(or $(scale),1)

explain: $(STAMP) ## plan every query on seeded volumes (EXPLAIN ANALYZE); fails on a bad plan behind GET
	$(PY) -m service explain --scale $(or $(scale),1) $(ARGS)

clean: ## stop the database, remove .venv and .data
	-test -x $(PY) && $(PY) -m service db stop
	rm -rf $(VENV) .data
