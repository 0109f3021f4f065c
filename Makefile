# Two commands do all set-up: `make run` and `make test`. Both create .venv and install on first use.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EVAL_OUT ?= var/eval

# Every model ships inside a package: hub look-ups must fail at once instead of stalling.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install run ingest app test test-fast eval eval-baseline eval-retrieval bench load lint llm clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

ingest: install
	$(PY) -m assistant ingest

run: install
	$(PY) -m assistant ingest || [ $$? -eq 3 ]
	$(PY) app.py

app: install
	$(PY) app.py

test: install
	$(PY) -m pytest -q
	$(MAKE) --no-print-directory eval

test-fast: install
	$(PY) -m pytest -q -m "not slow"

eval: install
	$(PY) -m eval run --out $(EVAL_OUT)
	$(PY) -m eval real --out $(EVAL_OUT)/real
	$(PY) -m eval run --without-glossary --thresholds eval/thresholds-no-glossary.yaml --no-baseline --no-compare \
		--out $(EVAL_OUT)/no-glossary
	$(PY) -m eval check --out $(EVAL_OUT)

eval-baseline: install
	$(PY) -m eval run --out $(EVAL_OUT) --write-baseline eval/baseline.json --no-gate

eval-retrieval: install
	$(PY) -m eval retrieval --out $(EVAL_OUT)

bench: install
	$(PY) -m eval bench --out var/bench

load: install
	$(PY) -m eval load

lint: install
	$(PY) -m ruff check assistant eval tests app.py corpus

clean:
	rm -rf var .pytest_cache .ruff_cache
