# jixiao — set-up and everyday commands. Every target creates .venv and installs on its own.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench install clean worker serve

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/jixiao demo

# a Celery worker for background jobs (needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0)
worker: $(STAMP)
	$(BIN)/celery -A jixiao.web.jobs.worker worker --loglevel=INFO --concurrency=$${WORKER_CONCURRENCY:-2}

# the production server (gunicorn; see docs/deploy.md for the environment it needs)
serve: $(STAMP)
	$(BIN)/python -m jixiao.web serve

# The suite runs on every core (pytest-xdist) and measures branch coverage; the pure core
# packages must stay at or above 90 % each.
COVERED := engine pay ingest formula history
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
