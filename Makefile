# Two commands do everything on a fresh machine with Python 3.10+:
#   make analyze   set up .venv, install, analyse seeds/ into results/
#   make test      set up .venv with the dev extras, run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: analyze test setup setup-dev bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

setup-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"

analyze: setup
	$(BIN)/policy-nlp analyze seeds/ -o results/

test: setup-dev
	$(BIN)/python -m pytest

bench: setup-dev
	$(BIN)/python benchmarks/pipeline_speed.py

clean:
	rm -rf $(VENV) results build *.egg-info

docs: setup
	$(BIN)/python scripts/build_gallery.py
