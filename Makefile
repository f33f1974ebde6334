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

MIN_VENV ?= .venv-min
MIN_STAMP := $(MIN_VENV)/.installed-stamp
# the tests that say whether we work with scikit-learn, scikeras and Keras
COMPAT_TESTS := tests/test_sklearn_interop.py tests/network/test_classifier.py \
	tests/network/test_predictor.py

.PHONY: demo test test-fast test-minimum docs lint bench serve install install-minimum versions clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip
	$(PY) -m pip install -qq -e ".[test,dask,docs,parquet,serve]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) examples/plot_seed_walkthrough.py

test: $(STAMP)
	$(PY) -m pytest

# contributors' inner loop: no real data, no tests marked slow, one pytest
# worker a core (144 s in one process here, 87 s in two)
test-fast: $(STAMP)
	SKLEARN_IMDB_ARCHIVE= $(PY) -m pytest -m "not slow" -x -q -n auto

# the same tests with every dependency at the oldest release we declare
$(MIN_STAMP): pyproject.toml ci/minimum-versions.txt
	test -x $(MIN_VENV)/bin/python || $(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install -qq --upgrade pip
	$(MIN_VENV)/bin/python -m pip install -qq \
		--constraint ci/minimum-versions.txt -e ".[test]"
	touch $(MIN_STAMP)

install-minimum: $(MIN_STAMP)

# what pip resolved in both virtualenvs: a failure on a new release reads
# from the log alone
versions: $(STAMP) $(MIN_STAMP)
	@echo "== $(VENV): the newest releases"; $(PY) -m pip freeze --exclude-editable
	@echo "== $(MIN_VENV): the oldest releases we declare"
	@$(MIN_VENV)/bin/python -m pip freeze --exclude-editable

test-minimum: $(MIN_STAMP)
	$(MIN_VENV)/bin/python -c "import sklearn, keras, tensorflow; \
		print('minimum versions: scikit-learn', sklearn.__version__, \
		'keras', keras.__version__, 'tensorflow', tensorflow.__version__)"
	$(MIN_VENV)/bin/python -m pytest $(COMPAT_TESTS)

# the documentation site, warnings as errors; the gallery runs the examples
# on a sample of SKLEARN_IMDB_EXAMPLE_LIMIT reviews (docs/conf.py)
docs: $(STAMP)
	$(VENV)/bin/sphinx-build -W --keep-going -q -b html docs docs/_build/html
	@echo "The documentation site: $(CURDIR)/docs/_build/html/index.html"

# the model make demo wrote, served at http://127.0.0.1:8000/ until Ctrl-C
SERVE_MODEL ?= out/demo/model.skimdb
serve: $(STAMP)
	@test -f $(SERVE_MODEL) || { echo "no $(SERVE_MODEL): run make demo first"; exit 2; }
	$(VENV)/bin/sklearn-imdb serve $(SERVE_MODEL)

lint: $(STAMP)
	$(VENV)/bin/ruff check sklearn_imdb tests examples benchmarks

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(MIN_VENV) build *.egg-info .pytest_cache \
		docs/_build docs/generated docs/auto_examples
