# Raqib developer interface. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install demo test test-unit lint bench evaluate schemas broker clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP) ## create .venv and install raqib with its test extras

demo: $(STAMP) ## embedded broker + Redis, four workers, bundled feed; prints alerts
	$(BIN)/raqib demo

test: $(STAMP) ## run the whole suite (unit, integration, end-to-end)
	$(BIN)/python -m pytest

test-unit: $(STAMP) ## run the unit tests only
	$(BIN)/python -m pytest tests/unit

lint: $(STAMP) ## ruff
	$(BIN)/ruff check services schemas tests

bench: $(STAMP) ## throughput and latency: the cores, then the four services through Kafka (~20 min); bench.json
	$(BIN)/raqib bench extraction --articles 1000
	$(BIN)/raqib bench dedup --articles 2000
	$(BIN)/raqib bench all --out bench.json

evaluate: $(STAMP) ## accuracy against the labelled data in ../shared/data/external (held-out parts)
	$(BIN)/raqib evaluate extraction
	$(BIN)/raqib evaluate dedup

schemas: $(STAMP) ## regenerate schemas/json from the pydantic models
	$(BIN)/raqib schemas --write

broker: $(STAMP) ## run the embedded Kafka-protocol broker in the foreground
	$(BIN)/raqib broker

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
