# The two commands of the README: `make run` and `make test`. Everything else supports them.
VENV   := .venv
PYTHON := $(VENV)/bin/python
PYTEST_ARGS ?=
# Test processes (pytest-xdist): browser and process tests mostly wait, so 3 keep 2 cores busy.
TEST_PROCESSES ?= 3
# Each process starts with a third of the tests and an idle one takes half of the longest queue left
# (xdist's worksteal): with the default `load` one process ran its last 77 tests (180 s) alone.
TEST_DIST := --dist worksteal

.PHONY: run test test-fast lint format lock check bench clean system-packages translations

run: $(VENV)/.runtime node_modules/.installed  ## set up, create and seed the SQLite database, serve on :5000
	@# Plain http on this machine only: the session cookie may go without the Secure flag here, and
	@# links (QR codes, GPX, OGC) point to this address.
	KOTOJI_INSECURE_COOKIES=1 KOTOJI_PUBLIC_URL=http://127.0.0.1:5000 $(PYTHON) manage.py serve --host 127.0.0.1 --port 5000

test: $(VENV)/.test node_modules/.installed system-packages  ## set up and run the whole test suite
	$(PYTHON) -m pytest -n $(TEST_PROCESSES) $(TEST_DIST) $(PYTEST_ARGS)

test-fast: $(VENV)/.test node_modules/.installed system-packages  ## while you iterate: no browser, no extra process, SQLite
	KOTOJI_TEST_BACKENDS=$${KOTOJI_TEST_BACKENDS:-sqlite} $(PYTHON) -m pytest -n $(TEST_PROCESSES) $(TEST_DIST) -m "not browser and not slow" $(PYTEST_ARGS)

lint: $(VENV)/.test node_modules/.installed  ## ruff (lint + format), mypy, eslint, prettier
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	npx --no-install eslint .
	npx --no-install prettier --check .

format: $(VENV)/.test node_modules/.installed  ## rewrite the code the way `make lint` wants it
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	npx --no-install prettier --write .

lock: $(VENV)/.test  ## after editing requirements*.in: compile the lock files (every package, with hashes)
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.txt requirements.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements-test.txt requirements-test.in

translations: $(VENV)/.runtime  ## after changing interface text: extract it, update the nl/en/ja catalogs, compile
	$(PYTHON) scripts/translations.py

check: $(VENV)/.runtime  ## validate the walk bundles in routes/
	$(PYTHON) manage.py check

bench: $(VENV)/.test system-packages  ## benchmark the public documents against nginx
	$(PYTHON) bench/serve_stops.py
	$(PYTHON) bench/pwa_figures.py

# The lock files pin every package, transitive ones included, by version and sha256 (pip refuses any other bytes).
$(VENV)/.runtime: requirements.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-packages:
	scripts/install-system-packages

clean:
	rm -rf $(VENV) node_modules
