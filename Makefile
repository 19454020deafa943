# The one command surface of BustAPI. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# One target dir for every cargo and maturin build (2 cores: never build twice).
export CARGO_TARGET_DIR ?= $(CURDIR)/target

.PHONY: help
help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(VENV)/.deps: requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

.PHONY: venv
venv: $(VENV)/.deps ## create the local virtualenv with the pinned dev dependencies

.PHONY: develop
develop: $(VENV)/.deps ## build the Rust extension (release) into the virtualenv
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/maturin develop --release --quiet

.PHONY: run
run: develop ## build and serve the example Flask app on 127.0.0.1:5000
	$(BIN)/bustapi run examples.hello:app --host $(HOST) --port $(PORT)

.PHONY: test
test: test-rust test-python ## all Rust and Python tests

.PHONY: test-rust
test-rust: ## cargo tests of every crate
	cargo test --workspace --release --quiet

.PHONY: test-python
test-python: develop ## pytest against the real server
	$(BIN)/pytest -q

.PHONY: lint
lint: develop ## ruff, mypy --strict, stubtest, rustfmt --check, clippy -D warnings
	$(BIN)/ruff check bustapi tests bench
	$(BIN)/ruff format --check bustapi tests bench
	$(BIN)/mypy
	$(PY) -m mypy.stubtest bustapi._core
	cargo fmt --all --check
	cargo clippy --workspace --release --all-targets -- -D warnings

.PHONY: format
format: $(VENV)/.deps ## format Python and Rust sources
	$(BIN)/ruff format bustapi tests bench
	$(BIN)/ruff check --fix bustapi tests bench
	cargo fmt --all

.PHONY: snapshots
snapshots: ## compiler snapshot tests writing .snap.new for `cargo insta review` (ACCEPT=1 accepts all, regenerates docs/rules)
	$(if $(ACCEPT),BUSTAPI_UPDATE_DOCS=1 INSTA_UPDATE=always,INSTA_UPDATE=new) INSTA_FORCE_PASS=1 cargo test --release -p bustapi-compiler --quiet

.PHONY: bench
bench: develop ## benchmark BustAPI against its peers (see bench/README.md)
	$(PY) bench/run.py

.PHONY: compat
compat: develop ## Flask's and five extensions' test suites on Flask vs BustAPI -> docs/compatibility.md
	$(PY) compat/run.py $(COMPAT_ARGS); status=$$?; $(PY) compat/report.py && exit $$status

.PHONY: clean
clean: ## remove build products and the virtualenv
	rm -rf $(VENV) target
