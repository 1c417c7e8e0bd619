# Two entry points for a fresh machine: `make run` (the app) and `make test` (the whole suite).
# Both create .venv if missing, install everything into it and build the index if missing.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PYTHON ?= python3

.PHONY: run test index install install-dev system-deps test-system-deps lint bench model clean

# Thread settings as in kom_assistant/__init__.py: streamlit loads numpy before app.py runs.
run: install system-deps index
	OPENBLAS_NUM_THREADS=1 GOMP_SPINCOUNT=1000 $(VENV)/bin/streamlit run app.py --server.headless true --browser.gatherUsageStats false

test: install-dev test-system-deps index
	$(VENV)/bin/ruff check kom_assistant tests benchmarks app.py
	$(VENV)/bin/mypy
	$(PY) -m pytest

# After a new edition: retrain the query encoder (about 30 minutes on 2 cores; resumable, run it
# again if cut off), then the weights of the search signals (under 2 minutes) and the answer
# models (about 3 minutes) on the retrieval it gives. Commit what they write.
model: install-dev index
	$(VENV)/bin/kom-assistant train-model --steps 600
	$(VENV)/bin/kom-assistant train-fusion
	$(VENV)/bin/kom-assistant train-answers

# Incremental: an unchanged corpus (and pipeline code) is recognised in seconds.
index: install
	$(VENV)/bin/kom-assistant index --wait

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

# torch first, pinned: pip takes the CPU build from local disk; any other torch request would
# pull a multi-GB CUDA build. sentence-transformers (the optional backend) and the training
# code are tested too.
install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e ".[dev,st,train]"
	touch $(VENV)/.installed $@

system-deps:
	bash scripts/install-system-deps.sh

test-system-deps:
	bash scripts/install-system-deps.sh --tests

lint: install-dev
	$(VENV)/bin/ruff check kom_assistant tests benchmarks app.py
	$(VENV)/bin/mypy

bench: install-dev index
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) index
