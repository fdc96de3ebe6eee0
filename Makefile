# Quick start: `make build` builds every agreement under agreements/ into output/,
# `make test` checks the house rules (`make lint`) and runs the test suite (`make test-quick` its quick part). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build validate test test-quick lint bench clean

$(BIN)/generator: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/generator

build: $(BIN)/generator
	$(BIN)/generator build

validate: $(BIN)/generator
	$(BIN)/generator validate

# The house rules first (lint and format, types, the direction of imports), then the tests.
lint: $(BIN)/generator
	$(BIN)/ruff check generator tests bench scripts
	$(BIN)/ruff format --check generator tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

bench: $(BIN)/generator
	$(BIN)/python -c 'import docxtpl' 2>/dev/null || $(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/build.py

# the tests that are neither slow nor need LibreOffice or poppler (markers in pyproject.toml), while working
test-quick: $(BIN)/generator
	$(BIN)/python -m pytest -m "not slow and not external"

clean:
	rm -rf $(VENV) output/*/
