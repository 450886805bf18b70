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

# compileall: an editable install is not byte-compiled, and with PYTHONDONTWRITEBYTECODE set
# every run would compile the package again (0.1-0.2 s of each command's start)
setup: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q nlp > /dev/null

setup-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m compileall -q nlp > /dev/null

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
