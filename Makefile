# divide: the two commands a newcomer needs are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PREF ?= 07
OUT ?= outputs

.PHONY: setup run test lab lint fetch build bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## main job on the embedded default data (data/processed): Fukushima
run: $(STAMP)
	$(BIN)/divide summary --pref $(PREF)

## every test, notebooks included; runs with outbound network blocked
test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

lint: $(STAMP)
	$(BIN)/ruff check divide tests bench

## fill data/raw from a mirror (default ../shared/data) and rebuild data/processed
fetch: $(STAMP)
	$(BIN)/divide fetch --mirror $(or $(MIRROR),../shared/data)

build: $(STAMP)
	$(BIN)/divide build

bench: $(STAMP)
	for b in bench/bench_*.py; do $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
