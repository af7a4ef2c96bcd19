# The project's commands. Every target creates the environment it needs (.venv) first, so each
# works on a fresh machine with only python3 (and, for the spec targets, node/npm) installed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PATH := $(CURDIR)/$(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv demo test check lint format typecheck generate check-generated validate-spec clean

help:
	@echo "make demo              start the bundled simulator and list users through the client"
	@echo "make test              run the whole test suite"
	@echo "make check             lint, format check, mypy --strict, generated-code drift, spec validation"
	@echo "make generate          regenerate generated/ from spec/cloudcx.yaml"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo.py

test: $(STAMP)
	$(BIN)/python -m pytest

check: lint typecheck check-generated validate-spec

lint: $(STAMP)
	$(BIN)/ruff check overrides tests examples generator
	$(BIN)/ruff format --check overrides tests examples generator

format: $(STAMP)
	$(BIN)/ruff check --fix overrides tests examples generator
	$(BIN)/ruff format overrides tests examples generator

typecheck: $(STAMP)
	$(BIN)/mypy

generate: $(STAMP)
	$(BIN)/python generator/regenerate.py

check-generated: $(STAMP)
	$(BIN)/python generator/regenerate.py --check

validate-spec: $(STAMP)
	$(BIN)/openapi-spec-validator spec/cloudcx.yaml

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
