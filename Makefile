# Terrain — set up, build, serve and test. Everything installs into .venv and node_modules.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: lock setup system system-test serve build print pack check test test-fast lint benchmark clean

# System packages: installed with apt-get when run as root on Debian, else the command to run.
system:
	@sh tools/system-packages serve

system-test:
	@sh tools/system-packages test

$(BIN)/terrain: pyproject.toml requirements.lock
	@sh tools/system-packages serve
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $@

# Re-pin the whole dependency tree from a fresh environment after a pin in pyproject.toml changes.
lock:
	rm -rf build/lockvenv
	$(PYTHON) -m venv build/lockvenv
	build/lockvenv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	{ sed -n '1,2p' requirements.lock; build/lockvenv/bin/pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf build/lockvenv

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

# Python's own bytecode for Terrain, as pip writes it for every installed package (an editable
# install gets none where PYTHONDONTWRITEBYTECODE is set): builds then import it, not recompile it.
# Python ignores a file older than its source, so an edit never runs stale code.
setup: $(BIN)/terrain node_modules/.package-lock.json
	@$(BIN)/python -m compileall -q terrain hooks

build: setup
	$(BIN)/terrain build --quiet

print: setup
	$(BIN)/terrain print

# Packs hold the built site; `terrain pack` then puts them into site/downloads/packs and lists
# them on its Downloads page: one build. Dated by the last commit (the ZIM's Date, the zip
# entries), so that the same sources give the same packs on any day.
pack: build
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null)} $(BIN)/terrain pack

check: setup
	$(BIN)/terrain check

# `terrain serve` serves the site just built and packed as it is (it builds only a site older than
# its sources), then rebuilds it when a source changes: one build.
serve: pack
	$(BIN)/terrain serve --port $(PORT)

test: system-test setup
	$(BIN)/python -m pytest

# The fast tier: no build, no browser; under 30 s. Run it before every commit.
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy terrain benchmarks

benchmark: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site build
