# Two commands: `make run` serves the app with demo data; `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PYTHON ?= python3

.PHONY: run test test-postgres lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host 127.0.0.1 --port 5000

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

bench: $(VENV)/.installed
	$(PY) bench/ingest.py --rows 1000000
	$(PY) bench/score.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
