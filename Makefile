# vnplan — every target installs what it needs on a fresh Debian machine (apt as root, a .venv).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= sqlite:///plans.db
SHARED ?= ../shared
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd poppler-utils fonts-liberation2 fonts-dejavu-core libreoffice-writer-nogui
#: the reviewer notebook's real-browser test (tests/test_review_browser.py): installed when apt can, skipped (saying why) when not
BROWSER_PACKAGES := chromium chromium-driver
SAMPLE_INPUTS := samples/born-digital samples/scanned samples/bad-layer

.PHONY: run test test-all record-ocr bench review samples lm ocr-channel lint install system clean

## run: ingest the bundled samples into plans.db (SQLite) and print a summary
run: install
	$(BIN)/vnplan ingest $(SAMPLE_INPUTS) --db $(DB)

## test: the whole test suite on every core, OCR replayed from tests/data/ocr except in the tests marked live (PostgreSQL tests skip, saying why, when no server answers)
test: install
	$(BIN)/pytest -n auto --dist worksteal

## test-all: the whole test suite on real Tesseract, every test live
test-all: install
	$(BIN)/pytest -n auto --dist worksteal --live-ocr

## record-ocr: record Tesseract's answers for the test suite again (after a change to OCR or to the samples); stale ones are dropped
record-ocr: install
	rm -rf tests/data/ocr
	nice -n 10 $(BIN)/pytest --record-ocr

## bench: benchmarks (restoration vs pyvi, reading vs plain tesseract and ocrmypdf, TCVN3/VNI documents vs their transcripts, extraction vs gold, the store at 2M tasks, batch ingestion vs ocrmypdf)
bench: install
	$(BIN)/pip install -q -e ".[dev,bench]"
	mkdir -p benchmarks/results
	$(BIN)/python benchmarks/restore_bench.py --shared $(SHARED) --json benchmarks/results/restore.json
	$(BIN)/python benchmarks/read_bench.py --shared $(SHARED) --json benchmarks/results/read.json
	$(BIN)/python benchmarks/legacy_bench.py --shared $(SHARED) --baseline --json benchmarks/results/legacy.json
	$(BIN)/python benchmarks/extract_bench.py --shared $(SHARED) --json benchmarks/results/extract.json
	$(BIN)/python benchmarks/spacy_bench.py --shared $(SHARED) --json benchmarks/results/spacy.json
	$(BIN)/python benchmarks/store_bench.py --json benchmarks/results/store.json
	$(BIN)/python benchmarks/batch_bench.py --json benchmarks/results/batch.json
	$(BIN)/python benchmarks/limits_bench.py --json benchmarks/results/limits.json
	$(BIN)/python benchmarks/review_bench.py --json benchmarks/results/review.json

## review: the reviewer notebook in JupyterLab on $(DB) (the samples are ingested first when plans.db is missing)
review: install
	$(BIN)/pip install -q -e ".[review]"
	@if [ "$(DB)" = "sqlite:///plans.db" ] && [ ! -f plans.db ]; then $(BIN)/vnplan ingest $(SAMPLE_INPUTS) --db $(DB); fi
	$(BIN)/vnplan review --db $(DB) $(if $(REVIEWER),--reviewer "$(REVIEWER)")

## samples: regenerate the sample PDFs from $(SHARED)/corpus (deterministic)
samples: install
	$(BIN)/python samples/generate.py $(SHARED)/corpus samples

## lm: rebuild the restorer's language model and abbreviation list from $(SHARED)/lm-corpus (both are committed)
lm: install
	$(BIN)/python scripts/build_language_model.py $(SHARED)/lm-corpus normalizers/restoration/data/syllable_lm.npz

## ocr-channel: relearn Tesseract vie's confusion table, and the benchmark's held-out pages (both committed; ~15 min on a busy machine)
ocr-channel: install
	nice -n 10 $(BIN)/python scripts/build_ocr_channel.py $(SHARED)/lm-corpus normalizers/restoration/data/ocr_confusions.tsv --lines 3600
	nice -n 10 $(BIN)/python scripts/build_ocr_channel.py $(SHARED)/lm-corpus benchmarks/gold/ocr_heldout.tsv --lines 720 --seed 7 --held-out

## lint: ruff over the repository, mypy over the packages (configured in pyproject.toml)
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

install: system $(STAMP)

## system: Debian packages (Tesseract with Vietnamese, poppler, fonts, venv) when missing; Chromium and its driver
## for the browser test where apt can install them (without them that one test is skipped, saying why)
system:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	python3 -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	browser=""; \
	for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || browser="$$browser $$p"; done; \
	sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	if [ -n "$$missing$$browser" ]; then $$sudo apt-get update -qq || true; fi; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi; \
	if [ -n "$$browser" ]; then \
		echo "installing Debian packages for the browser test:$$browser"; \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$browser >/dev/null \
			|| echo "could not install$$browser: tests/test_review_browser.py will be skipped"; \
	fi

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev,browser-test]"
	touch $@

clean:
	rm -rf $(VENV) plans.db .pytest_cache *.egg-info
