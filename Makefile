PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test bench eval mutants lint typecheck clean

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
	$(BIN)/paradip coverage
	@echo
	@echo "Ask next, for example:"
	@echo "  $(BIN)/paradip state Gyeonggi Liaoning --as-of 1993-06-15"
	@echo "  $(BIN)/paradip partners Busan --as-of today"
	@echo "  $(BIN)/paradip timeline Gyeonggi Chongqing"
	@echo "  $(BIN)/paradip serve        # the web page, on http://127.0.0.1:8000"
	@echo "  $(BIN)/paradip --help"

lint: $(STAMP_TEST)
	$(BIN)/ruff check .

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

test: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2

bench: $(STAMP_TEST)
	$(BIN)/python -m benchmarks.run

# make eval HELDOUT=folder also scores the document files of a folder of your own.
eval: $(STAMP_RUN)
	$(BIN)/python -m benchmarks.draft $(if $(HELDOUT),--heldout "$(HELDOUT)")

# Plants each deliberate bug of tests/mutants.py in a scratch copy and runs its tests (not part of test).
mutants: $(STAMP_TEST)
	CI=true $(BIN)/python -m tests.mutants

clean:
	rm -rf $(VENV) .benchmarks build *.egg-info
