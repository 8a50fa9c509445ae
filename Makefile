# README's two commands: `make serve` and `make test`. Each does all the set-up itself
# (virtual environment, pinned dependencies, a Chromium, the verified offline browser runtime);
# re-running them skips what is already done.
#
# Chromium: the end-to-end tests and the interpreter snapshot drive one (Playwright cannot download
# its own offline). When none is found, tools/setup_browser.py installs Debian's `chromium` (as root
# with apt-get). Where it cannot, `make test` stops before any test with one line saying what to
# install or to set $CHROMIUM; `make serve` says so too but still serves, without the snapshot
# (correct, Python only starts slower).
#
# `make lint` checks both languages: ruff and mypy (Python), tsc and ESLint (the browser code, from
# package-lock.json via `npm ci`), and the docs site (`mkdocs build --strict`). `make -k lint` runs
# every check even when one fails.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LINT_STAMP := $(VENV)/.lint-stamp
NPM_STAMP  := node_modules/.package-lock.json
NODE_BIN   := node_modules/.bin

.PHONY: serve test unit e2e setup browser runtime bench lint ruff mypy tsc eslint docs

## Serve the integration inside the b+s Connects simulator (ARGS="--port 9000" etc.).
serve: BROWSER_FLAGS := --optional
serve: setup
	$(BIN)/python serve.py $(ARGS)

## The whole test suite: CPython unit tests and the shim's node:test files, then end-to-end tests
## in headless Chromium.
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Unit tests only (seconds; no browser).
unit: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e" -q $(PYTEST_ARGS)

e2e: setup
	$(BIN)/python -m pytest -m "e2e and not slow" $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m tools.bench $(ARGS)

setup: browser $(STAMP) runtime

## A Chromium first: it needs only the standard library, so a missing one stops in a second.
browser:
	$(PYTHON) -m tools.setup_browser $(BROWSER_FLAGS)

runtime: $(STAMP) browser
	$(BIN)/python -m tools.runtime
	$(BIN)/python -m tools.bundle
	$(BIN)/python -m tools.snapshot

$(STAMP): pyproject.toml
	@echo "[setup] creating $(VENV) and installing pinned dependencies…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

lint: ruff mypy tsc eslint docs

ruff: $(LINT_STAMP)
	$(BIN)/ruff check .

mypy: $(LINT_STAMP)
	$(BIN)/mypy

tsc: $(NPM_STAMP)
	$(NODE_BIN)/tsc -p jsconfig.json

eslint: $(NPM_STAMP)
	$(NODE_BIN)/eslint --max-warnings 0 .

docs: $(LINT_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

$(LINT_STAMP): $(STAMP) pyproject.toml
	@echo "[setup] installing the pinned linters and the docs tools…"
	$(BIN)/python -m pip install --quiet -e '.[test,lint,docs]'
	touch $(LINT_STAMP)

$(NPM_STAMP): package.json package-lock.json
	@echo "[setup] installing TypeScript and ESLint from package-lock.json…"
	npm ci --no-audit --no-fund
	touch $(NPM_STAMP)
