# jixiao — set-up and everyday commands. Every target creates .venv and installs on its own.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench install clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/jixiao demo

# The suite runs on every core (pytest-xdist) and measures branch coverage; the pure core
# packages must stay at or above 90 % each.
COVERED := engine pay ingest formula
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --cov --cov-report=
	@for p in $(COVERED); do \
	  printf 'coverage %-8s ' $$p; \
	  $(BIN)/coverage report --include="src/jixiao/$$p/*" --format=total --fail-under=90 \
	    || { echo " < 90 % (coverage report --include='src/jixiao/'$$p'/*' shows which lines)"; exit 1; }; \
	done

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
