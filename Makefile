# dataforge: two commands do everything on a fresh machine.
#   make demo   set up .venv (first time), run the pipeline on samples/, print a summary
#   make test   set up .venv (first time), run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup system-deps lint samples clean-demo bench bench-quick

# Hash-checked: pip refuses any file whose sha256 is not in the lock (deploy/SUPPLY_CHAIN.md).
$(STAMP): requirements.lock deploy/pip.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r deploy/pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/dataforge run samples/

system-deps:
	bash tools/system-deps.sh

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check dataforge dataforge_tests tools

samples: $(STAMP)
	$(BIN)/python tools/samples/make_samples.py

clean-demo:
	rm -rf .dataforge

bench: $(STAMP)
	$(BIN)/python -m bench.run

bench-quick: $(STAMP)
	$(BIN)/python -m bench.run --quick

# Release stages over 1k and 10k synthetic documents (SIZES="1000 10000 100000" for more), and
# semantic dedup's faiss index against the exact search: bench/results-scale.json and
# bench/sections/scale.md (docs/SCALE.md). About 20 minutes on 2 cores for the default sizes.
.PHONY: bench-scale
SIZES ?= 1000 10000
bench-scale: $(STAMP)
	$(BIN)/python -m bench.scale --sizes $(SIZES)

# Extraction quality and speed on ../shared/eval (HTML, PDF, real files), then
# bench/sections/extraction.md. About 10 minutes on 2 cores.
.PHONY: eval-extract
eval-extract: $(STAMP)
	$(BIN)/python -m evals.extract_html
	$(BIN)/python -m evals.extract_pdf
	$(BIN)/python -m evals.extract_real_docs
	$(BIN)/python -m evals.extract_speed
	$(BIN)/python -m evals.extract_report

# Strict-audit sample of a release (QUALITY.md: random.seed(7), up to 40 rows per kind), each row
# beside its full source: .dataforge/audit/<release>/audit.md|jsonl + summary.json. After judging:
#   $(BIN)/python -m evals.quality_audit judge .dataforge/audit/<release>/audit.jsonl
.PHONY: eval-quality
eval-quality: $(STAMP)
	$(BIN)/python -m evals.quality_audit draw $(if $(RELEASE),--release $(RELEASE)) $(if $(LAKE),--lake $(LAKE))
