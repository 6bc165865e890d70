# Lantu — the two commands a new user needs: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast venv system-deps bench lint typecheck check lock test-min clean

# The environment is the lock file's (requirements.lock, every package pinned: what CI and a
# deployment install), then Lantu itself without resolving again. PyPI is the only source.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

## Run the app on the embedded Taiyuan default (SQLite in $$LANTU_HOME, default ~/.lantu).
demo: $(STAMP)
	$(BIN)/lantu demo

## System packages the tests use (Debian's chromium, LibreOffice, poppler, CJK fonts); needs root.
system-deps:
	@bash scripts/system-deps.sh

## Run the whole test suite, one pytest-xdist worker per core (PYTEST_WORKERS=0: in one process).
## worksteal: each worker takes whole runs of a module's tests and an idle one takes half of what
## another has left, so no worker ends long after the other (docs/testing.md has the figures).
PYTEST_WORKERS ?= auto
PYTEST_DIST ?= worksteal
test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist $(PYTEST_DIST) $(PYTEST_ARGS)

## The edit-test loop: everything but the tests marked slow (browser, PDF, corpus-wide, UA runs).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist $(PYTEST_DIST) -m "not slow" $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python benchmarks/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

## mypy on the typed core (files in pyproject's [tool.mypy]: errors, domain, engine, analysis).
typecheck: $(STAMP)
	$(BIN)/python -m mypy

## What CI runs before the tests.
check: lint typecheck

## Re-pin requirements.lock from pyproject.toml (needs uv: pip install uv). Commit the result.
lock:
	uv pip compile pyproject.toml --extra test --extra postgres --extra bench \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 -o requirements.lock

## The declared minimum versions, tested: resolve every direct dependency to the lowest version
## pyproject.toml allows (uv's lowest-direct), install that in .venv-min and run the fast tests.
test-min:
	uv pip compile pyproject.toml --extra test --extra postgres --resolution lowest-direct \
	  --python-version 3.11 -o .venv-min.lock
	@test -x .venv-min/bin/python || $(PY) -m venv .venv-min
	.venv-min/bin/python -m pip install -q -r .venv-min.lock
	.venv-min/bin/python -m pip install -q --no-deps -e .
	.venv-min/bin/python -m pytest -q -x -m "not slow" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .venv-min .venv-min.lock build *.egg-info
