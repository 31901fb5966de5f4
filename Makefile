# `make run` starts Stethos; `make test` runs the whole check (lint, types, tests).
# Both create .venv on first use, so a fresh checkout needs nothing but Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TERMINOLOGY := resources/terminology/icd10cm.sqlite

.PHONY: run test lint typecheck pytest bench clean terminology

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Code-set databases are built on each machine, not committed (resources/terminology/.gitignore);
# rebuilt when the builder or the search words change, or the dependencies are reinstalled.
$(TERMINOLOGY): $(STAMP) app/terminology/build_icd10cm.py app/terminology/icd10cm.py app/terminology/words.py
	$(BIN)/python -m app.terminology.build_icd10cm --out $@

terminology: $(TERMINOLOGY)

run: $(STAMP) $(TERMINOLOGY)
	$(BIN)/stethos $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(TERMINOLOGY)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(STAMP) $(TERMINOLOGY)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/startup.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/schedule.py
	$(BIN)/python bench/icd10cm.py
	$(BIN)/python bench/billing.py
	$(BIN)/python bench/claims.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
