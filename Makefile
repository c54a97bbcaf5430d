# The study's commands. `make study` reproduces everything; `make test` runs the tests.
# Both create a local virtual environment (.venv) on first use and reuse it afterwards.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CITY   ?= Astana
JOBS   ?= 2
# The study's language, one name everywhere: `make study lang=kk` is the runner's `--lang kk` and
# the notebooks' parameter `lang`. `make study LANG=kk` works too, but only on the command line:
# LANG in the environment is the POSIX locale (en_US.UTF-8 ...) and is never read as the study's
# language (and LANG=kk is not passed on to the commands as a locale). LABEL_LANG is the old name.
lang   ?= en
ifeq ($(origin LANG),command line)
lang := $(LANG)
unexport LANG
endif
ifeq ($(origin LABEL_LANG),command line)
lang := $(LABEL_LANG)
endif

.PHONY: study test city lab lint data benchmark clean help lock site browser translate class

help:
	@echo "make study            run every notebook for the five cities (reports/, figures/)"
	@echo "make test             lint and run the tests (installs the headless browser if root)"
	@echo "make site             the reading edition in English, Kazakh and Russian (build/site);"
	@echo "                      runs the study in kk and ru into build/study-kk|ru when missing"
	@echo "make city CITY=Almaty run the study for one city (any spelling: Алматы, almaty, ...)"
	@echo "make study lang=kk    the study in Kazakh (kk) or Russian (ru): translated notebooks"
	@echo "make translate        after editing a notebook's markdown: update data/i18n/*.po and"
	@echo "                      notebooks/kk, notebooks/ru (translate what turned fuzzy)"
	@echo "make lab              open the study in JupyterLab"
	@echo "make class            the class pack: student notebooks, autograders, solutions (build/class)"
	@echo "make data             re-extract data/ from the publisher's files in data/raw (sha256-checked)"
	@echo "make benchmark        time the study per notebook (benchmarks/results/study.json)"
	@echo "make lock             re-resolve pyproject.toml's pins into requirements.lock (after a change)"
	@echo "make clean            remove reports/ and the virtual environment"

# The venv installs the locked versions (requirements.lock: every package, transitive ones too),
# then the project itself with its extras; pip stops if the lock and pyproject.toml disagree.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet -r requirements.lock -e '.[test,site,class]'
	touch $(STAMP)

# Re-resolve the pinned direct dependencies of pyproject.toml in a scratch venv and write every
# installed package with its version to requirements.lock. Run after changing a pin or adding a
# dependency, then commit both files (tests/test_environment.py checks that they agree).
LOCK_VENV := build/lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -e '.[test,site,class]'
	{ echo "# Every package of the study's environment, resolved from pyproject.toml's pins by"; \
	  echo "# 'make lock' with $$($(LOCK_VENV)/bin/python -V) on $$(uname -sm). Do not edit by hand."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --all --exclude-editable | LC_ALL=C sort -f; } > requirements.lock
	rm -rf $(LOCK_VENV)
	@echo "requirements.lock: $$(grep -c '==' requirements.lock) packages"

study: $(STAMP)
	$(PY) -m helpers.run --jobs $(JOBS) --lang $(lang)

city: $(STAMP)
	$(PY) -m helpers.run --jobs $(JOBS) --lang $(lang) --city "$(CITY)"

translate: $(STAMP)
	$(PY) -m helpers.run.translate

test: $(STAMP) browser
	$(PY) -m ruff check helpers tests notebooks benchmarks
	$(PY) -m pytest

# Three editions: English from the last `make study`, Kazakh and Russian from runs of the
# translated notebooks into build/study-kk and build/study-ru (made here when missing).
SITE_LANGS ?= kk ru
site: $(STAMP)
	@for l in $(SITE_LANGS); do \
	    if [ ! -d build/study-$$l/reports ]; then \
	        $(PY) -m helpers.run --jobs $(JOBS) --lang $$l --output build/study-$$l || exit 1; \
	    fi; done
	$(PY) -m helpers.site

# The class pack (class/, issue 21): otter assign on every exercise, in every language of
# data/labels.csv; build/class/ holds the English student notebooks, the solutions, one autograder
# zip per exercise and class-pack-student.zip, and build/class/kk/ and build/class/ru/ the same in
# Kazakh and Russian (`python -m helpers.classpack.build --lang kk` builds one language).
class: $(STAMP)
	$(PY) -m helpers.classpack.build

# The browser tests drive the system's headless Chromium (Debian packages chromium and
# chromium-driver; nothing is downloaded at run time). Installed here when missing and we are
# root; otherwise the browser tests skip and say why in the test summary.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null \
	    && command -v fc-list >/dev/null && fc-list | grep -q "DejaVu Sans"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing chromium, chromium-driver and fonts-dejavu-core for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	        chromium chromium-driver fonts-dejavu-core fontconfig >/dev/null \
	    || echo "Could not install the browser: the browser tests will skip, saying why"; \
	else echo "chromium/chromedriver missing and not root: the browser tests will skip"; fi

lint: $(STAMP)
	$(PY) -m ruff check helpers tests notebooks benchmarks

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

data: $(STAMP)
	$(PY) -m helpers.sources

benchmark: $(STAMP)
	$(PY) benchmarks/study.py
	$(PY) benchmarks/pls.py
	$(PY) benchmarks/robustness.py

clean:
	rm -rf reports build $(VENV)
