# Quick start: `make demo` runs the main job, `make test` runs the test suite.
# Both create (or update) the virtualenv in $(VENV) first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SHARED_ARCHIVE := ../shared/data/aclImdb_v1_labeled.tar.gz

# Offline machines of this project read the dataset from the shared copy.
ifeq ($(SKLEARN_IMDB_ARCHIVE),)
ifneq ($(wildcard $(SHARED_ARCHIVE)),)
export SKLEARN_IMDB_ARCHIVE := $(abspath $(SHARED_ARCHIVE))
endif
endif
export TF_CPP_MIN_LOG_LEVEL ?= 3

.PHONY: demo test lint bench install clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dask]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) examples/seed_walkthrough.py

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check sklearn_imdb tests examples benchmarks

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
