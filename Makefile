# The two commands of the README.  Both are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export LONTAR_INSTANCE ?= $(CURDIR)/instance

.PHONY: run test setup lint

$(BIN)/lontar: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(BIN)/lontar

setup: $(BIN)/lontar

## make run: install, create the SQLite database, load the demo, start http://127.0.0.1:5000
run: setup
	$(BIN)/lontar db upgrade
	$(BIN)/lontar demo load
	$(BIN)/lontar processes deploy
	$(BIN)/lontar demo letters
	@echo "Lontar: http://127.0.0.1:5000"
	$(BIN)/lontar run --host 127.0.0.1 --port 5000

## make test: the whole suite (SQLite always; PostgreSQL when LONTAR_TEST_DATABASE_URL is set)
test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
