# IT Chargeback Warehouse: the commands a newcomer needs. Run from the repository root.
#   make demo   venv + demo data + full pipeline through Dagster + dbt docs + summary + dashboard
#   make test   lint + the whole test suite (DuckDB and PostgreSQL)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
ROWS ?= 1000000
SEED ?= 42
PORT ?= 8501
DBT := $(BIN)/dbt
DBT_ARGS := --project-dir $(CURDIR)/dbt_project --profiles-dir $(CURDIR)
# sqlfluff compiles the dbt project: keep its artefacts out of dbt_project/target
LINT_ENV := CHARGEBACK_DUCKDB_PATH=$(CURDIR)/data/lint.duckdb DBT_TARGET_PATH=$(CURDIR)/data/lint-target DBT_PARTIAL_PARSE=false
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
export CHARGEBACK_LANDING_DIR ?= $(CURDIR)/data/landing
export CHARGEBACK_DUCKDB_PATH ?= $(CURDIR)/data/warehouse.duckdb
# Apache Spark (CHARGEBACK_TARGET=spark, docs/spark.md): its tables and metastore, and the
# spark extra (pyspark, dbt-spark) in the virtualenv
export CHARGEBACK_SPARK_DIR ?= $(CURDIR)/data/spark
EXTRAS ?= dev$(if $(filter spark,$(CHARGEBACK_TARGET) $(TARGET)),$(COMMA)spark)
COMMA := ,

.PHONY: demo reset-demo venv data pipeline docs summary serve dagster-dev test lint score format bench bench-drilldown clean freshness

# the steps print one line each; their whole output goes to data/demo.log (scripts/steps.sh)
demo:
	@scripts/steps.sh $(CURDIR)/data/demo.log venv reset-demo data pipeline docs
	@echo "dbt docs: $(CURDIR)/dbt_project/target/static_index.html"
	@$(MAKE) --no-print-directory summary
	@$(MAKE) --no-print-directory serve

reset-demo:
	rm -rf $(CHARGEBACK_LANDING_DIR) $(CHARGEBACK_DUCKDB_PATH) $(CHARGEBACK_DUCKDB_PATH).wal $(CHARGEBACK_SPARK_DIR)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# --no-compile: Python compiles a module when it is first imported, not every module of
# every package at install (31 s instead of 50 s for dev,spark). That needs Python to keep
# what it compiled: with PYTHONDONTWRITEBYTECODE set (some shells and CI runners set it),
# every dbt, Dagster and test process would compile dbt, Dagster and their dependencies
# again (dbt --version 4.5 s instead of 2.7 s; importing the Dagster definitions 7.5 s
# instead of 4.1 s), so make never passes it on.
unexport PYTHONDONTWRITEBYTECODE
$(VENV)/.installed-$(EXTRAS): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --no-compile -e ".[$(EXTRAS)]"
	touch $@

venv: $(VENV)/.installed-$(EXTRAS)

data: venv
	$(BIN)/chargeback-demo-data --out $(CHARGEBACK_LANDING_DIR) --rows $(ROWS) --seed $(SEED) \
		--focus-sample tests/fixtures/focus_sample/focus_sample.csv

DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/tests dbt_project/snapshots seeds -type f) dbt_project/dbt_project.yml
# parsed again when the project or the virtualenv changes (not on every `make pipeline`:
# `venv` is a phony target, always out of date)
dbt_project/target/manifest.json: $(VENV)/.installed-$(EXTRAS) $(DBT_SOURCES)
	$(DBT) parse $(DBT_ARGS) --quiet

pipeline: venv dbt_project/target/manifest.json
	mkdir -p $(DAGSTER_HOME) && touch $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster job execute -m dagster_defs.definitions -j refresh_warehouse

docs: venv
	$(DBT) docs generate $(DBT_ARGS) --static --quiet
	@echo "dbt docs: $(CURDIR)/dbt_project/target/static_index.html (or: $(DBT) docs serve $(DBT_ARGS))"

summary: venv
	$(BIN)/python -m chargeback.outputs.summary

serve: venv
	@echo "Dashboard: http://localhost:$(PORT)  (Ctrl-C to stop)"
	$(BIN)/streamlit run dashboards/app.py --server.headless true --server.port $(PORT)

dagster-dev: venv dbt_project/target/manifest.json
	mkdir -p $(DAGSTER_HOME) && touch $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -m dagster_defs.definitions

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p data && $(LINT_ENV) $(BIN)/sqlfluff lint dbt_project --processes 2

# dbt-score over the whole project (models, sources, seeds, snapshots, exposures, macros);
# tests/test_dbt_layers.py fails under 9.0
score: venv dbt_project/target/manifest.json
	cd dbt_project && ../$(BIN)/dbt-score lint --manifest target/manifest.json --show failing-items

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	mkdir -p data && $(LINT_ENV) $(BIN)/sqlfluff fix dbt_project

# two pytest workers (pytest-xdist), one test file each at a time: the suite is mostly dbt
# builds, and two of them at once use both cores of a small machine. The fixture warehouses
# and the month-end close scenarios are built once per run and shared (tests/conftest.py).
test: venv lint dbt_project/target/manifest.json
	$(BIN)/pytest -n 2 --dist loadfile --durations=15

# make bench ROWS=10000000 [TARGET=postgres|spark]: land and build ROWS generated usage rows,
# then the bare-DuckDB floor (benchmarks/bench_build.py; results go in benchmarks/results/)
bench: venv dbt_project/target/manifest.json
	$(BIN)/python benchmarks/bench_build.py --rows $(ROWS) --target $(or $(TARGET),duckdb)

# the dashboard's drill-down on a warehouse of ROWS usage rows (kept in data/bench)
bench-drilldown: venv dbt_project/target/manifest.json
	$(BIN)/python benchmarks/bench_build.py --rows $(ROWS) --keep data/bench
	$(BIN)/python benchmarks/bench_drilldown.py --warehouse data/bench/warehouse.duckdb

clean:
	rm -rf data dbt_project/target dbt_project/logs

freshness: venv
	$(DBT) source freshness $(DBT_ARGS)
