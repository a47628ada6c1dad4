# The two commands of the README: `make run` and `make test`. Everything else supports them.
VENV   := .venv
PYTHON := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run test check bench clean system-packages

run: $(VENV)/.runtime node_modules/.installed  ## set up, create and seed the SQLite database, serve on :5000
	@# Plain http on this machine only: the session cookie may go without the Secure flag here, and
	@# links (QR codes, GPX, OGC) point to this address.
	KOTOJI_INSECURE_COOKIES=1 KOTOJI_PUBLIC_URL=http://127.0.0.1:5000 $(PYTHON) manage.py serve --host 127.0.0.1 --port 5000

test: $(VENV)/.test node_modules/.installed system-packages  ## set up and run the whole test suite
	$(PYTHON) -m pytest $(PYTEST_ARGS)

check: $(VENV)/.runtime  ## validate the walk bundles in routes/
	$(PYTHON) manage.py check

bench: $(VENV)/.test system-packages  ## benchmark the public documents against nginx
	$(PYTHON) bench/serve_stops.py
	$(PYTHON) bench/pwa_figures.py

$(VENV)/.runtime: requirements.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-packages:
	scripts/install-system-packages

clean:
	rm -rf $(VENV) node_modules
