PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test bench mutants lint typecheck clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/paradip ingest
	$(BIN)/paradip timeline

lint: $(STAMP_TEST)
	$(BIN)/ruff check .

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

test: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP_TEST)
	$(BIN)/python -m benchmarks.run

# Plants each deliberate bug of tests/mutants.py in a scratch copy and runs its tests (not part of test).
mutants: $(STAMP_TEST)
	CI=true $(BIN)/python -m tests.mutants

clean:
	rm -rf $(VENV) .benchmarks build *.egg-info
