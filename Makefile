# divide: the two commands a newcomer needs are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PREF ?= 07
OUT ?= outputs

.PHONY: setup browser doctor run test test-quick lab lint fetch build bench clean

PLOTLY_BASIC := $(VENV)/share/divide/plotly-basic.min.js

$(STAMP): pyproject.toml requirements.lock scripts/setup_venv.sh
	@bash scripts/setup_venv.sh $(PYTHON) $(VENV)
	@touch $(STAMP)

# Offline HTML maps embed plotly.js. The partial "basic" bundle (scatter traces only, 1.2 MB instead of
# 4.8 MB) is taken from the npm registry at the version plotly.py ships; without npm the full bundle is used.
$(PLOTLY_BASIC): $(STAMP)
	@mkdir -p $(dir $@)
	@version=$$($(BIN)/python -c "from plotly.offline import get_plotlyjs_version as v; print(v())"); \
	tmp=$$(mktemp -d); \
	if command -v npm >/dev/null 2>&1 && (cd $$tmp && npm pack --silent "plotly.js-basic-dist-min@$$version" >/dev/null 2>&1) \
	   && tar -xzf $$tmp/*.tgz -C $$tmp && cp $$tmp/package/plotly-basic.min.js $@; then \
	  echo "offline HTML maps: plotly.js basic bundle $$version from the npm registry"; \
	else echo "offline HTML maps: npm registry unavailable, the full plotly.js bundle is embedded"; fi; \
	rm -rf $$tmp

setup: $(STAMP) $(PLOTLY_BASIC)

# Static maps (PNG/SVG/PDF, PPTX) need a Chrome/Chromium: use one that exists; else, as root on
# Debian/Ubuntu, install chromium and a CJK font; else try plotly's Chrome download. When none works the
# pack is still written (HTML, XLSX, GPKG, CSV) and `divide brief` says which files were skipped and why.
browser: $(STAMP)
	@if command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then \
	  echo "static export: $$(command -v chromium || command -v google-chrome)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium fonts-noto-cjk >/dev/null) || echo "static export: apt-get could not install chromium"; \
	else $(BIN)/plotly_get_chrome -y >/dev/null 2>&1 || echo "static export: no browser; static files will be skipped"; fi

## is this machine ready? (stops `make run` early, with the fix, when a required piece is missing)
doctor: setup
	@$(BIN)/divide doctor --quick --out $(OUT)

## main job on the embedded default data (data/processed): Fukushima
run: setup browser doctor
	$(BIN)/divide summary --pref $(PREF)
	$(BIN)/divide brief --pref $(PREF) --out $(OUT)

## every test, notebooks included; runs with outbound network blocked
test: setup
	$(BIN)/python -m pytest

## a quick subset (about a minute): no notebooks, no browser, no fault runs
test-quick: setup
	$(BIN)/python -m pytest -q -m "not slow" --ignore=tests/test_notebooks.py --ignore=tests/test_faults.py \
	  --ignore=tests/test_slides.py --ignore=tests/test_export.py --ignore=tests/test_report_network.py \
	  --ignore=tests/test_static.py tests

# root (containers, CI machines) must say --allow-root to Jupyter; PORT=8899 ARGS=--no-browser for a remote machine
PORT ?= 8888
lab: setup
	$(BIN)/jupyter lab notebooks --port $(PORT) $(ARGS) $(if $(filter 0,$(shell id -u)),--allow-root,)

lint: $(STAMP)
	$(BIN)/ruff format --check divide tests bench notebooks
	$(BIN)/ruff check divide tests bench notebooks

## fill data/raw from a mirror (default ../shared/data) and rebuild data/processed
fetch: $(STAMP)
	$(BIN)/divide fetch --mirror $(or $(MIRROR),../shared/data)

build: $(STAMP)
	$(BIN)/divide build

bench: $(STAMP)
	for b in bench/bench_*.py; do $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
