# The project's commands. Every target creates the environment it needs (.venv) first, so each
# works on a fresh machine with only python3 (and, for the spec targets, node/npm) installed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# `make demo`'s own environment: the package and its runtime dependencies, no development tools.
DEMO_VENV := .venv-demo
DEMO_STAMP := $(DEMO_VENV)/.installed-stamp
export PATH := $(CURDIR)/$(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# The spec tools (Redocly, Spectral, Prism, openapi-typescript, tsc), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed-stamp
NODE_BIN := node_modules/.bin
# Redocly CLI reports to its vendor and checks for updates on every run unless told not to;
# nothing the spec targets run may reach beyond loopback.
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

.PHONY: help venv demo test check lint format typecheck generate check-generated validate-spec clean \
	node-tools lint-spec docs interop contract bench interop-deps postman test-quick docs-python nox

help:
	@echo "make demo              start the bundled simulator and list users through the client"
	@echo "make test              run the whole test suite"
	@echo "make test-quick        the suite without the tests marked slow (the inner loop)"
	@echo "make nox               all but the tools tests on Python 3.11, 3.12 and 3.13"
	@echo "make check             lint, format check, mypy --strict, generated-code drift, spec validation"
	@echo "make generate          regenerate generated/ from spec/cloudcx.yaml"
	@echo "make bench             run the benchmarks (not part of make test); figures in bench/results/latest.json"
	@echo "make lint-spec         lint the spec with Redocly and Spectral (0 errors, 0 warnings)"
	@echo "make docs              build the HTML API reference, with code samples: docs/build/cloudcx.html"
	@echo "                       and the Python API reference: docs/build/python/index.html"
	@echo "make interop           OpenAPI Generator clients (typescript-fetch, python, go, java) against the simulator"
	@echo "make interop-deps      install the Debian packages the interop clients build with (root, apt-get)"
	@echo "make postman           write docs/build/cloudcx.postman_collection.json from the spec"
	@echo "make contract          Prism mock and proxy, and schemathesis, against the spec"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade 'pip>=25.1'
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(STAMP)

venv: $(STAMP)

$(DEMO_STAMP): pyproject.toml
	test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install --quiet -e .
	touch $(DEMO_STAMP)

# --ignore-scripts: none of the tools needs an install script, and one dependency's only
# script is an analytics ping.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_STAMP)

node-tools: $(NODE_STAMP)

demo: $(DEMO_STAMP)
	$(DEMO_VENV)/bin/python examples/demo.py

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup

test-quick: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup -m "not slow"

# All but the `tools` tests on every supported Python (noxfile.py); `make nox NOX_ARGS=...`.
nox: $(STAMP)
	$(BIN)/nox $(NOX_ARGS)

# Ratios against baselines measured in the same run; prints a table and writes the same figures
# as JSON to bench/results/latest.json. `make bench BENCH_ARGS=--quick` for a short smoke run.
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

check: lint typecheck check-generated validate-spec lint-spec

lint: $(STAMP)
	$(BIN)/ruff check overrides tests examples generator interop bench noxfile.py
	$(BIN)/ruff format --check overrides tests examples generator interop bench noxfile.py

format: $(STAMP)
	$(BIN)/ruff check --fix overrides tests examples generator interop bench noxfile.py
	$(BIN)/ruff format overrides tests examples generator interop bench noxfile.py

typecheck: $(STAMP)
	$(BIN)/mypy

generate: $(STAMP)
	$(BIN)/python generator/regenerate.py

check-generated: $(STAMP)
	$(BIN)/python generator/regenerate.py --check

validate-spec: $(STAMP)
	$(BIN)/openapi-spec-validator spec/cloudcx.yaml

lint-spec: $(NODE_STAMP)
	$(NODE_BIN)/redocly lint --lint-config error spec/cloudcx.yaml
	$(NODE_BIN)/spectral lint --ruleset .spectral.yaml --fail-severity warn spec/cloudcx.yaml

# docs/code-samples.cjs adds cURL and Python samples to every operation of a copy of the spec.
docs: $(NODE_STAMP)
	node docs/code-samples.cjs spec/cloudcx.yaml build/docs/cloudcx.yaml
	$(NODE_BIN)/redocly build-docs build/docs/cloudcx.yaml --inlineBundle --lint-config error \
		--template docs/template.hbs --output docs/build/cloudcx.html
	$(MAKE) docs-python

# The Python API reference from the docstrings, offline (no fonts or scripts fetched).
docs-python: $(STAMP)
	$(BIN)/pdoc --docformat google --no-search --output-directory docs/build/python \
		cloudcx cloudcx.testing

interop: $(STAMP) $(NODE_STAMP)
	$(BIN)/python interop/run.py --build-dir build/interop

# openapi-to-postmanv2 converts the spec; docs/postman.cjs fits it to the vendor's Postman steps.
postman: $(NODE_STAMP)
	node docs/postman.cjs spec/cloudcx.yaml docs/build/cloudcx.postman_collection.json

# The Go toolchain and the Go and Java libraries that generated clients need, from Debian (the
# Java client's jackson-datatype-jsr310 and jackson-databind-nullable are not packaged: small
# stand-ins in interop/java/stubs take their place).
INTEROP_DEBS := golang-go golang-golang-x-oauth2-dev libjackson2-databind-java \
	libjackson2-annotations-java libjackson2-core-java libgeronimo-annotation-1.3-spec-java \
	libjsr305-java libhttpclient-java libhttpmime-java libcommons-logging-java

# Nothing to do (and no network) when they are all installed already.
interop-deps:
	dpkg -s $(INTEROP_DEBS) >/dev/null 2>&1 || { apt-get update && \
		apt-get install -y --no-install-recommends $(INTEROP_DEBS); }

contract: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest tests/contract tests/spec

clean:
	rm -rf $(VENV) $(DEMO_VENV) .nox dist .mypy_cache .ruff_cache .pytest_cache node_modules build docs/build
