# README's two commands: `make serve` and `make test`. Each does all the set-up itself
# (virtual environment, pinned dependencies, the verified offline browser runtime); re-running
# them skips what is already done.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: serve test unit e2e setup runtime bench lint

## Serve the integration inside the b+s Connects simulator (ARGS="--port 9000" etc.).
serve: setup
	$(BIN)/python serve.py $(ARGS)

## The whole test suite: CPython unit tests, then end-to-end tests in headless Chromium.
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

lint: $(STAMP)
	$(BIN)/ruff check .

setup: $(STAMP) runtime

runtime: $(STAMP)
	$(BIN)/python -m tools.runtime
	$(BIN)/python -m tools.bundle
	$(BIN)/python -m tools.snapshot

$(STAMP): pyproject.toml
	@echo "[setup] creating $(VENV) and installing pinned dependencies…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)
