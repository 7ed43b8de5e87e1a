# Two commands: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both install from requirements.lock (exact versions and hashes): the environment the tests
# passed on is the one users get. `make lock` refreshes the lock after pyproject.toml changes;
# `make upgrade` (or `make upgrade PACKAGE=igraph`) moves to newer releases on purpose.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PYTHON ?= python3
LOCK := requirements.lock
UV_VERSION := 0.13.9
UV := .venv-lock/bin/uv
COMPILE = printf 'setuptools>=68\n' | $(UV) pip compile pyproject.toml - --extra test \
	--universal --python-version 3.11 --generate-hashes --quiet --output-file $(LOCK)

.PHONY: run test test-postgres scale lint lock upgrade bench clean translations

# A new venv each time the lock or pyproject changes, so nothing outside the lock lingers.
$(VENV)/.installed: $(LOCK) pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# After changing words in templates or code: collect them, merge them into each language's
# catalog (app/translations/<lang>/LC_MESSAGES/messages.po; translate the new, empty ones) and
# compile. The app also compiles the catalogs when it starts; .mo files are not committed.
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k lazy_gettext -k _l --no-location \
		--sort-output -o app/translations/messages.pot .
	$(VENV)/bin/pybabel --quiet update -i app/translations/messages.pot -d app/translations \
		--no-fuzzy-matching --width 100
	$(VENV)/bin/pybabel --quiet compile -d app/translations

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

# The whole suite on SQLite (and on PostgreSQL too when TEST_DATABASE_URL is set).
test: $(VENV)/.installed lint
	bash scripts/test-deps.sh
	$(PY) -m pytest

test-postgres: $(VENV)/.installed
	bash scripts/test-deps.sh postgres
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres:postgres@127.0.0.1:5432/influence_test} \
		$(PY) -m pytest

# 100,000 synthetic mentions through the CLI on SQLite and PostgreSQL, each step under a time
# limit: catches hangs and collapses that small test workspaces do not show (CI runs it).
scale: $(VENV)/.installed
	bash scripts/test-deps.sh postgres
	$(PY) scripts/scale_check.py

$(UV):
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet uv==$(UV_VERSION)

# Re-resolve after a change to pyproject.toml, keeping every pin that still fits.
lock: $(UV)
	$(COMPILE)

# Move to the newest releases: all of them, or one with PACKAGE=name. Run `make test` after.
upgrade: $(UV)
	$(COMPILE) $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade)

bench: $(VENV)/.installed
	$(PY) bench/ingest.py --rows 1000000
	$(PY) bench/score.py

clean:
	rm -rf $(VENV) .venv-lock .pytest_cache .ruff_cache
