# litopys — developer entry points. Only python3 (3.11+) and make are needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= demo.db
SHARED ?= ../shared

.PHONY: install demo test lint eval bench clean train-ner

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)  ## build .venv and install litopys with its test extras

demo: $(STAMP)  ## ingest the bundled example corpus and export it
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/litopys --db $(DB) ingest examples/
	$(BIN)/litopys --db $(DB) stats
	$(BIN)/litopys --db $(DB) entities --top 10
	$(BIN)/litopys --db $(DB) stories
	$(BIN)/litopys --db $(DB) timeline --entity Білоусов
	$(BIN)/litopys --db $(DB) export --format jsonl -o demo.jsonl
	@echo "Results: database $(DB), export demo.jsonl (one JSON object per line)."
	$(BIN)/litopys --db $(DB) export --format html -o demo_report.html
	@echo "Report: $(CURDIR)/demo_report.html (open it in a browser; works offline)."

test: $(STAMP)  ## run the test suite (self-contained: no ../shared needed)
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff (lint + format check) and mypy
	$(BIN)/ruff check src tests bench eval
	$(BIN)/ruff format --check src tests bench eval
	$(BIN)/mypy

eval: $(STAMP)  ## quality tables on ../shared/data (skips what is absent)
	$(BIN)/python -m pip install --quiet -e ".[test,eval]" && $(BIN)/python -m eval.run --shared $(SHARED)

bench: $(STAMP)  ## speed and memory on ../shared/data
	$(BIN)/python -m bench.run --shared $(SHARED)
	$(BIN)/python -m bench.store --shared $(SHARED)  # + PostgreSQL when LITOPYS_BENCH_PG is set
	rm -f bench10k.db
	$(BIN)/python -m bench.stories --shared $(SHARED) --keep bench10k.db
	$(BIN)/python -m bench.serve --db bench10k.db
	$(BIN)/python -m bench.caches --json build/caches.json
	$(BIN)/python -m bench.scale --shared $(SHARED)

train-ner: $(STAMP)  ## rebuild the shipped NER model (src/litopys/models/ner) from ../shared/data, seed 0, at most ~40 min
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m eval.train_ner --shared $(SHARED)

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm bench10k.db bench10k.db-wal bench10k.db-shm demo.jsonl demo_report.html demo_report_*.svg demo_report.md .pytest_cache .mypy_cache .ruff_cache
