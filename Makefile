# The study's commands. `make study` reproduces everything; `make test` runs the tests.
# Both create a local virtual environment (.venv) on first use and reuse it afterwards.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CITY   ?= Astana
LABEL_LANG ?= en
JOBS   ?= 2

.PHONY: study test city lab lint data benchmark clean help

help:
	@echo "make study            run every notebook for the five cities (reports/, figures/)"
	@echo "make test             lint and run the tests"
	@echo "make city CITY=Almaty run the study for one city (any spelling: Алматы, almaty, ...)"
	@echo "make lab              open the study in JupyterLab"
	@echo "make data             re-extract data/ from the publisher's files in data/raw (sha256-checked)"
	@echo "make benchmark        time the study per notebook (benchmarks/results/study.json)"
	@echo "make clean            remove reports/ and the virtual environment"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

study: $(STAMP)
	$(PY) -m helpers.run --jobs $(JOBS) --lang $(LABEL_LANG)

city: $(STAMP)
	$(PY) -m helpers.run --jobs $(JOBS) --lang $(LABEL_LANG) --city "$(CITY)"

test: $(STAMP)
	$(PY) -m ruff check helpers tests notebooks benchmarks
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check helpers tests notebooks benchmarks

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

data: $(STAMP)
	$(PY) -m helpers.sources

benchmark: $(STAMP)
	$(PY) benchmarks/study.py
	$(PY) benchmarks/pls.py

clean:
	rm -rf reports $(VENV)
