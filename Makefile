# Quick start: `make build` builds every agreement under agreements/ into output/,
# `make test` runs the test suite. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build validate test bench clean

$(BIN)/generator: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/generator

build: $(BIN)/generator
	$(BIN)/generator build

validate: $(BIN)/generator
	$(BIN)/generator validate

test: $(BIN)/generator
	$(BIN)/python -m pytest

bench: $(BIN)/generator
	$(BIN)/python -c 'import docxtpl' 2>/dev/null || $(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/build.py

clean:
	rm -rf $(VENV) output/*/
